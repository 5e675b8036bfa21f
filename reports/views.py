"""Documents in the browser and as PDF, the committee report's editing, the letter's workflow.

Views pick a document and a format (HTML, PDF, Word) and call the pipeline (reports.documents,
reports.docx); writes go
through reports.services. Permissions come from winterplan.workspace's mixins: every role reads
Appendix two and the committee report, editors change the report's text, and only managers
and admins see, change, approve and export the DHSC letter (403 for everyone else).

Reusing the document views for another subject (e.g. a council)::

    class HighlightReportPage(DocumentPageMixin, CouncilMixin, View):
        document_slug = "weekly-highlight-report"
        page_url_name = "providers:highlight-report"
        pdf_url_name = "providers:highlight-report-pdf"

        def get_subject(self):
            return self.council

        def url_kwargs(self):
            return {"council_slug": self.council.slug}

(and the same with DocumentPdfMixin). Put the mixin first so the document's `read_roles` apply.
"""

import abc
import datetime
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from actions.selectors import reporting_date_for
from actions.workspace import PlanMixin
from reports import documents, docx, selectors, services
from reports.contexts import PLAN_DOCUMENTS, proposed_key_issues_for
from reports.forms import (
    AppendixOneForm,
    AsAtForm,
    LetterApproveForm,
    LetterForm,
    LetterSentForm,
    ReportDetailsForm,
    ReportSectionForm,
)
from reports.models import DhscLetter
from reports.pdf import DocumentTooLarge, RenderError, RenderStillRunning, RenderTimeout
from reports.selectors import NotYetCreated, end_of_day
from reports.services import EditConflict
from winterplan import audit, permissions


def _conflict_context(error: EditConflict) -> dict:
    by = error.changed_by
    return {
        "conflict": error,
        "conflict_by": (by.get_full_name() or by.username) if by else "someone else",
    }


# --- Documents -----------------------------------------------------------------------------


class DocumentViewMixin(abc.ABC):
    """A view of one registered document about one subject, live or as at a past date
    (`?as_at=dd/mm/yyyy` or `YYYY-MM-DD`: the end of that day, UK time)."""

    document_slug = ""
    page_url_name = ""
    pdf_url_name = ""
    #: The Word download's URL name (blank: the document has no Word link).
    docx_url_name = ""

    @cached_property
    def document(self) -> documents.Document:
        return documents.get(self.document_slug)

    @property
    def read_roles(self):
        return self.document.read_roles

    @property
    def write_roles(self):
        """Documents take no POST; anyone who may not read one is refused with 403 first."""
        return self.document.read_roles & permissions.EDITING_ROLES

    @abc.abstractmethod
    def get_subject(self):
        """The object the document is about (a plan, a council)."""

    @abc.abstractmethod
    def url_kwargs(self) -> dict:
        """The URL arguments of the document's page and PDF."""

    def require_available(self) -> None:
        """404 for a document its subject does not have (a letter no framework asks for)."""
        if not self.document.available_for(self.get_subject()):
            raise Http404

    def as_at_form(self) -> AsAtForm:
        if "as_at" in self.request.GET and self.request.GET["as_at"].strip():
            return AsAtForm(self.request.GET)
        return AsAtForm()

    @staticmethod
    def as_at_of(form: AsAtForm) -> datetime.datetime | None:
        return end_of_day(form.cleaned_data["as_at"]) if form.is_bound else None

    @cached_property
    def options(self) -> frozenset[str]:
        """The document's options switched on in the query (`?status=1`)."""
        return documents.options_from(self.document, self.request.GET)

    def page_url(self, as_at: datetime.datetime | None = None, options=None) -> str:
        url = reverse(self.page_url_name, kwargs=self.url_kwargs())
        return url + documents.query_string(as_at, self.options if options is None else options)

    def pdf_url(self, as_at: datetime.datetime | None) -> str:
        url = reverse(self.pdf_url_name, kwargs=self.url_kwargs())
        return url + documents.query_string(as_at, self.options)

    def docx_url(self, as_at: datetime.datetime | None) -> str:
        if not self.docx_url_name:
            return ""
        url = reverse(self.docx_url_name, kwargs=self.url_kwargs())
        return url + documents.query_string(as_at, self.options)


class DocumentPageMixin(DocumentViewMixin):
    """The document in the site's layout, with its PDF link and an as-at form."""

    back_label = "All documents"

    def back_url(self) -> str:
        return ""

    def get_extra_context(self, built) -> dict:
        """More template context (`built` is None when the as-at date was refused)."""
        return {}

    def get(self, request, *args, **kwargs):
        self.require_available()
        form = self.as_at_form()
        built = None
        status = 200
        not_yet = None
        as_at = None
        if form.is_bound and not form.is_valid():
            status = 400
        else:
            as_at = self.as_at_of(form)
            try:
                built = documents.page_body(self.document, self.get_subject(), as_at=as_at,
                                            options=self.options)
            except NotYetCreated as error:
                form.add_error("as_at", str(error))
                not_yet = error
                status = 400
        context = {
            "not_yet": not_yet,
            "document": self.document,
            "document_title": self.document.title,
            "as_at_form": form,
            "page_url": self.page_url(),
            "copies": [
                {"name": name, "label": label, "shown": name in self.options,
                 "url": self.page_url(as_at if built else None,
                                      self.options ^ {name})}
                for name, label in self.document.options.items()
            ],
            "back_url": self.back_url(),
            "back_label": self.back_label,
            "built": built,
        }
        if built is not None:
            context |= {"body": built.body, "stored_html": built.stored,
                        "document_title": built.title, "as_at": as_at,
                        "options": self.options}
            context["pdf_url"] = self.pdf_url(as_at)
            context["docx_url"] = self.docx_url(as_at)
        context |= self.get_extra_context(built)
        return render(request, self.document.page_template_name, context, status=status)


class DocumentPdfMixin(DocumentViewMixin):
    """The document as a PDF download (from cache when its data is unchanged)."""

    def get(self, request, *args, **kwargs):
        self.require_available()
        form = self.as_at_form()
        if form.is_bound and not form.is_valid():
            return HttpResponseBadRequest(
                " ".join(form.errors.get("as_at", [])), content_type="text/plain"
            )
        as_at = self.as_at_of(form)
        try:
            pdf, built = documents.pdf_for(self.document, self.get_subject(), as_at=as_at,
                                           options=self.options)
        except NotYetCreated as error:
            return render(request, "reports/not_yet_created.html", {
                "document": self.document, "not_yet": error, "page_url": self.page_url(),
            }, status=400)
        except (RenderError, documents.BeingPrepared) as error:
            return render_not_ready(request, self.document, error,
                                    page_url=self.page_url(as_at), docx_url=self.docx_url(as_at))
        return documents.pdf_response(built, pdf)


def render_not_ready(request, document, error, *, page_url: str = "", docx_url: str = ""):
    """The answer to a download that has no PDF yet: “being prepared” (202, Retry-After) while
    another process renders it, else the failure page (503) saying what to do for its cause."""
    if isinstance(error, documents.BeingPrepared):
        response = render(request, "reports/being_prepared.html", {
            "document": document, "download_url": request.get_full_path(),
            "retry_after": error.retry_after, "page_url": page_url,
        }, status=202)
        response["Retry-After"] = str(error.retry_after)
        response["Cache-Control"] = "no-store"
        return response
    response = render(request, "reports/render_failed.html", {
        "document": document, "error": error, "page_url": page_url, "docx_url": docx_url,
        "still_running": isinstance(error, RenderStillRunning),
        "timed_out": isinstance(error, RenderTimeout),
        "too_large": isinstance(error, DocumentTooLarge),
        "timeout_seconds": getattr(settings, "REPORTS_PDF_TIMEOUT_SECONDS", 60),
    }, status=503)
    if isinstance(error, RenderStillRunning):
        response["Retry-After"] = "60"
    return response


class DocumentDocxMixin(DocumentViewMixin):
    """The document as a Word download (.docx), with the PDF's permissions and `as_at`."""

    def get(self, request, *args, **kwargs):
        self.require_available()
        form = self.as_at_form()
        if form.is_bound and not form.is_valid():
            return HttpResponseBadRequest(
                " ".join(form.errors.get("as_at", [])), content_type="text/plain"
            )
        try:
            built = documents.build(self.document, self.get_subject(), as_at=self.as_at_of(form),
                                    options=self.options)
        except NotYetCreated as error:
            return render(request, "reports/not_yet_created.html", {
                "document": self.document, "not_yet": error, "page_url": self.page_url(),
            }, status=400)
        try:
            word = docx.render_docx(built)
        except docx.NotKept:
            return render(request, "reports/docx_not_kept.html", {
                "document": self.document, "page_url": self.page_url(),
                "pdf_url": self.pdf_url(built.as_at),
            }, status=404)
        return docx.docx_response(built, word)


class PlanDocumentMixin:
    """A document about the URL's plan."""

    def get_subject(self):
        return self.plan

    def url_kwargs(self) -> dict:
        return {"plan_slug": self.plan.slug}


class PlanDocumentPageView(PlanDocumentMixin, DocumentPageMixin, PlanMixin, View):
    back_label = "All documents for this plan"

    def back_url(self) -> str:
        return reverse("reports:document-list", args=[self.plan.slug])

    def get_extra_context(self, built) -> dict:
        extra = {"plan_obj": self.plan}
        if self.document_slug == "dhsc-letter":
            extra["letter_row"] = selectors.letter_state(self.plan)
            extra["can_approve"] = permissions.can_approve(self.request.user)
        if self.document_slug == "committee-report":
            extra["can_edit"] = permissions.can_edit(self.request.user)
        return extra


class PlanDocumentPdfView(PlanDocumentMixin, DocumentPdfMixin, PlanMixin, View):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.document_slug == "dhsc-letter" and response.status_code == 200:
            audit.audit_event(audit.LETTER_DOWNLOAD, request=request, council=self.plan.council,
                              obj=self.plan, as_at=request.GET.get("as_at") or None)
        return response


class PlanDocumentDocxView(PlanDocumentMixin, DocumentDocxMixin, PlanMixin, View):
    pass


def document_urls(slug: str) -> tuple[str, str]:
    return f"reports:{slug}", f"reports:{slug}-pdf"


def docx_url_name(slug: str) -> str:
    return f"reports:{slug}-docx"


class DocumentListView(PlanMixin, View):
    """The plan's documents with their HTML and PDF links (as at a date if one is given)."""

    def get(self, request, *args, **kwargs):
        form = AsAtForm(request.GET) if request.GET.get("as_at", "").strip() else AsAtForm()
        query = ""
        status = 200
        if form.is_bound:
            if form.is_valid():
                query = f"?as_at={form.cleaned_data['as_at']:%Y-%m-%d}"
            else:
                status = 400
        role = permissions.role_of(request.user)
        rows = []
        for slug in PLAN_DOCUMENTS:
            document = documents.get(slug)
            if role not in document.read_roles or not document.available_for(self.plan):
                continue
            page, pdf = document_urls(slug)
            word = reverse(docx_url_name(slug), args=[self.plan.slug])
            rows.append({
                "document": document,
                "label": document.label,
                "html_url": reverse(page, args=[self.plan.slug]) + query,
                "pdf_url": reverse(pdf, args=[self.plan.slug]) + query,
                "docx_url": word + query,
            })
            for name, copy in document.options.items():
                option = f"{'&' if query else '?'}{name}=1"
                rows.append({
                    "document": document,
                    "label": f"{document.label} ({copy})",
                    "copy": copy,
                    "html_url": reverse(page, args=[self.plan.slug]) + query + option,
                    "pdf_url": reverse(pdf, args=[self.plan.slug]) + query + option,
                    "docx_url": word + query + option,
                })
        return render(request, "reports/document_list.html", {
            "plan": self.plan,
            "rows": rows,
            "form": form,
            "as_at_query": query,
            "letter": selectors.letter_state(self.plan),
            "asks_for_letter": documents.get("dhsc-letter").available_for(self.plan),
            "can_approve": permissions.can_approve(request.user),
            "can_edit": permissions.can_edit(request.user),
        }, status=status)


# --- Editing the committee report ----------------------------------------------------------


class ReportEditMixin(PlanMixin):
    editing = True

    def report(self):
        return selectors.committee_report(self.plan)

    def edit_url(self) -> str:
        return reverse("reports:report-edit", args=[self.plan.slug])


class ReportEditView(ReportEditMixin, View):
    """What the committee report is made of, with a change link for each part."""

    def get(self, request, *args, **kwargs):
        from actions.selectors import key_areas_for_plan

        return render(request, "reports/report_edit.html", {
            "plan": self.plan,
            "report": self.report(),
            "areas": key_areas_for_plan(self.plan),
        })


class VersionedFormView(ReportEditMixin, View):
    """GET shows the form from the saved values; POST saves through a service, showing the
    other person's change on a conflict."""

    form_class = None
    template_name = ""
    fields: tuple[str, ...] = ()
    success_message = "Saved."

    @abc.abstractmethod
    def current(self) -> tuple[dict, int]:
        """The form's initial data and the version it edits."""

    @abc.abstractmethod
    def save(self, data: dict, expected_version: int):
        """Apply the cleaned data through a service."""

    def success_url(self) -> str:
        return self.edit_url()

    def extra_context(self) -> dict:
        return {}

    def render_form(self, form, status=200, **extra):
        return render(self.request, self.template_name, {
            "plan": self.plan, "form": form, **self.extra_context(), **extra,
        }, status=status)

    def get(self, request, *args, **kwargs):
        values, version = self.current()
        return self.render_form(self.form_class(initial={**values, "version": version}))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = {name: form.cleaned_data[name] for name in self.fields}
        data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        try:
            self.save(data, form.cleaned_data["version"] or 0)
        except EditConflict as error:
            post = request.POST.copy()
            post["version"] = error.current.version
            form = self.form_class(post)
            form.is_valid()
            return self.render_form(form, status=409, **_conflict_context(error))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form, status=400)
        messages.success(request, self.success_message)
        return redirect(self.success_url())


class ReportFieldsView(VersionedFormView):
    """Edits some of the committee report's own fields through `service`."""

    service = None

    def current(self):
        report = self.report()
        return {name: getattr(report, name) for name in self.fields}, report.version

    def save(self, data, expected_version):
        type(self).service(plan=self.plan, user=self.request.user, data=data,
                           expected_version=expected_version)


class ReportDetailsView(ReportFieldsView):
    form_class = ReportDetailsForm
    template_name = "reports/report_details_form.html"
    fields = ("title", "committee", "meeting_date", "contact_name", "contact_job_title",
              "contact_email")
    success_message = "Report details saved."
    service = services.committee_report_update


class AppendixOneView(ReportFieldsView):
    form_class = AppendixOneForm
    template_name = "reports/appendix_one_form.html"
    fields = ("appendix_one_title", "appendix_one_body")
    success_message = "Appendix one saved."
    service = services.appendix_one_update


class ReportSectionView(VersionedFormView):
    form_class = ReportSectionForm
    template_name = "reports/report_section_form.html"
    fields = ("heading", "body")
    success_message = "Section saved."

    @cached_property
    def section(self):
        section = self.report().section(self.kwargs["key"])
        if section is None:
            raise Http404
        return section

    def current(self):
        return {"heading": self.section.heading, "body": self.section.body}, self.section.version

    def extra_context(self):
        return {"section": self.section}

    def save(self, data, expected_version):
        services.report_section_update(plan=self.plan, key=self.section.key,
                                       user=self.request.user, data=data,
                                       expected_version=expected_version)


# --- The DHSC letter's workflow ------------------------------------------------------------


class LetterMixin(PlanMixin):
    editing = True
    write_roles = permissions.APPROVING_ROLES

    def roles_needed(self, method: str):
        # Asked once the plan is known: a plan whose framework asks for no letter has none.
        if not documents.get("dhsc-letter").available_for(self.plan):
            raise Http404
        return super().roles_needed(method)

    def letter_url(self) -> str:
        return reverse("reports:dhsc-letter", args=[self.plan.slug])

    def letter_row(self) -> DhscLetter | None:
        return selectors.letter_state(self.plan)


class LetterEditView(LetterMixin, View):
    """Draft the letter: its reference and key issues (proposed from the data at first)."""

    template_name = "reports/letter_form.html"

    def proposed(self) -> list[str]:
        return proposed_key_issues_for(self.plan)

    def render_form(self, form, proposed, status=200, **extra):
        return render(self.request, self.template_name, {
            "plan": self.plan, "form": form, "proposed": proposed,
            "letter": self.letter_row(), **extra,
        }, status=status)

    def get(self, request, *args, **kwargs):
        letter = self.letter_row()
        proposed = self.proposed()
        if letter is not None and letter.is_frozen:
            messages.info(request, services.NOT_A_DRAFT)
            return redirect(self.letter_url())
        draft = selectors.letter(self.plan)
        initial = {
            "reference": draft.reference,
            "dated": draft.dated or reporting_date_for(request).date,
            "key_issues": "\n".join(draft.key_issues if draft.key_issues is not None
                                    else proposed),
            "version": draft.version,
        }
        return self.render_form(LetterForm(initial=initial), proposed)

    def post(self, request, *args, **kwargs):
        proposed = self.proposed()
        if "propose" in request.POST:
            post = request.POST.copy()
            post["key_issues"] = "\n".join(proposed)
            form = LetterForm(post)
            form.is_valid()
            return self.render_form(form, proposed, replaced=True)
        form = LetterForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, proposed, status=400)
        try:
            services.letter_update(
                plan=self.plan, user=request.user,
                data={"reference": form.cleaned_data["reference"].strip(),
                      "key_issues": form.cleaned_data["key_issues"].strip(),
                      "dated": form.cleaned_data["dated"]},
                expected_version=form.cleaned_data["version"] or 0,
            )
        except EditConflict as error:
            post = request.POST.copy()
            post["version"] = error.current.version
            form = LetterForm(post)
            form.is_valid()
            return self.render_form(form, proposed, status=409, **_conflict_context(error))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form, proposed, status=400)
        messages.success(request, "Letter saved as a draft.")
        return redirect(self.letter_url())


class LetterApproveView(LetterMixin, View):
    """Approve the draft: from then on its PDF is frozen."""

    template_name = "reports/letter_approve.html"

    def render_form(self, form, status=200, **extra):
        return render(self.request, self.template_name, {
            "plan": self.plan, "form": form, "letter": self.letter_row(), **extra,
        }, status=status)

    def get(self, request, *args, **kwargs):
        letter = self.letter_row()
        if letter is None:
            messages.info(request, services.NO_DRAFT)
            return redirect(reverse("reports:letter-edit", args=[self.plan.slug]))
        if letter.is_frozen:
            messages.info(request, services.NOT_A_DRAFT)
            return redirect(self.letter_url())
        return self.render_form(LetterApproveForm(initial={
            "version": letter.version,
            "dated": letter.dated or reporting_date_for(request).date,
        }))

    def post(self, request, *args, **kwargs):
        form = LetterApproveForm(request.POST)
        if not form.is_valid():
            # Without the version read, nothing says what was approved: refused as a conflict.
            return self.render_form(form, status=409 if "version" in form.errors else 400)
        try:
            services.letter_approve(plan=self.plan, user=request.user,
                                    expected_version=form.cleaned_data["version"],
                                    dated=form.cleaned_data["dated"])
        except EditConflict as error:
            form = LetterApproveForm(initial={"version": error.current.version,
                                              "dated": form.cleaned_data["dated"]})
            return self.render_form(form, status=409, **_conflict_context(error))
        except ValidationError as error:
            if getattr(error, "code", None) == "no_draft":
                messages.error(request, " ".join(error.messages))
                return redirect(reverse("reports:letter-edit", args=[self.plan.slug]))
            form.add_error(None, error)
            return self.render_form(form, status=400)
        except RenderError as error:
            return render_not_ready(request, documents.get("dhsc-letter"), error)
        audit.audit_event(audit.APPROVAL, request=request, council=self.plan.council,
                          obj=self.plan, document="dhsc-letter")
        messages.success(request, "Letter approved. Its PDF and Word file are now fixed: "
                                  "download the PDF to send.")
        return redirect(self.letter_url())


class LetterSentView(LetterMixin, View):
    """Record the date the approved letter went to DHSC."""

    template_name = "reports/letter_sent.html"

    def render_form(self, form, status=200, **extra):
        return render(self.request, self.template_name, {
            "plan": self.plan, "form": form, "letter": self.letter_row(), **extra,
        }, status=status)

    def get(self, request, *args, **kwargs):
        letter = self.letter_row()
        if letter is None or letter.state != DhscLetter.State.APPROVED:
            messages.info(request, services.NOT_APPROVED)
            return redirect(self.letter_url())
        return self.render_form(LetterSentForm(initial={
            "version": letter.version, "sent_on": letter.dated or timezone.localdate()}))

    def post(self, request, *args, **kwargs):
        form = LetterSentForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            services.letter_mark_sent(plan=self.plan, user=request.user,
                                      sent_on=form.cleaned_data["sent_on"],
                                      expected_version=form.cleaned_data["version"] or 0)
        except EditConflict as error:
            form = LetterSentForm(initial={"version": error.current.version,
                                           "sent_on": form.cleaned_data["sent_on"]})
            return self.render_form(form, status=409, **_conflict_context(error))
        except ValidationError as error:
            form.add_error("sent_on", error)
            return self.render_form(form, status=400)
        messages.success(request, "The letter is recorded as sent.")
        return redirect(self.letter_url())
