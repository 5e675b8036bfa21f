"""The main pages fit a phone (390 px) and a desktop (1280 px) in a real browser: the page
never scrolls sideways (a wide table scrolls inside its own region), no table cell breaks a
word, statuses stay on one line, axe-core finds nothing, and the favicon is served.

The browser, live server and sample data come from the shared fixtures in
tests/browser_support.py.
"""

import pytest

from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PLAN = "/plans/cheshire-east-2020-21"
CHESHIRE_EAST = "/councils/cheshire-east/providers"
HALTON = "/councils/halton/providers"
#: (user, page, whether its table cells are checked word by word).
PAGES = [
    ("officer", f"{PLAN}/", True),
    ("officer", f"{PLAN}/actions/", True),
    ("officer", f"{PLAN}/actions/?sort=status", True),
    ("officer", f"{PLAN}/areas/", True),
    ("officer", f"{PLAN}/areas/seasonal-flu-vaccines/", True),
    ("officer", f"{PLAN}/areas/supporting-the-workforce/", True),
    ("officer", f"{PLAN}/documents/", True),
    ("officer", f"{PLAN}/documents/committee-report/edit/", True),
    ("officer", "/plans/", True),
    ("officer", f"{CHESHIRE_EAST}/", True),
    ("officer", f"{CHESHIRE_EAST}/risk-log/", True),
    ("halton-officer", f"{HALTON}/risk-log/", True),
    ("halton-officer", f"{HALTON}/funding/", True),
    ("halton-officer", f"{HALTON}/funding/round-1/", True),
    ("halton-officer", f"{HALTON}/funding/round-1/tranches/1/", True),
    ("halton-officer", f"{HALTON}/highlight-report/?week_ending=15/07/2020", True),
    # The returns day screen is being rebuilt as a grid elsewhere: here only the page as a
    # whole (no sideways scroll, axe), not its cells.
    ("halton-officer", f"{HALTON}/returns/?date=15/07/2020", False),
]

#: Problems with the table cells: a word (anything between spaces, hyphens and slashes) whose
#: letters sit on more than one line, a style that lets a cell break words, a tag (a status,
#: a RAG; not a longer phrase, `.wpt-tag--phrase`) on more than one line. Web addresses
#: (`.wpt-url`, links to other sites) may split.
CELL_PROBLEMS = """() => {
  const problems = [];
  const lines = range => new Set([...range.getClientRects()].filter(r => r.width > 0)
    .map(r => Math.round(r.top))).size;
  const skipped = el => el.closest('.wpt-url, a[href^="http"], .govuk-visually-hidden');
  for (const cell of document.querySelectorAll('table.govuk-table td, table.govuk-table th')) {
    const style = getComputedStyle(cell);
    const text = cell.textContent.trim().slice(0, 40);
    if (['break-all', 'break-word'].includes(style.wordBreak)
        || style.overflowWrap === 'anywhere') {
      problems.push(`cell styled ${style.wordBreak}/${style.overflowWrap}: ${text}`);
    }
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (skipped(node.parentElement)) continue;
      const word = /[^\\s\\-\\u2010-\\u2014\\/]+/g;
      for (let match = word.exec(node.data); match; match = word.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (lines(range) > 1) problems.push(`word broken: "${match[0]}"`);
      }
    }
  }
  const tags = 'table.govuk-table .govuk-tag:not(.wpt-tag--phrase)';
  for (const tag of document.querySelectorAll(tags)) {
    const range = document.createRange();
    range.selectNodeContents(tag);
    if (lines(range) > 1) problems.push(`tag on several lines: "${tag.textContent.trim()}"`);
  }
  return problems.slice(0, 10);
}"""


def _page_problems(page, check_cells: bool) -> list[str]:
    problems = []
    scroll_width, width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > width:
        problems.append(f"the page scrolls sideways: {scroll_width} px wide in {width} px")
    if check_cells:
        problems += page.evaluate(CELL_PROBLEMS)
    return problems


@pytest.mark.parametrize("width", [390, 1280])
def test_main_pages_fit_the_screen_without_breaking_words(site, browser, width):
    failures = {}
    pages = {}
    try:
        for user, path, check_cells in PAGES:
            if user not in pages:
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, locale="en-GB",
                    timezone_id="Europe/London",
                )
                context.set_default_timeout(15_000)
                pages[user] = context.new_page()
                sign_in(pages[user], site, user)
            page = pages[user]
            response = page.goto(f"{site}{path}")
            assert response.status == 200, path
            problems = _page_problems(page, check_cells)
            if problems:
                failures[path] = problems
            assert_accessible(page)
    finally:
        for page in pages.values():
            page.context.close()
    assert not failures, f"at {width} px: {failures}"


def test_every_page_links_a_favicon_that_is_served(site, new_page):
    page = new_page()
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(f"{site}/login/")
    hrefs = page.locator("link[rel=icon]").evaluate_all("links => links.map(l => l.href)")
    assert len(hrefs) == 2
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
        assert response.headers["content-type"].startswith("image/"), href
    sign_in(page, site, "officer")
    page.goto(f"{site}{PLAN}/")
    assert page.locator("link[rel=icon]").count() == 2
    assert not failed
