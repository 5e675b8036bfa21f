"""An assembly after one edit paints again only the pages of the edited section: the other
pages replay what their earlier painting recorded, and the document is still the whole
render (text, pages, outline, structure tree, links)."""

import pytest

from actions.models import Commentary, LocalAction
from reports import documents
from reports.pdf import html_to_pdf, sections_to_pdf

from .pdftools import pdf_text
from .test_sections import summary


def assembled(slug, plan):
    built = documents.build(documents.get(slug), plan)
    sources = documents.section_sources(built, built.document.sections(built.context))
    return built, sources, sections_to_pdf(sources)


def whole(built) -> bytes:
    return html_to_pdf(documents.render_html(built)).content


@pytest.mark.parametrize(("slug", "with_images"), [
    ("appendix-two", 0),
    ("committee-report", 1),  # its first page's SVG figure: images are painted every time
])
def test_a_second_assembly_replays_every_page_and_is_the_whole_render(slug, with_images,
                                                                      plan):
    assembled(slug, plan)
    built, _, again = assembled(slug, plan)
    assert again.laid_out == [] and again.painted == with_images
    assert summary(again.content) == summary(whole(built))


def test_after_an_edit_only_the_edited_sections_pages_are_painted_again(plan):
    assembled("appendix-two", plan)
    action = LocalAction.objects.filter(local_key_area__local_plan=plan).order_by("pk").first()
    action.text = "An action edited to check which pages are painted again"
    action.save()
    built, sources, edited = assembled("appendix-two", plan)
    assert len(edited.laid_out) == 1
    one_section = sections_to_pdf([s for s in sources if s[0] == edited.laid_out[0]])
    assert edited.painted == one_section.pages < edited.pages
    assert summary(edited.content) == summary(whole(built))
    assert "An action edited to check which pages are painted again" in pdf_text(
        edited.content)


def test_a_page_with_characters_no_font_has_is_painted_every_time_and_still_right(plan):
    """Characters missing from every font get stand-in glyph numbers from the document's own
    font objects, so such a page is never replayed; the text still comes out."""
    entry = Commentary.objects.filter(local_key_area__local_plan=plan).order_by("pk").first()
    entry.text = "Private-use characters \ue000\ue001 and a note"
    entry.save()
    assembled("appendix-two", plan)
    built, _, again = assembled("appendix-two", plan)
    assert again.laid_out == []
    assert 0 < again.painted < again.pages
    assert summary(again.content) == summary(whole(built))


def test_after_an_edit_only_the_edited_sections_html_is_made_again(plan):
    document = documents.get("appendix-two")
    built = documents.build(document, plan)
    before = dict(documents.section_sources(built, document.sections(built.context)))
    action = LocalAction.objects.filter(local_key_area__local_plan=plan).order_by("pk").first()
    action.text = "An action edited to check which section's HTML is made again"
    action.save()
    built = documents.build(document, plan)
    after = documents.section_sources(built, document.sections(built.context))
    changed = [html for key, html in after if key not in before]
    assert len(changed) == 1 and "which section&#x27;s HTML is made again" in changed[0]
    kept = [html for key, html in after if key in before]
    assert len(kept) == len(after) - 1
    assert all(html is before[key] for key, html in after if key in before)  # not re-rendered


def page_images(content: bytes, directory) -> list[bytes]:
    """Every page as a PNG at 50 dpi (poppler's pdftoppm)."""
    import shutil
    import subprocess

    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm is needed (Debian: apt-get install poppler-utils)"
    source = directory / "document.pdf"
    source.write_bytes(content)
    subprocess.run([tool, "-r", "50", "-png", str(source), str(directory / "page")],  # noqa: S603
                   check=True)
    return [path.read_bytes() for path in sorted(directory.glob("page-*.png"))]


@pytest.mark.parametrize("slug", ["appendix-two", "committee-report"])
def test_an_assembly_after_an_edit_looks_the_same_as_a_whole_render(slug, plan, tmp_path):
    assembled(slug, plan)
    action = LocalAction.objects.filter(local_key_area__local_plan=plan).order_by("pk").first()
    action.text = f"{action.text} (edited)"
    action.save()
    built, _, edited = assembled(slug, plan)
    assert 0 < edited.painted < edited.pages  # most pages replayed
    (tmp_path / "assembled").mkdir()
    (tmp_path / "whole").mkdir()
    got = page_images(edited.content, tmp_path / "assembled")
    expected = page_images(whole(built), tmp_path / "whole")
    assert len(got) == len(expected) == edited.pages
    assert [index for index, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b] == []
