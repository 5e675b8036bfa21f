"""The permission matrix: every route, with real objects of both sample councils, for every
role, on GET and on POST.

The routes come from Django's resolver, not a hand-kept list, and `MATRIX` below must name
each of them: a new route fails `test_every_route_is_in_the_matrix` until it is classified.
Each route is requested

* with Cheshire East's objects, as Cheshire East's people (and a Halton officer as the
  "foreign" officer),
* with Halton's objects, as Halton's people (and a Cheshire East officer as "foreign"),
* crossed: the URL names one council (plan or register) but its ids are the other council's
  objects; nobody, an admin included, reaches another council's object through a URL of
  this council (404), and
* for a route outside any council (home, account, admin tools, the roll-up) once.

Columns (`ROLES`): anonymous, the council's committee member, officer and manager, another
council's officer, the North West regional reader (both sample councils are North West), a
regional reader of another region ("elsewhere", London), the national reader, an admin.
A cell is the status expected: `302` for anonymous means "sent to sign-in"; `404` is how a
foreign council's object answers everyone whose scope does not hold it.

POSTs carry an empty body: refusal happens before validation, and what a POST that is let
through does (a form redisplayed with errors: 200; a one-click action: 302) is rolled back
after each request, so every request meets the same data.
"""

import datetime
import os
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from actions.models import Commentary, LocalAction, LocalKeyArea, LocalPlan
from providers.models import RETURNING_TYPES, IcfTranche, ImportKind, Provider
from providers.return_links.services import return_link_issue
from providers.services.uploads import pending_import_create
from reports.selectors import committee_report
from winterplan import permissions
from winterplan.models import Council, Region, User
from winterplan.people.models import Invitation

ROLES = ("anonymous", "committee", "officer", "manager", "foreign", "regional", "elsewhere",
         "national", "admin")

# --- The matrix ---------------------------------------------------------------------------
# One row per route name: (GET, POST), each nine statuses in the order of ROLES. Besides
# 200/403/404/405: `302` is a redirect (for anonymous: to sign-in), `login` a signed-in user
# sent to sign-in (SSO is off in tests), 400 an empty form refused by validation, 409 an
# empty form refused for its missing version. An officer's 404 on the import preview is by
# design: an upload is seen only by whoever uploaded it (here the manager).
#                                      anon cmte offc mngr frgn regn elsw natn admn
MATRIX = {
    "home":                           ("302 302 302 302 302 302 302 302 302",
                                       "302 405 405 405 405 405 405 405 405"),
    "accessibility":                  ("200 200 200 200 200 200 200 200 200",
                                       "405 405 405 405 405 405 405 405 405"),
    "account":                        ("302 200 200 200 200 200 200 200 200",
                                       "302 302 302 302 302 302 302 302 302"),
    "plan-imports:import":            ("302 403 403 403 403 403 403 403 200",
                                       "302 403 403 403 403 403 403 403 200"),
    "plan-imports:apply":             ("302 405 405 405 405 405 405 405 405",
                                       "302 403 403 403 403 403 403 403 302"),
    "people:council-list":            ("302 403 403 403 403 403 403 403 200",
                                       "302 403 403 403 403 403 403 403 405"),
    "people:person-list":             ("302 403 403 200 404 403 404 403 200",
                                       "302 403 403 405 404 403 404 403 405"),
    "people:person-edit":             ("302 403 403 200 404 403 404 403 200",
                                       "302 403 403 200 404 403 404 403 200"),
    "people:person-deactivate":       ("302 403 403 405 404 403 404 403 405",
                                       "302 403 403 302 404 403 404 403 302"),
    "people:person-reactivate":       ("302 403 403 405 404 403 404 403 405",
                                       "302 403 403 302 404 403 404 403 302"),
    "people:invitation-cancel":       ("302 403 403 405 404 403 404 403 405",
                                       "302 403 403 302 404 403 404 403 302"),
    "people:invitation-resend":       ("302 403 403 405 404 403 404 403 405",
                                       "302 403 403 302 404 403 404 403 302"),
    "people:invitation-create":       ("302 403 403 200 404 403 404 403 200",
                                       "302 403 403 200 404 403 404 403 200"),
    "providers:provider-list":        ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "providers:provider-detail":      ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "providers:bcp-edit":             ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:provider-edit":        ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:return-create":        ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:escalation-rules":     ("302 200 200 200 404 200 404 200 200",
                                       "302 403 403 400 404 403 404 403 400"),
    "providers:icf-round-list":       ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "providers:icf-round":            ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "providers:icf-spending":         ("302 200 200 200 404 200 404 200 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:icf-tranche":          ("302 200 200 200 404 200 404 200 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:icf-allocate":         ("302 403 405 405 404 403 404 403 405",
                                       "302 403 302 302 404 403 404 403 302"),
    "providers:icf-tranche-pdf":      ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "providers:highlight-report-pdf": ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "providers:highlight-report":     ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "providers:import":               ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:import-preview":       ("302 403 404 200 404 403 404 403 404",
                                       "302 403 404 302 404 403 404 403 404"),
    "providers:provider-create":      ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:returns-day":          ("302 200 200 200 404 200 404 200 200",
                                       "302 403 302 302 404 403 404 403 302"),
    "providers:return-home":          ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:risk-log":             ("302 200 200 200 404 200 404 200 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "people:council-create":          ("302 403 403 403 403 403 403 403 200",
                                       "302 403 403 403 403 403 403 403 200"),
    "health":                         ("200 200 200 200 200 200 200 200 200",
                                       "405 405 405 405 405 405 405 405 405"),
    "people:invitation-accept":       ("404 404 404 404 404 404 404 404 404",
                                       "404 404 404 404 404 404 404 404 404"),
    "login":                          ("200 302 302 302 302 302 302 302 302",
                                       "200 302 302 302 302 302 302 302 302"),
    "logout":                         ("302 405 405 405 405 405 405 405 405",
                                       "302 login login login login login login login login"),
    "oversight:rollup":               ("302 403 403 403 403 200 200 200 200",
                                       "302 403 405 405 405 403 403 403 405"),
    "oversight:rollup-region":        ("302 403 403 403 403 200 404 200 200",
                                       "302 403 405 405 405 403 403 403 405"),
    "oversight:region-summary-pdf":   ("302 403 403 403 403 200 404 200 200",
                                       "302 403 403 403 403 403 404 403 403"),
    "oversight:region-summary":       ("302 403 403 403 403 200 404 200 200",
                                       "302 403 403 403 403 403 404 403 403"),
    "oversight:letter-list":          ("302 403 403 403 403 200 200 200 200",
                                       "302 403 405 405 405 403 403 403 405"),
    "password_change":                ("302 200 200 200 200 200 200 200 200",
                                       "302 200 200 200 200 200 200 200 200"),
    "password_change_done":           ("302 200 200 200 200 200 200 200 200",
                                       "302 405 405 405 405 405 405 405 405"),
    "password_reset":                 ("200 200 200 200 200 200 200 200 200",
                                       "200 200 200 200 200 200 200 200 200"),
    "password_reset_confirm":         ("200 200 200 200 200 200 200 200 200",
                                       "200 200 200 200 200 200 200 200 200"),
    "password_reset_complete":        ("200 200 200 200 200 200 200 200 200",
                                       "405 405 405 405 405 405 405 405 405"),
    "password_reset_done":            ("200 200 200 200 200 200 200 200 200",
                                       "405 405 405 405 405 405 405 405 405"),
    "plan-list":                      ("302 200 200 200 200 200 200 200 200",
                                       "302 403 405 405 405 403 403 403 405"),
    "actions:dashboard":              ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "actions:action-list":            ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "actions:action-detail":          ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "actions:action-complete":        ("302 403 405 405 404 403 404 403 405",
                                       "302 403 302 302 404 403 404 403 302"),
    "actions:key-area-list":          ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "actions:key-area":               ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "actions:action-edit":            ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "actions:action-create":          ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "actions:commentary-delete":      ("302 403 405 405 404 403 404 403 405",
                                       "302 403 302 302 404 403 404 403 302"),
    "actions:commentary-edit":        ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "actions:commentary-create":      ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "actions:key-area-edit":          ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "actions:assessment":             ("302 403 405 405 404 403 404 403 405",
                                       "302 403 302 302 404 403 404 403 302"),
    "reports:document-list":          ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "reports:appendix-two-pdf":       ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "reports:appendix-two":           ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "reports:committee-report-pdf":   ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "reports:committee-report":       ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "reports:report-edit":            ("302 403 200 200 404 403 404 403 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "reports:report-appendix-one":    ("302 403 200 200 404 403 404 403 200",
                                       "302 403 409 409 404 403 404 403 409"),
    "reports:report-details":         ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "reports:report-section":         ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "reports:dhsc-letter-pdf":        ("302 403 403 200 404 200 404 200 200",
                                       "302 403 403 405 404 403 404 403 405"),
    "reports:dhsc-letter":            ("302 403 403 200 404 200 404 200 200",
                                       "302 403 403 405 404 403 404 403 405"),
    "reports:letter-approve":         ("302 403 403 302 404 403 404 403 302",
                                       "302 403 403 409 404 403 404 403 409"),
    "reports:letter-edit":            ("302 403 403 200 404 403 404 403 200",
                                       "302 403 403 400 404 403 404 403 400"),
    "reports:letter-sent":            ("302 403 403 302 404 403 404 403 302",
                                       "302 403 403 400 404 403 404 403 400"),
    # Return links (officers issue and revoke; the link and the API are the token's own).
    "providers:return-link-list":     ("302 403 200 200 404 403 404 403 200",
                                       "302 403 400 400 404 403 404 403 400"),
    "providers:return-link-revoke":   ("302 403 405 405 404 403 404 403 405",
                                       "302 403 302 302 404 403 404 403 302"),
    "providers:return-reminders":     ("302 403 405 405 404 403 404 403 405",
                                       "302 403 302 302 404 403 404 403 302"),
    "return-links:provider-return":   ("404 404 404 404 404 404 404 404 404",
                                       "404 404 404 404 404 404 404 404 404"),
    "return-links:api-returns":       ("405 405 405 405 405 405 405 405 405",
                                       "401 401 401 401 401 401 401 401 401"),
    # Word copies: the same readers as their PDFs.
    "reports:appendix-two-docx":      ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "reports:committee-report-docx":  ("302 200 200 200 404 200 404 200 200",
                                       "302 403 405 405 404 403 404 403 405"),
    "reports:dhsc-letter-docx":       ("302 403 403 200 404 200 404 200 200",
                                       "302 403 403 405 404 403 404 403 405"),
    # The audit trail: managers of the council, oversight readers of its region, admins.
    "audit:trail":                    ("302 403 403 200 404 200 404 200 200",
                                       "302 403 403 403 404 403 404 403 403"),
    "audit:trail-csv":                ("302 403 403 200 404 200 404 200 200",
                                       "302 403 403 403 404 403 404 403 403"),
    # Starting the next winter: the council's managers only.
    "winters:new-winter":             ("302 403 403 200 404 403 404 403 403",
                                       "302 403 403 400 404 403 404 403 403"),
    "winters:new-winter-apply":       ("302 403 403 405 404 403 404 403 403",
                                       "302 403 403 302 404 403 404 403 403"),
    "signin:oidc-callback":           ("302 login login login login login login login login",
                                       "405 405 405 405 405 405 405 405 405"),
    "signin:oidc-start":              ("302 login login login login login login login login",
                                       "405 405 405 405 405 405 405 405 405"),
}

#: Where Halton's answers differ from Cheshire East's: its framework asks for no DHSC letter
#: and has no requirements to assess; its escalation rules and committee report stand at
#: other versions than Cheshire East's, so an empty POST meets a different check.
HALTON = {
    "providers:escalation-rules":     ("302 200 200 200 404 200 404 200 200",
                                       "302 403 403 409 404 403 404 403 409"),
    "actions:assessment":             ("302 403 405 405 404 403 404 403 405",
                                       "302 403 404 404 404 403 404 403 404"),
    "reports:report-appendix-one":    ("302 403 200 200 404 403 404 403 200",
                                       "302 403 302 302 404 403 404 403 302"),
    "reports:dhsc-letter-pdf":        ("302 403 403 404 404 404 404 404 404",
                                       "302 403 403 405 404 403 404 403 405"),
    "reports:dhsc-letter":            ("302 403 403 404 404 404 404 404 404",
                                       "302 403 403 405 404 403 404 403 405"),
    "reports:letter-approve":         ("302 404 404 404 404 404 404 404 404",
                                       "302 404 404 404 404 404 404 404 404"),
    "reports:letter-edit":            ("302 404 404 404 404 404 404 404 404",
                                       "302 404 404 404 404 404 404 404 404"),
    "reports:letter-sent":            ("302 404 404 404 404 404 404 404 404",
                                       "302 404 404 404 404 404 404 404 404"),
    "reports:dhsc-letter-docx":       ("302 403 403 404 404 404 404 404 404",
                                       "302 403 403 405 404 403 404 403 405"),
}

#: Routes anyone may open signed out (PREAMBLE: sign-in, password reset, health, the
#: accessibility statement, an invitation link); every other route sends anonymous to sign-in.
PUBLIC = {"login", "health", "accessibility", "password_reset", "password_reset_done",
          "password_reset_confirm", "password_reset_complete", "people:invitation-accept",
          "signin:oidc-start", "signin:oidc-callback",
          # A care home's own link and the API: the token is the key (404/401 without one).
          "return-links:provider-return", "return-links:api-returns"}
#: A signed-in person's own session, password and account settings: anyone may change them.
OWN_ACCOUNT = {"logout", "password_change", "account"}
#: Columns of the people who never change anything of a council (readers, committee).
NEVER_CHANGE = ("committee", "regional", "elsewhere", "national")

#: Route parameters that name a council's data (everything else names a council, a plan or a
#: region, or is a token).
SCOPE_PARAMS = {"plan_slug", "council_slug"}
#: A report section's `key` names a kind of section, the same in every council's report.
FREE_PARAMS = {"region_slug", "token", "uidb64", "key"}


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
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _params(route: str) -> set[str]:
    return {match.group(2) for match in PARAM.finditer(route)}


#: Which object a route's `pk` names.
PK_OF = {
    "actions:action-detail": "action", "actions:action-complete": "action",
    "actions:action-edit": "action", "actions:commentary-edit": "commentary",
    "actions:commentary-delete": "commentary", "providers:return-create": "home",
    "providers:return-home": "home",
    "people:person-edit": "person", "people:person-deactivate": "person",
    "people:person-reactivate": "person", "people:invitation-resend": "invitation",
    "people:invitation-cancel": "invitation",
    "providers:return-link-list": "home", "providers:return-link-revoke": "home",
}

COUNCILS = {"cheshire-east": ("committee", "officer", "manager", "halton-officer"),
            "halton": ("halton-committee", "halton-officer", "halton-manager", "officer")}


def _objects(council: Council, manager: User) -> dict:
    """Real objects of the council's sample data, by the names route parameters use."""
    plan = LocalPlan.objects.filter(council=council).order_by("pk").first()
    area = (LocalKeyArea.objects.filter(local_plan=plan, actions__isnull=False,
                                        commentary__isnull=False)
            .select_related("key_area").order_by("pk").distinct().first())
    action = LocalAction.objects.filter(local_key_area=area).order_by("position").first()
    requirement = area.key_area.requirements.order_by("position").first()
    tranche = (IcfTranche.objects.filter(round__council=council).select_related("round")
               .order_by("pk").first())
    fixture = {"cheshire-east": "cheshire-east.csv", "halton": "halton.csv"}[council.slug]
    upload = pending_import_create(
        council=council, user=manager, kind=ImportKind.PROVIDERS, filename=fixture,
        content=(settings.BASE_DIR / "fixtures/providers" / fixture).read_bytes())
    committee = User.objects.get(username=COUNCILS[council.slug][0])
    now = timezone.now()
    invitation = Invitation.objects.create(
        council=council, email=f"invited@{council.slug}.example.org", role="officer",
        token_hash=council.slug.ljust(64, "0"), invited_by=manager, sent_at=now,
        expires_at=now + datetime.timedelta(days=7))
    home = (Provider.objects.filter(council=council, provider_type__in=RETURNING_TYPES)
            .order_by("pk").first())
    link = return_link_issue(provider=home, user=manager,
                             link_for=lambda token: f"/return/{token}/").link
    return {
        "council_slug": council.slug,
        "plan_slug": plan.slug,
        "area_slug": area.key_area.slug,
        # Halton's framework has no requirements: its URL takes position 1.
        "position": requirement.position if requirement else 1,
        "action": action.pk,
        "commentary": Commentary.objects.filter(local_key_area=area).order_by("pk").first().pk,
        "provider": Provider.objects.filter(council=council).order_by("pk").first().pk,
        "home": home.pk,
        "link_pk": link.pk,
        "round_slug": tranche.round.slug,
        "number": tranche.number,
        "upload": upload.pk,
        # The committee report's first section (Halton's report is still the default one).
        "key": committee_report(plan).sections[0].key,
        "person": committee.pk,
        "invitation": invitation.pk,
        "region_slug": "north-west",
        "token": "no-such-invitation",
        "uidb64": "MQ",
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both councils' objects and a signed-in session per person, made once for the module
    inside a transaction that is rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        elsewhere = User.objects.create(username="matrix-elsewhere",
                                        region=Region.objects.get(slug="london"))
        elsewhere.groups.set([Group.objects.get(name=permissions.REGIONAL)])
        sessions = {}
        for user in User.objects.filter(is_active=True):
            client = Client()
            client.force_login(user)
            sessions[user.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
        objects = {
            slug: _objects(Council.objects.get(slug=slug),
                           User.objects.get(username=people[2]))
            for slug, people in COUNCILS.items()
        }
        yield {"sessions": sessions, "objects": objects}
        transaction.set_rollback(True)


def _people(council_slug: str) -> dict[str, str | None]:
    committee, officer, manager, foreign = COUNCILS[council_slug]
    return {"anonymous": None, "committee": committee, "officer": officer, "manager": manager,
            "foreign": foreign, "regional": "regional", "elsewhere": "matrix-elsewhere",
            "national": "national", "admin": "admin"}


def _fill(name: str, route: str, objects: dict, scope: dict) -> str:
    def value(match):
        param = match.group(2)
        if param in SCOPE_PARAMS:
            return str(scope[param])
        if param == "pk":
            return str(objects[PK_OF.get(name, "provider")])
        return str(objects[param])

    return "/" + PARAM.sub(value, route)


def _status(world, username, method, path) -> str:
    client = Client()
    if username:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][username]
    if method == "get":
        response = client.get(path)
    else:
        with transaction.atomic():
            response = client.post(path)
            transaction.set_rollback(True)
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and location.startswith(resolve_url(settings.LOGIN_URL)):
        return "302" if username is None else "login"
    if status == 302 and username is None:
        return f"302→{location}"
    return str(status)


def _answers(world, name, route, objects, scope, people) -> dict:
    answers = {}
    for method in ("get", "post"):
        row = []
        for role in ROLES:
            row.append(_status(world, people[role], method, _fill(name, route, objects, scope)))
        answers[method] = " ".join(row)
    return answers


def test_every_route_is_in_the_matrix_and_every_row_is_a_route():
    """A new route fails here (and in its own test below) until it is given a row."""
    names = {name for name, _ in ROUTES}
    assert {"actions:dashboard", "actions:action-edit", "health", "login"} <= names
    assert sorted(names - set(MATRIX)) == [], "routes missing from MATRIX"
    assert sorted(set(MATRIX) - names) == [], "MATRIX rows for routes that no longer exist"
    assert set(HALTON) <= set(MATRIX)
    for name, row in [*MATRIX.items(), *HALTON.items()]:
        for cells in row:
            assert len(cells.split()) == len(ROLES), name


def _rows():
    yield from MATRIX.items()
    yield from HALTON.items()


def test_only_the_public_routes_let_anonymous_visitors_in():
    for name, (get, post) in _rows():
        if name not in PUBLIC:
            assert get.split()[0] == post.split()[0] == "302", name


def test_a_foreign_council_is_hidden_from_everyone_whose_scope_does_not_hold_it():
    """Another council's officer and a reader of another region get 404, GET and POST."""
    scoped = {name for name, route in ROUTES if _params(route) & SCOPE_PARAMS}
    for name, row in _rows():
        if name in scoped:
            for cells in row:
                answers = dict(zip(ROLES, cells.split(), strict=True))
                assert answers["foreign"] == answers["elsewhere"] == "404", name


def test_readers_and_committee_members_have_no_post_let_through():
    for name, (_, post) in _rows():
        if name not in PUBLIC | OWN_ACCOUNT:
            answers = dict(zip(ROLES, post.split(), strict=True))
            assert {answers[role] for role in NEVER_CHANGE} <= {"403", "404", "405"}, name


def _variants(name: str, route: str, world) -> list[tuple[str, dict, dict, dict]]:
    """(label, objects, scope, people) for each way the route is asked."""
    params = _params(route)
    objects = world["objects"]
    if not params & SCOPE_PARAMS:
        return [("outside", objects["cheshire-east"], objects["cheshire-east"],
                 _people("cheshire-east"))]
    variants = [(slug, objects[slug], objects[slug], _people(slug)) for slug in COUNCILS]
    if params - SCOPE_PARAMS - FREE_PARAMS:
        for slug, other in (("halton", "cheshire-east"), ("cheshire-east", "halton")):
            variants.append((f"{slug} with {other}'s ids", objects[other], objects[slug],
                             _people(slug)))
    return variants


def _refused_crossed(row: str) -> str:
    """A crossed URL: whoever the straight URL lets through finds no such object (a view may
    refuse a method it does not take before or after it looks for the object)."""
    cells = row.split()
    crossed = {"403": "403", "404": "404", "405": "404|405"}
    return " ".join([cells[0]] + [crossed.get(cell, "404") for cell in cells[1:]])


def _expected(name: str, label: str) -> dict:
    get, post = HALTON.get(name, MATRIX[name]) if label.startswith("halton") else MATRIX[name]
    if " with " in label:
        get, post = _refused_crossed(get), _refused_crossed(post)
    return {"get": get, "post": post}


def _as_expected(answers: dict, expected: dict) -> dict:
    """The answers, with a cell the expectation allows alternatives for shown as expected."""
    def row(got: str, want: str) -> str:
        return " ".join(w if g in w.split("|") else g
                        for g, w in zip(got.split(), want.split(), strict=True))

    return {method: row(answers[method], expected[method]) for method in answers}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[name for name, _ in ROUTES])
def test_the_route_answers_every_role_as_the_matrix_says(world, name, route):
    if name not in MATRIX and not os.environ.get("MATRIX_RECORD"):
        pytest.fail(f"{name} ({route}) is not in the permission matrix")
    for label, objects, scope, people in _variants(name, route, world):
        answers = _answers(world, name, route, objects, scope, people)
        if os.environ.get("MATRIX_RECORD"):
            with open(os.environ["MATRIX_RECORD"], "a") as out:
                out.write(f"{name}\t{label}\t{answers['get']}\t{answers['post']}\n")
            continue
        expected = _expected(name, label)
        assert _as_expected(answers, expected) == expected, (label, route)


@pytest.mark.django_db
def test_a_committee_member_sees_no_link_to_an_editing_form(committee_client):
    """The key area page offers a committee member none of the forms they are refused."""
    page = committee_client.get(
        "/plans/cheshire-east-2020-21/areas/seasonal-flu-vaccines/").content.decode()
    assert "/edit/" not in page and "/commentary/new/" not in page and "/new/" not in page
