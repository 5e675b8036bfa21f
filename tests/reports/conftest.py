"""Documents' test helpers: the sample plan and its documents rendered without the cache."""

import pytest

from actions.models import LocalPlan
from reports import documents
from reports.pdf import html_to_pdf

SAMPLE_PLAN = "cheshire-east-2020-21"


@pytest.fixture
def plan(db):
    return LocalPlan.objects.select_related("council", "national_plan").get(slug=SAMPLE_PLAN)


def render_now(slug: str, plan, as_at=None, options=()) -> bytes:
    """The document's PDF, rendered now (no cache read or write)."""
    built = documents.build(documents.get(slug), plan, as_at=as_at, options=options)
    return html_to_pdf(documents.render_html(built)).content


@pytest.fixture(scope="module")
def sample_pdf(django_db_setup, django_db_blocker):
    """Render a document of the untouched sample plan once per test module."""
    rendered = {}

    def get(slug: str) -> bytes:
        if slug not in rendered:
            with django_db_blocker.unblock():
                plan = LocalPlan.objects.get(slug=SAMPLE_PLAN)
                rendered[slug] = render_now(slug, plan)
        return rendered[slug]

    return get
