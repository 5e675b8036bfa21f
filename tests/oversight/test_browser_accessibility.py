"""The roll-up in a real browser (Chromium): axe-core finds no WCAG 2.2 A/AA violation, on the
page, a region's page and the form showing an error."""

import pytest

from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_rollup_pages_pass_axe(site, new_page):
    def steps(page):
        sign_in(page, site, "national")
        for path in ("/oversight/", "/oversight/north-west/?plan=started",
                     "/oversight/?as_at=31/02/2020"):
            page.goto(site + path)
            assert_accessible(page)

    steps(new_page())
