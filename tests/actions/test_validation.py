"""Bad plan data is refused with a message that says what is wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.deadlines import parse_deadline
from actions.models import ActionLink, CommentaryLink, LocalAction
from actions.services.plan_files import local_plan_import, read_yaml
from winterplan.sample_data import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["31/13/2020", "30/02/2021", "next week", "2020-10-31x"])
def test_a_deadline_that_is_neither_a_date_nor_ongoing_is_refused(text):
    with pytest.raises(ValidationError) as error:
        parse_deadline(text)
    assert "dd/mm/yyyy" in error.value.messages[0]
    assert "Ongoing" in error.value.messages[0]


def test_a_uk_date_or_ongoing_is_a_deadline():
    assert parse_deadline("16/10/2020").date == datetime.date(2020, 10, 16)
    assert parse_deadline("ongoing").ongoing


def test_the_plan_file_names_the_action_with_a_bad_deadline():
    data = read_yaml(FIXTURES / "local-plans" / "cheshire-east-2020-21.yaml")
    flu = next(a for a in data["key_areas"] if a["key_area"] == "seasonal-flu-vaccines")
    flu["actions"][0]["deadline"] = "31/13/2020"
    with pytest.raises(ValidationError) as error:
        local_plan_import(data)
    message = error.value.messages[0]
    assert "key area seasonal-flu-vaccines, action 1" in message
    assert "31/13/2020" in message


def test_an_action_cannot_be_both_dated_and_ongoing():
    action = LocalAction.objects.filter(deadline_ongoing=False).first()
    action.deadline_ongoing = True
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "not both" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_an_action_needs_a_date_or_ongoing():
    action = LocalAction.objects.filter(deadline_ongoing=True).first()
    action.deadline_ongoing = False
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "dd/mm/yyyy" in str(error.value)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://x.org/a"]
)
def test_a_link_that_is_not_http_or_https_is_refused(url):
    action = LocalAction.objects.first()
    with pytest.raises(ValidationError) as error:
        ActionLink(action=action, title="Evidence", url=url).full_clean()
    assert "http://" in str(error.value)
    commentary = action.local_key_area.commentary.first()
    with pytest.raises(ValidationError):
        CommentaryLink(commentary=commentary, title="Link", url=url).full_clean()


def test_the_plan_file_refuses_a_javascript_link_and_changes_nothing():
    data = read_yaml(FIXTURES / "local-plans" / "cheshire-east-2020-21.yaml")
    data["key_areas"][0]["commentary"][0]["links"] = [{"title": "x", "url": "javascript:alert(1)"}]
    before = CommentaryLink.objects.count()
    with pytest.raises(ValidationError) as error:
        local_plan_import(data)
    assert "commentary 1, link 1" in error.value.messages[0]
    assert CommentaryLink.objects.count() == before
