"""The accessibility statement: public, in the GOV.UK model statement's form, linked from
every page's footer."""

import pytest

pytestmark = pytest.mark.django_db

MODEL_HEADINGS = [
    "Accessibility statement for Winter Plan Tracker",
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that’s not within the scope of the accessibility regulations",
    "What we’re doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def test_the_statement_is_public_with_the_model_headings_in_order(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    text = response.content.decode()
    positions = [text.index(heading) for heading in MODEL_HEADINGS]
    assert positions == sorted(positions)
    assert "partially compliant" in text and "axe-core" in text and "390" in text
    assert "PDF/UA-1" in text


def test_the_statement_uses_the_configured_contact(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.gov.uk"
    assert 'href="mailto:access@example.gov.uk"' in client.get("/accessibility/").content.decode()


@pytest.mark.parametrize("path", ["/login/", "/accessibility/", "/plans/"])
def test_every_page_links_to_the_statement_from_its_footer(officer_client, client, path):
    page = (officer_client if path == "/plans/" else client).get(path).content.decode()
    footer = page[page.index("<footer"):]
    assert 'href="/accessibility/"' in footer


def test_managers_and_admins_find_the_people_pages_in_the_footer(manager_client, admin_client,
                                                                 officer_client):
    manager_page = manager_client.get("/plans/").content.decode()
    assert 'href="/councils/cheshire-east/people/"' in manager_page
    assert 'href="/councils/"' in admin_client.get("/plans/").content.decode()
    assert "/people/" not in officer_client.get("/plans/").content.decode()
