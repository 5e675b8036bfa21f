"""Every URL the project defines needs sign-in (except sign-in itself and the health check),
no URL lets a committee member change anything, and no editing URL even shows them its form.

The URLs come from Django's resolver, not a hand-kept list: a new view is covered the moment
it is routed, and a route that is in no class below fails `test_every_route_is_classified`.
Ids are real objects of Cheshire East's sample data (the committee member's own council), so
a 404 for a missing object cannot pass as a refusal.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from actions.models import Commentary, LocalAction
from providers.models import RETURNING_TYPES, IcfTranche, ImportKind, Provider
from providers.services.uploads import pending_import_create
from reports.models import ReportSection
from winterplan.models import Council, User
from winterplan.people.models import Invitation

pytestmark = pytest.mark.django_db

PLAN, COUNCIL, AREA = "cheshire-east-2020-21", "cheshire-east", "seasonal-flu-vaccines"

#: SSO start and callback send anyone to sign-in when SSO is off, to the provider when it is on.
SSO = {"signin:oidc-start", "signin:oidc-callback"}
PUBLIC = {"login", "health", "signin:oidc-start", "signin:oidc-callback", "accessibility",
          "password_reset", "password_reset_done", "password_reset_confirm",
          "password_reset_complete", "people:invitation-accept",
          # A care home's return link and the returns API: the token is the credential
          # (tests/providers/return_links/test_link_scope.py).
          "return-links:provider-return", "return-links:api-returns"}
#: The user's own session and password: a committee member may use them like anyone.
OWN_ACCOUNT = {"logout", "password_change", "password_change_done", "account"}
#: Forms to add, change, delete, import, allocate, approve or record: editors only, GET too.
EDITING = {
    "actions:key-area-edit", "actions:action-create", "actions:action-edit",
    "actions:action-complete", "actions:assessment", "actions:commentary-create",
    "actions:commentary-edit", "actions:commentary-delete",
    "reports:report-edit", "reports:report-details", "reports:report-appendix-one",
    "reports:report-section", "reports:letter-edit", "reports:letter-approve",
    "reports:letter-sent",
    "providers:provider-create", "providers:provider-edit", "providers:bcp-edit",
    "providers:return-create", "providers:return-home", "providers:import",
    "providers:import-preview",
    "providers:icf-allocate",
    "providers:return-link-list", "providers:return-link-revoke", "providers:return-reminders",
}
#: The council's managers only, GET and POST: starting the next winter's plan.
MANAGERS_ONLY = {"winters:new-winter", "winters:new-winter-apply"}
#: Readable by managers, admins and oversight readers only (the DHSC letter, the audit trail).
MANAGERS_READ = {"reports:dhsc-letter", "reports:dhsc-letter-pdf", "reports:dhsc-letter-docx",
                 "audit:trail", "audit:trail-csv"}
#: A council's people (accounts, invitations): its managers and admins only, GET too.
MANAGING_PEOPLE = {
    "people:person-list", "people:invitation-create", "people:invitation-resend",
    "people:invitation-cancel", "people:person-edit", "people:person-deactivate",
    "people:person-reactivate",
}
#: Administrators only, GET and POST: loading national plans, adding councils.
ADMINS_ONLY = {"plan-imports:import", "plan-imports:apply", "people:council-list",
               "people:council-create"}
#: Pages every role reads (some also take an editor's POST: re-assess, returns, payments).
READING = {
    "home", "plan-list",
    "actions:dashboard", "actions:action-list", "actions:action-detail",
    "actions:key-area-list", "actions:key-area",
    "reports:document-list", "reports:appendix-two", "reports:appendix-two-pdf",
    "reports:committee-report", "reports:committee-report-pdf",
    "reports:appendix-two-docx", "reports:committee-report-docx",
    "providers:provider-list", "providers:provider-detail", "providers:returns-day",
    "providers:risk-log", "providers:escalation-rules", "providers:icf-round-list",
    "providers:icf-round", "providers:icf-tranche", "providers:icf-tranche-pdf",
    "providers:icf-spending", "providers:highlight-report", "providers:highlight-report-pdf",
}
#: The roll-up across councils: regional and national readers and admins only.
OVERSIGHT_READ = {"oversight:rollup", "oversight:rollup-region", "oversight:letter-list",
                  "oversight:region-summary", "oversight:region-summary-pdf"}
#: PDFs are rendered by WeasyPrint (seconds each): their GET is checked in tests/reports.
SLOW = {"reports:appendix-two-pdf", "reports:committee-report-pdf",
        "oversight:region-summary-pdf",
        "providers:icf-tranche-pdf", "providers:highlight-report-pdf"}
#: Which object a route's `pk` names.
PK_OF = {
    "actions:action-detail": "action", "actions:action-complete": "action",
    "actions:action-edit": "action", "actions:commentary-edit": "commentary",
    "actions:commentary-delete": "commentary", "providers:return-create": "home",
    "providers:return-home": "home", "providers:return-link-list": "home",
    "providers:return-link-revoke": "home",
    "people:person-edit": "person", "people:person-deactivate": "person",
    "people:person-reactivate": "person", "people:invitation-resend": "invitation",
    "people:invitation-cancel": "invitation",
}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or str(entry.pattern) == "admin/":
                continue
            space = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda item: item[1])
IDS = [route or "/" for _, route in ROUTES]


@pytest.fixture
def sample_objects():
    """Real objects of Cheshire East's sample plan and register, by the names routes use."""
    action = LocalAction.objects.filter(
        local_key_area__local_plan__slug=PLAN, local_key_area__key_area__slug=AREA
    ).order_by("position").first()
    council = Council.objects.get(slug=COUNCIL)
    tranche = IcfTranche.objects.filter(round__council=council).select_related("round").first()
    upload = pending_import_create(
        council=council, user=User.objects.get(username="manager"), kind=ImportKind.PROVIDERS,
        filename="cheshire-east.csv",
        content=(settings.BASE_DIR / "fixtures/providers/cheshire-east.csv").read_bytes(),
    )
    return {
        "action": action.pk,
        "commentary": Commentary.objects.filter(
            local_key_area=action.local_key_area).order_by("position").first().pk,
        "provider": Provider.objects.filter(council=council).order_by("pk").first().pk,
        "home": Provider.objects.filter(
            council=council, provider_type__in=RETURNING_TYPES).order_by("pk").first().pk,
        "round_slug": tranche.round.slug,
        "number": tranche.number,
        "upload": upload.pk,
        "key": ReportSection.objects.filter(
            report__local_plan__slug=PLAN).order_by("pk").first().key,
        "person": User.objects.get(username="committee").pk,
        "invitation": Invitation.objects.create(
            council=council, email="invited@example.org", role="officer",
            token_hash="0" * 64, invited_by=User.objects.get(username="manager"),
            sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=7)).pk,
    }


def _fill(name: str, route: str, objects: dict | None = None) -> str:
    objects = objects or {}

    def value(match):
        converter, param = match.group(1), match.group(2)
        fixed = {"plan_slug": PLAN, "council_slug": COUNCIL, "area_slug": AREA, "position": 1,
                 "region_slug": "north-west"}
        if param in fixed:
            return str(fixed[param])
        if param == "pk":
            return str(objects.get(PK_OF.get(name, "provider"), 1))
        if param in objects:
            return str(objects[param])
        return "1" if converter == "int" else "x"

    path = re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    return "/" + path.lstrip("^").rstrip("$")


def test_the_walk_finds_the_workspace():
    names = {name for name, _ in ROUTES}
    assert {"actions:dashboard", "actions:action-edit", "health", "login"} <= names


def test_every_route_is_classified():
    """A new route fails here until it is put in exactly one class above."""
    classes = [PUBLIC, OWN_ACCOUNT, EDITING, MANAGERS_READ, READING, MANAGING_PEOPLE,
               ADMINS_ONLY, OVERSIGHT_READ, MANAGERS_ONLY]
    for name, route in ROUTES:
        assert sum(name in c for c in classes) == 1, (name, route)
    assert set().union(*classes) == {name for name, _ in ROUTES}


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=IDS)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, route):
    path = _fill(name, route)
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if name in PUBLIC:  # an invitation link that matches none answers its own 404 page
            # (and the returns API, without a bearer token, 401)
            assert response.status_code in (200, 405, 302, 404, 401), (method, path)
            if name not in SSO:  # SSO, when it is not configured, points to the sign-in page
                assert not response.get("Location", "").startswith("/login/"), (method, path)
            continue
        assert response.status_code == 302, (method, path, response.status_code)
        assert response["Location"].startswith("/login/"), (method, path)


EDITING_ROUTES = [(name, route) for name, route in ROUTES if name in EDITING]


@pytest.mark.parametrize(("name", "route"), EDITING_ROUTES,
                         ids=[route for _, route in EDITING_ROUTES])
def test_a_committee_member_is_refused_every_editing_url_on_get_and_post(
    committee_client, manager_client, sample_objects, name, route
):
    path = _fill(name, route, sample_objects)
    # The objects are real: a manager reaches the form (or, for a one-click POST, the view).
    assert manager_client.get(path).status_code in (200, 302, 405), path
    assert committee_client.get(path).status_code == 403, path
    response = committee_client.post(path, {"text": "forged", "status": "complete"})
    assert response.status_code == 403, path


READING_ROUTES = [(name, route) for name, route in ROUTES if name in READING | MANAGERS_READ]


@pytest.mark.parametrize(("name", "route"), READING_ROUTES,
                         ids=[route for _, route in READING_ROUTES])
def test_a_committee_member_reads_but_cannot_post(committee_client, sample_objects, name, route):
    path = _fill(name, route, sample_objects)
    if name not in SLOW:
        expected = (403,) if name in MANAGERS_READ else (200, 302)
        assert committee_client.get(path).status_code in expected, path
    response = committee_client.post(path, {"text": "forged", "status": "complete"})
    assert response.status_code in (403, 405), (path, response.status_code)


def test_a_committee_member_sees_no_edit_link_to_an_editing_url(committee_client,
                                                                 sample_objects):
    """The key area page offers a committee member none of the forms they are refused."""
    page = committee_client.get(f"/plans/{PLAN}/areas/{AREA}/").content.decode()
    assert "/edit/" not in page and "/commentary/new/" not in page and "/new/" not in page


PEOPLE_ROUTES = [(name, route) for name, route in ROUTES if name in MANAGING_PEOPLE]


@pytest.mark.parametrize(("name", "route"), PEOPLE_ROUTES,
                         ids=[route for _, route in PEOPLE_ROUTES])
def test_officers_and_committee_members_are_refused_every_people_url(
    committee_client, officer_client, manager_client, sample_objects, name, route
):
    path = _fill(name, route, sample_objects)
    assert manager_client.get(path).status_code in (200, 405), path
    for client in (committee_client, officer_client):
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"role": "manager", "email": "x@example.org"}
                           ).status_code == 403, path
    assert User.objects.get(username="committee").is_active


MANAGER_ROUTES = [(name, route) for name, route in ROUTES if name in MANAGERS_ONLY]


@pytest.mark.parametrize(("name", "route"), MANAGER_ROUTES,
                         ids=[route for _, route in MANAGER_ROUTES])
def test_only_the_councils_managers_start_a_new_winter(manager_client, officer_client,
                                                       committee_client, name, route):
    path = _fill(name, route)
    assert manager_client.get(path).status_code in (200, 405), path
    for client in (officer_client, committee_client, _reader("regional")):
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"slug": "x"}).status_code == 403, path


ADMIN_ROUTES = [(name, route) for name, route in ROUTES if name in ADMINS_ONLY]


@pytest.mark.parametrize(("name", "route"), ADMIN_ROUTES,
                         ids=[route for _, route in ADMIN_ROUTES])
def test_only_an_admin_reaches_the_admin_tools(admin_client, manager_client, officer_client,
                                               committee_client, name, route):
    path = _fill(name, route)
    assert admin_client.get(path).status_code in (200, 405), path
    for client in (manager_client, officer_client, committee_client):
        assert client.get(path).status_code in (403, 405), path
        assert client.post(path, {"token": "x"}).status_code == 403, path


COUNCIL_ROUTES = [(name, route) for name, route in ROUTES
                  if name in {"people:council-list", "people:council-create"}]


@pytest.mark.parametrize(("name", "route"), COUNCIL_ROUTES,
                         ids=[route for _, route in COUNCIL_ROUTES])
def test_only_admins_reach_the_council_pages(admin_client, manager_client, name, route):
    path = _fill(name, route)
    assert admin_client.get(path).status_code == 200, path
    assert manager_client.get(path).status_code == 403, path
    assert manager_client.post(path, {"name": "Forged", "slug": "forged"}).status_code == 403
    assert not Council.objects.filter(slug="forged").exists()


# --- The read-only oversight roles ---------------------------------------------------------
# A regional reader (North West: Cheshire East is theirs) and a national reader read every
# page a committee member reads, the DHSC letter too, and change nothing anywhere.

OVERSIGHT_READERS = ("regional", "national")


def _reader(username):
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", OVERSIGHT_READERS)
def test_an_oversight_reader_is_refused_every_editing_url_on_get_and_post(sample_objects,
                                                                          username):
    reader = _reader(username)
    for name, route in EDITING_ROUTES:
        path = _fill(name, route, sample_objects)
        assert reader.get(path).status_code == 403, path
        response = reader.post(path, {"text": "forged", "status": "complete"})
        assert response.status_code == 403, path


@pytest.mark.parametrize("username", OVERSIGHT_READERS)
def test_an_oversight_reader_reads_every_page_but_cannot_post(sample_objects, username):
    reader = _reader(username)
    for name, route in READING_ROUTES:
        path = _fill(name, route, sample_objects)
        if name not in SLOW:
            assert reader.get(path).status_code in (200, 302), path
        response = reader.post(path, {"text": "forged", "status": "complete"})
        assert response.status_code in (403, 405), (path, response.status_code)


OVERSIGHT_ROUTES = [(name, route) for name, route in ROUTES if name in OVERSIGHT_READ]


@pytest.mark.parametrize(("name", "route"), OVERSIGHT_ROUTES,
                         ids=[route for _, route in OVERSIGHT_ROUTES])
def test_the_rollup_is_for_oversight_readers_only_and_never_takes_a_post(committee_client,
                                                                         manager_client, name,
                                                                         route):
    path = _fill(name, route)
    for username in OVERSIGHT_READERS:
        reader = _reader(username)
        if name not in SLOW:
            assert reader.get(path).status_code == 200, (username, path)
        assert reader.post(path, {"text": "forged"}).status_code in (403, 405), path
    for client in (committee_client, manager_client):
        assert client.get(path).status_code == 403, path
