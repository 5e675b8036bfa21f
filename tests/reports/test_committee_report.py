"""The committee report: the seed's sections 1-10 with numbered paragraphs, the narrative per
key area from the data, a status table and chart, the appendices; edited in the browser."""

import pytest
from django.urls import reverse

from actions.models import LocalKeyArea, LocalPlan
from reports.models import CommitteeReport, ReportSection
from tests.reports.pdftools import assert_in_order, pdf_text, reader

pytestmark = pytest.mark.django_db

SECTIONS = [
    "1. Report Summary", "2. Recommendations", "3. Reasons for Recommendations",
    "4. Other Options Considered", "5. Background", "6. Implications of the Recommendations",
    "6.1. Legal Implications", "6.10. Climate Change Implications", "7. Ward Members Affected",
    "8. Consultation & Engagement", "9. Access to Information", "10. Contact Information",
]


@pytest.fixture(scope="module")
def report_pdf(sample_pdf):
    content = sample_pdf("committee-report")
    return content, pdf_text(content)


def test_the_pdf_has_the_seed_sections_numbering_and_appendices(report_pdf):
    content, text = report_pdf
    assert_in_order(text, [
        "Health and Adult Social Care and Communities Overview and Scrutiny Committee",
        "Adult Social Care: Our COVID-19 Winter Plan 2020 to 2021 – the Council’s Response",
        *SECTIONS,
        "10.1. Any questions relating to this report should be directed to the following officer:",
        "Name: Alex Jones", "Job Title: Better Care Fund Programme Manager",
        "Appendix one – ADASS letter received 19/09/2020",
        "Dear Mark,",
        "Appendix two – Cheshire East Council COVID-19 Winter Plan 2020/21",
        "Key Points - Summary of Key Local Authority Actions",
        "ACTION: Collate a list of pharmacies available as a local vaccination venue. 16/10/2020",
    ])
    assert_in_order(text, [
        "5.10. The plan includes recommendations and actions for the following key areas:",
        "5.11. Guidance on Infection Prevention and Outbreak Management",
        "5.12. The Department of Health and Social Care (DHSC) has worked with",
        "5.16. There will be some stock of Personal Protective Equipment",
        "5.17. An evidence bank has been set up",
        "5.58. Acute Hospital Admissions", "5.59. Recovery of elective care",
        "5.60. Progress of the local actions as at 14/10/2020",
        "6.1.1. The COVID-19 winter care plan will comprise",
    ])
    assert reader(content).metadata.title.startswith("Adult Social Care: Our COVID-19 Winter")


def test_the_pdf_carries_the_status_table_and_chart(report_pdf):
    _, text = report_pdf
    assert_in_order(text, ["Local actions by status and theme, as at 14/10/2020",
                           "Complete", "Ongoing", "In progress", "Not started", "At risk",
                           "Supporting the System 0 2 1 0 0 3 0", "All themes 0 8 11 0 0 19 0",
                           "Figure: local actions by status per theme"])
    # The chart is real text: each theme's label then its bar segments' counts and total,
    # and the legend.
    assert "Supporting the System 2 1 3" in text
    assert "Complete Ongoing In progress Not started At risk" in text


def test_a_committee_member_reads_the_report(committee_client, plan,
                                             django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        response = committee_client.get(reverse("reports:committee-report", args=[plan.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "MISSING[" not in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="doc-chart"' in page
    assert "Edit the report’s text" not in page
    assert committee_client.get(reverse("reports:report-edit", args=[plan.slug])).status_code \
        == 403


def test_an_officer_edits_a_section_and_the_report_shows_it(officer_client, plan):
    section = ReportSection.objects.get(report__local_plan=plan, key="ward_members")
    url = reverse("reports:report-section", args=[plan.slug, "ward_members"])
    assert officer_client.get(url).status_code == 200

    response = officer_client.post(url, {
        "heading": "Ward Members Affected",
        "body": "Crewe and Macclesfield wards.\n\n- Crewe Central\n- Macclesfield West",
        "version": section.version,
    })

    assert response.status_code == 302
    page = officer_client.get(reverse("reports:committee-report", args=[plan.slug])).content
    page = page.decode()
    assert '<span class="doc-num">7.1.</span> Crewe and Macclesfield wards.' in page
    assert "<li>Macclesfield West</li>" in page
    section.refresh_from_db()
    assert section.history.first().history_user.username == "officer"


def test_a_stale_section_edit_shows_the_other_change(officer_client, plan):
    section = ReportSection.objects.get(report__local_plan=plan, key="rural")
    url = reverse("reports:report-section", args=[plan.slug, "rural"])
    data = {"heading": section.heading, "body": "First.", "version": section.version}
    assert officer_client.post(url, data).status_code == 302
    response = officer_client.post(url, data | {"body": "Second."})
    assert response.status_code == 409
    assert "changed this section while you were editing it" in response.content.decode()
    section.refresh_from_db()
    assert section.body == "First."


def test_key_area_narratives_are_numbered_on_from_the_background(officer_client, plan):
    flu = LocalKeyArea.objects.get(local_plan=plan, key_area__slug="seasonal-flu-vaccines")
    flu.narrative = "First paragraph.\n\nSecond paragraph."
    flu.save()
    page = officer_client.get(reverse("reports:committee-report", args=[plan.slug])).content
    page = page.decode()
    assert '<span class="doc-num">5.20.</span> Seasonal Flu Vaccines' in page
    assert '<span class="doc-num">5.22.</span> Second paragraph.' in page
    assert '<span class="doc-num">5.23.</span> Safe Discharge' in page


def test_appendix_one_can_be_removed(officer_client, plan):
    report = CommitteeReport.objects.get(local_plan=plan)
    response = officer_client.post(reverse("reports:report-appendix-one", args=[plan.slug]), {
        "appendix_one_title": "", "appendix_one_body": "", "version": report.version})
    assert response.status_code == 302
    page = officer_client.get(reverse("reports:committee-report", args=[plan.slug])).content
    assert "Appendix one –" not in page.decode()


def test_a_plan_without_a_report_starts_from_the_standard_sections(client, django_user_model):
    halton = LocalPlan.objects.get(slug="halton-2020")
    client.force_login(django_user_model.objects.get(username="halton-officer"))
    page = client.get(reverse("reports:committee-report", args=[halton.slug])).content.decode()
    assert "10.</span> Contact Information" in page
    assert not CommitteeReport.objects.filter(local_plan=halton).exists()

    response = client.post(reverse("reports:report-section", args=[halton.slug, "summary"]), {
        "heading": "Report Summary", "body": "Halton's care home resilience plan.",
        "version": 0})

    assert response.status_code == 302
    report = CommitteeReport.objects.get(local_plan=halton)
    assert report.sections.count() == 20
    assert report.sections.get(key="summary").body == "Halton's care home resilience plan."


def test_another_councils_officer_cannot_edit(halton_officer_client, plan):
    url = reverse("reports:report-section", args=[plan.slug, "summary"])
    assert halton_officer_client.get(url).status_code == 404
    assert halton_officer_client.post(url, {"heading": "x", "body": "x"}).status_code == 404


def test_every_sections_first_paragraph_is_numbered_as_in_the_seed(plan):
    from reports import documents

    sections = documents.build(documents.get("committee-report"), plan).context["sections"]
    numbered = [section for section in sections if section.paragraphs]
    assert [section.number for section in numbered] == [
        "1", "2", "3", "4", "5", "7", "8", "9", "10"]
    for section in numbered:
        assert section.paragraphs[0].number == f"{section.number}.1", section.heading
