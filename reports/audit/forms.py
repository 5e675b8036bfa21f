from django import forms
from django.core.exceptions import ValidationError

from winterplan.forms.widgets import GovukFormMixin
from winterplan.validators import validate_plausible_date

DATE_HINT = "For example, 15/07/2020."
END_BEFORE_START = "The last day must be the same as or after the first day."


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, help_text=DATE_HINT, validators=[validate_plausible_date],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={
            "class": "govuk-input govuk-input--width-10", "autocomplete": "off",
            "inputmode": "numeric"}),
        error_messages={"invalid": "Enter a real date, for example 15/07/2020.",
                        "required": "Enter a date, for example 15/07/2020."},
    )


class AuditRangeForm(GovukFormMixin, forms.Form):
    """The days the audit trail covers, both included (UK time)."""

    start = _date("From")
    end = _date("To")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError({"end": END_BEFORE_START})
        return data
