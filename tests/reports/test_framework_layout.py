"""A framework that is not DHSC's prints its own columns; nested bullets stay nested."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from actions.models import LocalAction
from reports import documents
from tests.reports.pdftools import pdf_text
from winterplan.templatetags.plain_text import text_blocks

pytestmark = pytest.mark.django_db

HALTON = "halton-2020"
PRACTICAL_ADVICE = "Practical advice to include:-"


@pytest.fixture
def halton(db):
    from actions.models import LocalPlan

    return LocalPlan.objects.select_related("council", "national_plan").get(slug=HALTON)


def squashed(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_halton_appendix_two_has_its_own_columns_and_no_empty_actions_column(
    halton_officer_client, halton
):
    body = squashed(halton_officer_client.get(reverse("reports:appendix-two", args=[HALTON])))
    assert ">Responsible group and Forward Plan actions (section 7.2)</th>" in body
    assert ">Support in place (sections 1-6)</th>" in body
    assert ">Actions</th>" not in body
    assert "No requirements." not in body
    assert "Key Points - Summary of Key Local Authority Actions" not in body
    assert "Key Area/Responsible Officer" not in body


def test_dhsc_appendix_two_keeps_the_seed_columns(committee_client, plan):
    body = squashed(committee_client.get(reverse("reports:appendix-two", args=[plan.slug])))
    assert ">Actions</th>" in body
    assert ">Local Authority/NHS Key Area/Responsible Officer</th>" in body
    assert ">Commentary on Actions &amp; links to any associated documents</th>" in body
    assert "Key Points - Summary of Key Local Authority Actions" in body


def test_halton_key_area_page_names_its_own_columns_in_its_caption(halton_officer_client):
    url = reverse("actions:key-area", args=[HALTON, "infection-prevention-and-control"])
    body = squashed(halton_officer_client.get(url))
    assert "DHSC" not in body
    assert ("Infection Prevention and Control: Responsible group and Forward Plan actions "
            "(section 7.2); Support in place (sections 1-6)</caption>") in body
    assert ">Actions</th>" not in body


def test_sub_bullets_are_a_nested_list_on_the_key_area_page(halton_officer_client):
    url = reverse("actions:key-area", args=[HALTON, "infection-prevention-and-control"])
    body = squashed(halton_officer_client.get(url))
    assert f"{PRACTICAL_ADVICE}- -" not in body and f"{PRACTICAL_ADVICE} - Revise" not in body
    assert (f'{PRACTICAL_ADVICE}<ul class="govuk-list govuk-list--bullet doc-list doc-list--sub">'
            "<li>Revise rotas and minimise handovers.</li>") in body


def test_commentary_sub_items_are_nested_on_the_key_area_page(halton_officer_client):
    url = reverse("actions:key-area", args=[HALTON, "oversight-and-compliance"])
    body = squashed(halton_officer_client.get(url))
    lead = body.index("reviewed include:-")
    nested = body[lead:lead + 400]
    assert '<ul class="govuk-list govuk-list--bullet"> <li>' in nested
    assert "Overview of residents" in nested


def test_sub_bullets_are_a_nested_list_in_the_pdf(halton):
    built = documents.build(documents.get("appendix-two"), halton)
    html = " ".join(documents.render_html(built).split())
    assert (f'{PRACTICAL_ADVICE}<ul class="govuk-list govuk-list--bullet doc-list doc-list--sub">'
            "<li>Revise rotas and minimise handovers.</li>") in html
    from reports.pdf import html_to_pdf

    text = pdf_text(html_to_pdf(documents.render_html(built)).content)
    assert f"{PRACTICAL_ADVICE} - -" not in text
    assert f"{PRACTICAL_ADVICE} Revise rotas and minimise handovers. Implementing" in text


def test_the_halton_action_keeps_its_sub_bullets_as_lines(halton):
    action = LocalAction.objects.get(local_key_area__local_plan=halton,
                                     text__contains=PRACTICAL_ADVICE)
    lead, bullets = text_blocks(action.text)[0]
    assert lead.endswith(PRACTICAL_ADVICE)
    assert bullets[0] == "Revise rotas and minimise handovers."
    assert len(bullets) == 7
    assert text_blocks(action.text)[1][0].startswith("NB. Need to be mindful")


def test_bulleted_text_is_escaped_and_linked():
    rendered = Template("{% load plain_text %}{{ text|bulleted }}").render(Context({
        "text": "<b>Lead</b> see https://www.gov.uk\n- one & two\n- three\nAfter."}))
    assert rendered.startswith("&lt;b&gt;Lead&lt;/b&gt; see <a href=\"https://www.gov.uk\"")
    assert "<li>one &amp; two</li><li>three</li></ul>" in rendered
    assert '<span class="doc-run">After.</span>' in rendered


def test_halton_commentary_keeps_the_seeds_nesting(halton):
    built = documents.build(documents.get("appendix-two"), halton)
    areas = {area.slug: area for area in built.context["plan"].areas}
    support = next(item for item in areas["oversight-and-compliance"].commentary
                   if item.text.startswith("In addition to the areas already outlined"))
    assert [child.text[:30] for child in support.children] == [
        "Senior Managers across the sys", "Initiating a Single Point of A",
        "In recognition of the current "]
    actions = next(item for item in areas["infection-prevention-and-control"].commentary
                   if item.text.startswith("In the meantime, we have developed a series"))
    uniform = next(child for child in actions.children if child.text.startswith("Uniform"))
    assert text_blocks(uniform.text)[0][1][0] == (
        "Staff to get changed into uniform, including shoes, on site")
    html = " ".join(documents.render_html(built).split())
    assert ('as outlined below:-<ul class="govuk-list govuk-list--bullet doc-list doc-list--sub">'
            "<li>Staff to get changed into uniform, including shoes, on site</li>") in html
