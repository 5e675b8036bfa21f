"""Forms for the documents: the as-at date, the committee report's text, the DHSC letter."""

import datetime

from django import forms
from django.utils import timezone

from winterplan.forms.widgets import GovukFormMixin

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_HINT = "For example, 31/10/2020"


def _date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={
            "class": "govuk-input govuk-input--width-10",
            "inputmode": "numeric",
            "autocomplete": "off",
        }),
        error_messages={"invalid": "Enter a real date as dd/mm/yyyy, for example 31/10/2020."},
    )


class AsAtForm(GovukFormMixin, forms.Form):
    """A past date to rebuild a document at (the end of that day, UK time)."""

    as_at = _date_field(
        "Show the plan as it stood at the end of",
        help_text="A past date, for example 31/10/2020. Leave the page without a date for the "
        "current version.",
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("as_at", "").strip().lower() == "today":
            data = data.copy()  # the header's `?as_at=today`: the end of today
            data["as_at"] = timezone.localdate().strftime("%d/%m/%Y")
        super().__init__(data, *args, **kwargs)

    def clean_as_at(self) -> datetime.date:
        value = self.cleaned_data["as_at"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return value


class VersionedForm(GovukFormMixin, forms.Form):
    """Carries the version the editor started from, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportDetailsForm(VersionedForm):
    title = forms.CharField(label="Report title", max_length=300)
    committee = forms.CharField(label="Committee", max_length=300)
    meeting_date = _date_field("Date of meeting", required=False)
    contact_name = forms.CharField(label="Contact officer", max_length=200, required=False)
    contact_job_title = forms.CharField(label="Contact officer's job title", max_length=200,
                                        required=False)
    contact_email = forms.EmailField(label="Contact officer's email", required=False)


class ReportSectionForm(VersionedForm):
    heading = forms.CharField(label="Heading", max_length=200)
    body = forms.CharField(
        label="Text",
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Separate paragraphs with a blank line; each paragraph is numbered. Start a "
        "line with “- ” for a bullet point of the paragraph above it. Web addresses become "
        "links.",
    )


class AppendixOneForm(VersionedForm):
    appendix_one_title = forms.CharField(
        label="Title of Appendix one",
        max_length=300,
        required=False,
        help_text="For example, “ADASS letter received 19/09/2020”. Leave blank for a report "
        "without Appendix one.",
    )
    appendix_one_body = forms.CharField(
        label="Text of Appendix one",
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Separate paragraphs with a blank line; start a line with “- ” for a bullet.",
    )

    def clean(self):
        data = super().clean()
        if data.get("appendix_one_body", "").strip() and not data.get(
            "appendix_one_title", ""
        ).strip():
            self.add_error("appendix_one_title", "Give Appendix one a title, or remove its text.")
        return data


class LetterForm(VersionedForm):
    reference = forms.CharField(label="Our reference", max_length=100)
    dated = _date_field(
        "Date of the letter", required=False, help_text="For example, 30/10/2020. Leave blank "
        "to date it on the plan's reporting date; it can be changed when approving.")
    key_issues = forms.CharField(
        label="Key issues",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="One key issue per line. Leave blank to tell DHSC there are none.",
    )


class LetterApproveForm(GovukFormMixin, forms.Form):
    """Approval names the version of the draft the manager read, and the letter's date."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages={
        "required": "The approval did not say which version of the letter was read: open the "
                    "letter, read it and approve it from its page."})
    dated = _date_field(
        "Date of the letter", help_text="The date the letter bears and is approved on, for "
        "example 30/10/2020. It cannot be in the future.")


class LetterSentForm(VersionedForm):
    sent_on = _date_field("Date the letter was sent")
