"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

A pytest plugin (registered in tests/conftest.py) so that every test package shares one
Playwright and one browser per test process: import the helpers from here, and ask for the
fixtures (`browser`, `site`, `new_page`) by name.

Install Chromium with `apt-get install chromium` (CI does); Playwright's own browser download
does not work here, so the executable path is set.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from winterplan.sample_data import sample_data_load

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    """Browser tests share one process (and so one Chromium) under pytest-xdist."""
    for item in items:
        if "tests/browser/" in str(item.fspath) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the sample data (transactional tests start from an empty DB)."""
    sample_data_load(demo_users=True, second_winter=False)
    return live_server.url


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page, site, username, password=None):
    from django.conf import settings

    page.goto(f"{site}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


_axe = Axe()


def assert_accessible(page):
    """axe-core finds no WCAG 2.2 A/AA violation on the page as it is now.

    A click on a link may still be loading the next page: axe runs once that page has
    loaded, and again if a navigation replaced the document while it ran.
    """
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    page.wait_for_load_state()
    try:
        results = _axe.run(page, options=options)
    except PlaywrightError:
        page.wait_for_load_state()
        results = _axe.run(page, options=options)
    violations = results.response["violations"]
    assert not violations, f"{page.url}\n" + results.generate_report()
