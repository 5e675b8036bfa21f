"""Forms of return links: issuing one, the provider's own return, and reminders."""

from django import forms

from providers.forms import DailyReturnForm, GovukForm


class ReturnLinkIssueForm(GovukForm, forms.Form):
    days = forms.IntegerField(
        label="Days the link works", min_value=1, max_value=366,
        help_text="After this it stops working and the home needs a new link.",
        error_messages={"invalid": "Enter a whole number of days, like 90."},
    )
    send_email = forms.BooleanField(label="E-mail the link to the home's contact address",
                                    required=False)

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].widget.attrs["class"] += " govuk-input--width-4"
        if provider.contact_email:
            self.fields["send_email"].label = f"E-mail the link to {provider.contact_email}"
        else:
            del self.fields["send_email"]


class ProviderReturnForm(DailyReturnForm):
    """The staff form's fields and validation, for the provider's own page: the home and the
    day come from the link and the page, never from what is posted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]  # the provider's second return replaces the first


class ReminderForm(forms.Form):
    """Which home to remind (a home's id), or every home not reported yet (`all`)."""

    provider = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    all = forms.BooleanField(required=False)
    back = forms.ChoiceField(choices=[("returns-day", "returns-day"), ("risk-log", "risk-log")],
                             required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("all") and not cleaned.get("provider"):
            raise forms.ValidationError("Choose a home to remind, or every home.")
        return cleaned
