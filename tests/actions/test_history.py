"""The action's history shows what was removed and added without relying on colour (WCAG
1.4.1): removed words struck through, added words underlined and bold, and both announced to
screen readers as "removed:" / "added:"."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from actions.models import LocalAction
from actions.services.local_actions import local_action_update
from winterplan.models import User

pytestmark = pytest.mark.django_db
PLAN = "cheshire-east-2020-21"
HIDDEN = '<span class="govuk-visually-hidden">{}: </span>'


def _history_html(client, action) -> str:
    page = client.get(reverse("actions:action-detail", args=[PLAN, action.pk])).content.decode()
    return page[page.index('id="history"'):]


def test_the_history_marks_added_and_removed_words_in_text_and_for_screen_readers(
    committee_client,
):
    action = LocalAction.objects.get(text__startswith="Collate a list of pharmacies")
    old_text = action.text
    local_action_update(
        action=action, user=User.objects.get(username="officer"),
        data={"text": old_text.replace("Collate", "Publish") + " <b>weekly</b>",
              "status": "at_risk"},
        expected_version=action.version,
    )
    html = _history_html(committee_client, action)
    assert f"<del>{HIDDEN.format('removed')}Collate</del>" in html
    assert f"<ins>{HIDDEN.format('added')}Publish</ins>" in html
    # Added words are escaped inside the mark-up.
    assert f"<ins>{HIDDEN.format('added')}&lt;b&gt;weekly&lt;/b&gt;</ins>" in html
    # A whole value replaced (the status) is marked the same way.
    assert re.search(
        f"<del>{HIDDEN.format('removed')}In progress</del> .*?"
        f"<ins>{HIDDEN.format('added')}At risk</ins>", html)
    assert 'class="govuk-summary-list wpt-diff"' in html


def test_the_stylesheet_shows_additions_and_removals_without_colour():
    css = (settings.BASE_DIR / "static/css/app.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"\.wpt-diff (ins|del)\{([^}]*)\}", css))
    assert "text-decoration:underline" in rules["ins"] and "font-weight:700" in rules["ins"]
    assert "text-decoration:line-through" in rules["del"]
    assert "govuk-tint" not in css  # a Sass function left in the output is no style at all
