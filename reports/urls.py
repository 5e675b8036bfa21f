"""Mounted at /plans/<plan_slug>/documents/ (see README, "URLs")."""

from django.urls import path

from reports import views

app_name = "reports"


def _document(slug: str):
    page, pdf = views.document_urls(slug)
    names = {"document_slug": slug, "page_url_name": page, "pdf_url_name": pdf,
             "docx_url_name": views.docx_url_name(slug)}
    return [
        path(f"{slug}/", views.PlanDocumentPageView.as_view(**names), name=slug),
        path(f"{slug}.pdf", views.PlanDocumentPdfView.as_view(**names), name=f"{slug}-pdf"),
        path(f"{slug}.docx", views.PlanDocumentDocxView.as_view(**names), name=f"{slug}-docx"),
    ]


urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document-list"),
    *_document("appendix-two"),
    *_document("committee-report"),
    *_document("dhsc-letter"),
    path("committee-report/edit/", views.ReportEditView.as_view(), name="report-edit"),
    path("committee-report/edit/details/", views.ReportDetailsView.as_view(),
         name="report-details"),
    path("committee-report/edit/appendix-one/", views.AppendixOneView.as_view(),
         name="report-appendix-one"),
    path("committee-report/edit/sections/<slug:key>/", views.ReportSectionView.as_view(),
         name="report-section"),
    path("dhsc-letter/edit/", views.LetterEditView.as_view(), name="letter-edit"),
    path("dhsc-letter/approve/", views.LetterApproveView.as_view(), name="letter-approve"),
    path("dhsc-letter/sent/", views.LetterSentView.as_view(), name="letter-sent"),
]
