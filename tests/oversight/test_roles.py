"""The read-only oversight roles: a regional reader reads their region's councils, a national
reader every council; neither changes anything."""

import pytest
from django.contrib.auth.models import Group

from actions.models import LocalPlan
from winterplan import permissions
from winterplan.models import Council, User

pytestmark = pytest.mark.django_db

PAGES = [
    "/plans/{plan}/", "/plans/{plan}/areas/", "/plans/{plan}/documents/",
    "/plans/{plan}/documents/dhsc-letter/",
]
COUNCIL_PAGES = ["/councils/{council}/providers/", "/councils/{council}/providers/risk-log/"]


def test_a_north_west_reader_reads_cheshire_east_and_halton(regional_client):
    for plan in ("cheshire-east-2020-21", "halton-2020"):
        for page in PAGES:
            if plan == "halton-2020" and "dhsc-letter" in page:
                continue  # Halton's framework asks for no letter: it has none (404 for all)
            assert regional_client.get(page.format(plan=plan)).status_code == 200, (plan, page)
    for council in ("cheshire-east", "halton"):
        for page in COUNCIL_PAGES:
            path = page.format(council=council)
            assert regional_client.get(path).status_code == 200, path
    listed = regional_client.get("/plans/").content.decode()
    assert "Cheshire East" in listed and "Halton" in listed


def test_a_north_west_reader_gets_404_for_a_london_council(regional_client):
    camden = Council.objects.get(slug="camden")
    assert camden.region.slug == "london"
    for page in COUNCIL_PAGES:
        assert regional_client.get(page.format(council="camden")).status_code == 404


def test_a_national_reader_reads_a_london_council_without_a_plan(national_client):
    for page in COUNCIL_PAGES:
        assert national_client.get(page.format(council="camden")).status_code == 200


def test_the_scope_follows_the_region_and_the_roles_change_nothing():
    regional = User.objects.get(username="regional")
    national = User.objects.get(username="national")
    assert set(permissions.council_scope(Council.objects.all(), regional, "pk")
               .values_list("region__slug", flat=True)) == {"north-west"}
    assert permissions.council_scope(Council.objects.all(), national, "pk").count() == 155
    assert set(permissions.council_scope(LocalPlan.objects.all(), regional)
               .values_list("slug", flat=True)) == {"cheshire-east-2020-21", "halton-2020"}
    for user in (regional, national):
        assert not permissions.can_edit(user) and not permissions.can_approve(user)


def test_a_regional_reader_without_a_region_reads_nothing():
    user = User.objects.create(username="lost-reader")
    user.groups.set([Group.objects.get(name=permissions.REGIONAL)])
    assert not permissions.council_scope(Council.objects.all(), user, "pk").exists()
    assert not permissions.council_scope(LocalPlan.objects.all(), user).exists()


def test_an_oversight_reader_reads_the_letter_without_its_managers_controls(regional_client,
                                                                           manager_client):
    path = "/plans/cheshire-east-2020-21/documents/dhsc-letter/"
    assert "/dhsc-letter/edit/" in manager_client.get(path).content.decode()
    page = regional_client.get(path).content.decode()
    assert "/dhsc-letter/edit/" not in page and "/dhsc-letter/approve/" not in page


def test_a_reader_lands_on_the_rollup_and_the_header_links_it(regional_client, client):
    landing = regional_client.get("/")
    assert landing.status_code == 302 and landing["Location"] == "/oversight/"
    page = regional_client.get("/plans/cheshire-east-2020-21/").content.decode()
    assert '<a href="/oversight/">Oversight</a>' in page
    client.force_login(User.objects.get(username="officer"))
    assert "/oversight/" not in client.get("/plans/cheshire-east-2020-21/").content.decode()
