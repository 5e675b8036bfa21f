"""Documents assembled from separately rendered sections are the whole render, page for page;
after an edit only the changed section is laid out again."""

import pytest

from actions.models import LocalAction
from reports import documents
from reports.pdf import html_to_pdf, sections_to_pdf

from .pdftools import reader


def structure(node, depth=0) -> list:
    """The structure tree as (depth, role, alt/title) tuples, in order."""
    node = node.get_object()
    out = [(depth, str(node.get("/S")), str(node.get("/Alt", "")))]
    kids = node.get("/K")
    if kids is None:
        return out
    if not isinstance(kids, list):
        kids = [kids]
    for kid in kids:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            out += structure(kid, depth + 1)
    return out


def outline(items, depth=0) -> list:
    out = []
    for item in items:
        if isinstance(item, list):
            out += outline(item, depth + 1)
        else:
            out.append((depth, item.title))
    return out


def summary(content: bytes) -> dict:
    pdf = reader(content)
    root = pdf.trailer["/Root"]
    return {
        "pages": len(pdf.pages),
        "text": [page.extract_text() for page in pdf.pages],
        "outline": outline(pdf.outline),
        "tags": structure(root["/StructTreeRoot"]),
        "title": pdf.metadata.title,
        "lang": str(root.get("/Lang")),
        "links": [len(page.get("/Annots") or []) for page in pdf.pages],
    }


def whole_and_assembled(slug, plan):
    built = documents.build(documents.get(slug), plan)
    whole = html_to_pdf(documents.render_html(built)).content
    sources = documents.section_sources(built, built.document.sections(built.context))
    assembled = sections_to_pdf(sources).content
    return whole, assembled, sources


@pytest.mark.parametrize("slug", ["appendix-two", "committee-report"])
def test_assembled_document_is_the_whole_render(slug, plan):
    whole, assembled, sources = whole_and_assembled(slug, plan)
    assert len(sources) > 10
    expected, got = summary(whole), summary(assembled)
    assert got["pages"] == expected["pages"]
    assert "of {}".format(expected["pages"]) in got["text"][-1]
    assert got == expected


def test_after_an_edit_only_the_edited_key_area_is_laid_out_again(plan):
    document = documents.get("appendix-two")
    documents.render_pdf(documents.build(document, plan))
    again = documents.render_pdf(documents.build(document, plan), use_cache=False)
    assert again.laid_out == ()
    action = LocalAction.objects.filter(local_key_area__local_plan=plan).order_by("pk").first()
    action.text = "A freshly edited action for the section cache"
    action.save()
    built = documents.build(document, plan)
    edited = documents.render_pdf(built)
    sections = document.sections(built.context)
    [edited_area] = [section for section in sections
                     if any(a.text == action.text for a in section.data["entry"].area.actions)]
    area_key = [documents.section_key(built, edited_area)]
    assert not edited.cached
    assert list(edited.laid_out) == area_key
    assert "A freshly edited action" in "".join(
        page.extract_text() for page in reader(edited.content).pages)


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_the_same_uncached_document_render_it_once():
    import threading

    from django.db import connection

    from actions.models import LocalPlan
    from reports.models import RenderedDocument
    from winterplan.sample_data import sample_data_load

    from .conftest import SAMPLE_PLAN

    if not LocalPlan.objects.filter(slug=SAMPLE_PLAN).exists():
        sample_data_load(demo_users=True)  # an earlier transactional test flushed it
    results, errors = [], []
    start = threading.Barrier(2)

    def download():
        try:
            plan = LocalPlan.objects.select_related("council", "national_plan").get(
                slug=SAMPLE_PLAN)
            built = documents.build(documents.get("committee-report"), plan)
            start.wait()
            results.append(documents.render_pdf(built))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=download) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(result.cached for result in results) == [False, True]
    assert results[0].content == results[1].content
    assert RenderedDocument.objects.filter(document="committee-report").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_lease_asked_for_while_the_database_is_locked_waits_for_it(caplog):
    """SQLite answers "locked" while another connection writes (another process storing its
    render): the lease is asked for again, not skipped (which would render twice)."""
    import datetime
    import threading
    import time

    from django.db import connection, transaction
    from django.utils import timezone

    from reports.models import RenderLease

    holding, done = threading.Event(), threading.Event()

    def write_for_a_moment():
        try:
            with transaction.atomic():
                RenderLease.objects.create(document="other", subject="x", key="k",
                                           expires_at=timezone.now() + datetime.timedelta(1))
                holding.set()
                time.sleep(0.8)
        finally:
            connection.close()
            done.set()

    writer = threading.Thread(target=write_for_a_moment)
    writer.start()
    holding.wait(5)
    assert documents._lease_take("appendix-two", "plan:1", "a-key") is True
    writer.join()
    assert "rendering anyway" not in caplog.text
    assert RenderLease.objects.filter(document="appendix-two", key="a-key").exists()
