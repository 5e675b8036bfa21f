"""Helpers for tests of cached page fragments (winterplan.fragments)."""

import re

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def tokens(response) -> list[str]:
    """The CSRF tokens of the page's forms."""
    return TOKEN.findall(response.content.decode())


def without_tokens(response) -> str:
    """The page with its CSRF tokens blanked (Django masks the token afresh on every page)."""
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())
