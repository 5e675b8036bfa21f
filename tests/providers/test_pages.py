"""Every providers page renders for every role that may read it, with no missing template
variable (tests set string_if_invalid) and GOV.UK markup."""

import re

import pytest

from providers.models import Provider

pytestmark = pytest.mark.django_db


def _pages(slug: str, round_slug: str) -> list[str]:
    home = Provider.objects.filter(council__slug=slug, provider_type__startswith="care_home") \
        .order_by("name").first()
    agency = Provider.objects.filter(council__slug=slug).exclude(
        provider_type__startswith="care_home").first() or home
    base = f"/councils/{slug}/providers/"
    return [
        base, f"{base}?provider_type=care_home_nursing&bcp=review_overdue",
        f"{base}{home.pk}/", f"{base}{agency.pk}/", f"{base}{home.pk}/edit/", f"{base}new/",
        f"{base}{home.pk}/continuity-plan/", f"{base}{home.pk}/returns/new/",
        f"{base}returns/?date=15/07/2020", f"{base}returns/?date=14/10/2020",
        f"{base}returns/?date=nonsense", f"{base}risk-log/", f"{base}escalation-rules/",
        f"{base}funding/", f"{base}funding/{round_slug}/",
        f"{base}funding/{round_slug}/tranches/1/", f"{base}funding/{round_slug}/tranches/2/",
        f"{base}funding/{round_slug}/spending/",
        f"{base}highlight-report/", f"{base}highlight-report/?week_ending=nonsense",
        f"{base}import/",
    ]


def _check(response, url):
    body = response.content.decode()
    assert "MISSING[" not in body, (url, re.findall(r"MISSING\[[^\]]*\]", body)[:5])
    assert 'style="' not in body and "<script>" not in body, url
    assert body.count("<h1") == 1, url


@pytest.mark.parametrize("fixture", ["officer_client", "manager_client", "admin_client"])
def test_every_cheshire_east_page_renders_for_editors(request, fixture):
    client = request.getfixturevalue(fixture)
    for url in _pages("cheshire-east", "round-2"):
        response = client.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)
        _check(response, url)


def test_every_halton_page_renders_for_its_officer_and_manager(halton_officer_client,
                                                                halton_manager_client):
    for url in _pages("halton", "round-1"):
        for client in (halton_officer_client, halton_manager_client):
            response = client.get(url)
            assert response.status_code in (200, 400), (url, response.status_code)
            _check(response, url)


def test_committee_members_read_every_page_but_import(committee_client):
    for url in _pages("cheshire-east", "round-2"):
        response = committee_client.get(url)
        if "/import/" in url or url.endswith(("/edit/", "/new/", "/continuity-plan/",
                                              "/returns/new/")):
            assert response.status_code == 403, url
            continue
        assert response.status_code in (200, 400), (url, response.status_code)
        _check(response, url)
        assert "Add a provider" not in response.content.decode()


def test_another_councils_pages_are_404(officer_client):
    for url in _pages("halton", "round-1"):
        assert officer_client.get(url).status_code == 404, url
