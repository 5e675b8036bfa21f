"""What the documents keep: the committee report's sections, the DHSC letter, rendered PDFs.

CommitteeReport (one per local plan) -> ReportSection (numbered 1-10, with subsections such as
6.1 Legal Implications) and AppendixLink (the links of the optional Appendix one). The
per-key-area narrative (5.11 onwards) lives on actions.LocalKeyArea. DhscLetter is the
confirmation letter and its draft -> approved -> sent workflow; an approved letter keeps the
exact PDF (and Word file) it was approved as. RenderedDocument is the PDF cache, keyed by a
hash of the data a document shows, so any web or worker process can serve a render another one made.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from actions.models import Link, LocalPlan
from winterplan.validators import TEXT_MAX_LENGTH, validate_plausible_date


class CommitteeReport(models.Model):
    """The report to a council committee that carries the plan (sections 1-10, appendices)."""

    local_plan = models.OneToOneField(
        LocalPlan, on_delete=models.CASCADE, related_name="committee_report"
    )
    committee = models.CharField(max_length=300)
    title = models.CharField(max_length=300)
    meeting_date = models.DateField("date of meeting", null=True, blank=True,
                                    validators=[validate_plausible_date])
    contact_name = models.CharField("contact officer", max_length=200, blank=True)
    contact_job_title = models.CharField("contact's job title", max_length=200, blank=True)
    contact_email = models.EmailField("contact's email", blank=True)
    appendix_one_title = models.CharField(
        "Appendix one title",
        max_length=300,
        blank=True,
        help_text="Leave blank for a report without Appendix one.",
    )
    appendix_one_body = models.TextField("Appendix one text", blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["local_plan"]

    def __str__(self) -> str:
        return f"Committee report: {self.local_plan}"

    @property
    def has_appendix_one(self) -> bool:
        return bool(self.appendix_one_title.strip())


class ReportSection(models.Model):
    """A numbered section of the committee report; body paragraphs are separated by blank
    lines and a line starting “- ” is a bullet of the paragraph above it."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subsections"
    )
    key = models.SlugField(max_length=40, help_text="Stable name, e.g. “summary” or “legal”.")
    number = models.CharField(max_length=10, help_text="As printed, e.g. “5” or “6.1”.")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    body = models.TextField(blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="reportsection_unique_key"),
            models.UniqueConstraint(
                fields=["report", "position"], name="reportsection_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}"


class AppendixLink(Link):
    """A link printed under Appendix one (the attached letter's references)."""

    report = models.ForeignKey(
        CommitteeReport, on_delete=models.CASCADE, related_name="appendix_links"
    )
    history = HistoricalRecords()

    class Meta(Link.Meta):
        pass


LETTER_FROZEN = (
    "The letter was approved: it is kept exactly as approved and cannot be changed, returned "
    "to a draft or deleted."
)


def protect_approved_letters(collector, field, sub_objs, using):
    """on_delete for a letter's plan: refuse while the letter is approved or sent, else
    cascade (a draft goes with its plan)."""
    frozen = [letter for letter in sub_objs if letter.is_frozen]
    if frozen:
        raise models.ProtectedError(
            f"Cannot delete {field.remote_field.model._meta.verbose_name}: {LETTER_FROZEN}",
            frozen,
        )
    models.CASCADE(collector, field, sub_objs, using)


class DhscLetterQuerySet(models.QuerySet):
    def delete(self):
        """Delete drafts only: an approved or sent letter is kept for good."""
        frozen = list(self.exclude(state="draft"))
        if frozen:
            raise models.ProtectedError(LETTER_FROZEN, frozen)
        return super().delete()


class DhscLetter(models.Model):
    """The council's letter confirming to DHSC that its winter plan is in place; once approved
    it moves only forward (approved -> sent) and is never changed or deleted."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"

    local_plan = models.OneToOneField(
        LocalPlan, on_delete=protect_approved_letters, related_name="dhsc_letter"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    reference = models.CharField("our reference", max_length=100)
    key_issues = models.TextField(
        max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        blank=True, help_text="One key issue per line; leave blank for none."
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_letters",
    )
    dated = models.DateField(
        "letter date", null=True, blank=True, validators=[validate_plausible_date],
        help_text="The date the letter bears, set by the manager (the day it is approved); "
        "blank on a draft: the plan's reporting date.",
    )
    sent_on = models.DateField("sent", null=True, blank=True, validators=[validate_plausible_date])
    # The letter exactly as approved: what every later download returns.
    approved_pdf = models.BinaryField(null=True, blank=True, editable=False)
    approved_html = models.TextField(blank=True, editable=False)
    approved_pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # The same letter as Word, written from the same data at the same moment (blank for a
    # letter approved before Word copies were kept).
    approved_docx = models.BinaryField(null=True, blank=True, editable=False)
    approved_docx_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["approved_pdf", "approved_html",
                                                 "approved_docx"])
    objects = DhscLetterQuerySet.as_manager()

    #: What may still change once the letter is approved.
    CHANGEABLE_WHEN_FROZEN = frozenset({"state", "sent_on", "version", "updated_at"})

    class Meta:
        verbose_name = "DHSC confirmation letter"
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft", approved_at__isnull=True, sent_on__isnull=True)
                | Q(state="approved", approved_at__isnull=False, approved_pdf__isnull=False,
                    sent_on__isnull=True)
                | Q(state="sent", approved_at__isnull=False, approved_pdf__isnull=False,
                    sent_on__isnull=False),
                name="dhscletter_state_matches_dates",
                violation_error_message="A draft has no approval or sent date; an approved "
                "letter has its approval and stored PDF; a sent letter also has its sent date.",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(dated__isnull=False),
                name="dhscletter_approved_is_dated",
                violation_error_message="An approved letter bears its date.",
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(sent_on__gte=F("dated")),
                name="dhscletter_sent_on_or_after_its_date",
                violation_error_message="A letter cannot be sent before its date.",
            ),
        ]

    def __str__(self) -> str:
        return f"DHSC letter: {self.local_plan}"

    def save(self, *args, **kwargs):
        if changed := self.frozen_changes():
            raise ValidationError(f"{LETTER_FROZEN} (would change: {', '.join(changed)})")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exclude(
            state=self.State.DRAFT
        ).exists():
            raise models.ProtectedError(LETTER_FROZEN, [self])
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.state != self.State.DRAFT

    def frozen_changes(self) -> list[str]:
        """The fields this save would change although the stored letter is approved."""
        if self.pk is None:
            return []
        stored = type(self).objects.filter(pk=self.pk).first()
        if stored is None or not stored.is_frozen:
            return []
        allowed_states = {self.State.APPROVED: {self.State.APPROVED, self.State.SENT},
                          self.State.SENT: {self.State.SENT}}[stored.state]
        changed = [] if self.state in allowed_states else ["state"]
        for field in self._meta.concrete_fields:
            if field.name in self.CHANGEABLE_WHEN_FROZEN:
                continue
            old, new = getattr(stored, field.attname), getattr(self, field.attname)
            if isinstance(old, memoryview | bytes) or isinstance(new, memoryview | bytes):
                old, new = (bytes(v) if v is not None else None for v in (old, new))
            if old != new:
                changed.append(field.name)
        return changed

    @property
    def key_issue_list(self) -> list[str]:
        return key_issue_lines(self.key_issues)


def key_issue_lines(text: str) -> list[str]:
    """The key issues typed one per line, without blank lines or typed bullet marks."""
    lines = []
    for line in (text or "").splitlines():
        line = line.strip().removeprefix("- ").removeprefix("• ").strip()
        if line:
            lines.append(line)
    return lines


class RenderedDocument(models.Model):
    """A rendered PDF, stored under the hash of the data it shows (the cache)."""

    document = models.SlugField(max_length=60)
    subject = models.CharField(max_length=100, help_text="What it is about, e.g. “plan:3”.")
    key = models.CharField(max_length=64, help_text="SHA-256 of the data the document shows.")
    version_key = models.CharField(
        max_length=64, blank=True,
        help_text="SHA-256 of the document, moment, options and its councils' data versions: "
        "how a download finds it without reading the data.")
    as_at = models.DateTimeField(null=True, blank=True, help_text="Blank for the live data.")
    content = models.BinaryField()
    pages = models.PositiveIntegerField()
    render_seconds = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "subject", "key"], name="rendereddocument_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["document", "subject", "created_at"]),
            models.Index(fields=["document", "subject", "version_key"],
                         name="rendereddocument_version"),
        ]

    def __str__(self) -> str:
        return f"{self.document} of {self.subject} ({self.key[:12]})"


class RenderLease(models.Model):
    """A render under way: while the row exists (and has not expired) no other process starts
    the same render; they wait for its RenderedDocument instead."""

    document = models.SlugField(max_length=60)
    subject = models.CharField(max_length=100)
    key = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "subject", "key"], name="renderlease_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"rendering {self.document} of {self.subject}"
