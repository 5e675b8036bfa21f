"""Every page links the site's icon (no more /favicon.ico 404), and the files exist."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db
LINKS = (
    '<link rel="icon" href="/static/favicon.ico" sizes="16x16 32x32 48x48">',
    '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">',
)


@pytest.mark.parametrize("url", [reverse("login"), reverse("plan-list")])
def test_pages_link_the_favicon(officer_client, client, url):
    who = client if url == reverse("login") else officer_client
    body = who.get(url).content.decode()
    for link in LINKS:
        assert link in body


def test_the_favicon_files_are_an_icon_and_an_svg():
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO header
    with open(finders.find("favicon.svg"), encoding="utf-8") as svg:
        assert svg.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')
