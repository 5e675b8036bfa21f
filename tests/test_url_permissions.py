"""Every URL the project defines needs sign-in (except sign-in itself and the health check),
and no URL lets a committee member change anything.

The URLs come from Django's resolver, not a hand-kept list: a new view is covered the moment
it is routed.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "health"}
#: A committee member may POST these: they concern only their own session and password.
COMMITTEE_MAY_POST = {"logout", "password_change", "login"}
#: Real values for the URL parameters, from the sample data.
SAMPLE_KWARGS = {
    "plan_slug": "cheshire-east-2020-21",
    "council_slug": "cheshire-east",
    "area_slug": "seasonal-flu-vaccines",
    "position": "1",
}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or str(entry.pattern).startswith("admin"):
                continue
            space = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern)


def _fill(route: str) -> str:
    def value(match):
        converter, name = match.group(1), match.group(2)
        if name in SAMPLE_KWARGS:
            return SAMPLE_KWARGS[name]
        if converter == "int" or name in {"pk", "id"}:
            return "1"
        if converter == "uuid":
            return "00000000-0000-4000-8000-000000000000"
        return "x"

    path = re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    return "/" + path.lstrip("^").rstrip("$")


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda item: item[1])


def test_the_walk_finds_the_workspace():
    names = {name for name, _ in ROUTES}
    assert {"actions:dashboard", "actions:action-edit", "health", "login"} <= names


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[r[1] or "/" for r in ROUTES])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, route):
    path = _fill(route)
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if name in PUBLIC:
            assert response.status_code in (200, 405, 302), (method, path)
            continue
        assert response.status_code == 302, (method, path, response.status_code)
        assert response["Location"].startswith("/login/"), (method, path)


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[r[1] or "/" for r in ROUTES])
def test_a_committee_member_cannot_change_anything(committee_client, name, route):
    if name in COMMITTEE_MAY_POST or name in PUBLIC:
        return
    response = committee_client.post(_fill(route), {"text": "forged", "status": "complete"})
    assert response.status_code in (403, 404, 405), (route, response.status_code)
