"""WeasyPrint fetches nothing but our own static files, user text is escaped, and a render is
bounded in time, memory and size."""

import socket
import threading

import pytest

from reports import documents
from reports.pdf import (
    STATIC_BASE,
    DocumentTooLarge,
    RenderError,
    RenderTimeout,
    html_to_pdf,
    safe_url_fetcher,
)
from tests.reports.factories import tiny_plan
from tests.reports.pdftools import pdf_text, reader

HOSTILE = (
    'Hostile <img src="file:///etc/passwd"> text and a link to http://127.0.0.1:9/ here.'
)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/",
    "https://127.0.0.1:9/static/reports/print.css",
    "https://example.org/static/reports/print.css",
    f"{STATIC_BASE}../../../../etc/passwd",
    f"{STATIC_BASE}reports/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    f"{STATIC_BASE}reports/..%2f..%2f..%2fsettings.py",
    f"{STATIC_BASE}reports/print.css/../../../manage.py",
    "https://static.winterplan.invalid/etc/passwd",
    f"{STATIC_BASE}../winterplan/settings.py",
    "data:text/css,body{color:red}",
])
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ValueError, match="refused"):
        safe_url_fetcher().fetch(url)


def test_the_fetcher_serves_the_print_stylesheet():
    response = safe_url_fetcher().fetch(f"{STATIC_BASE}reports/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.fixture
def listener():
    """A local TCP server that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            connections.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join(1)
    server.close()


def test_raw_html_cannot_read_files_or_reach_the_network(listener):
    port, connections = listener
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><title>t</title>
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head>
      <body><p>Body</p><img src="file:///etc/passwd" alt="">
      <img src="http://127.0.0.1:{port}/x.png" alt=""></body></html>"""
    result = html_to_pdf(html)
    assert connections == []
    assert not reader(result.content).attachments
    assert "root:" not in pdf_text(result.content)
    assert result.fetched and not any(served for _, served in result.fetched)


def test_hostile_commentary_is_printed_escaped_and_fetches_nothing(db):
    plan = tiny_plan(commentary=HOSTILE)
    built = documents.build(documents.get("appendix-two"), plan)
    html = documents.render_html(built)
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html

    result = html_to_pdf(html)

    text = pdf_text(result.content)
    assert '<img src="file:///etc/passwd">' in text
    assert "http://127.0.0.1:9/" in text
    assert result.fetched == [(f"{STATIC_BASE}reports/print.css", True)]
    assert not reader(result.content).attachments


def test_a_render_that_runs_too_long_is_stopped():
    html = "<table>" + "<tr><td>cell</td><td>cell</td></tr>" * 5000 + "</table>"
    with pytest.raises(RenderTimeout):
        html_to_pdf(html, timeout=0.05)


def test_a_render_that_needs_too_much_memory_is_stopped():
    # 5 MB of text: laying it out needs hundreds of MB, far past the free heap a long-running
    # parent may already have mapped (the child's budget is its size at fork plus 1 MB).
    html = "<p>" + "word " * 1_000_000 + "</p>"
    with pytest.raises(RenderError):
        html_to_pdf(html, memory_mb=1, timeout=60)


def test_a_huge_document_is_refused_before_rendering(settings):
    settings.REPORTS_PDF_MAX_HTML_BYTES = 1000
    with pytest.raises(DocumentTooLarge):
        html_to_pdf("<p>" + "x" * 2000 + "</p>")
