"""Forms of the providers pages. Every form renders GOV.UK markup through FORM_RENDERER."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from providers.cqc.importer import is_cqc_file
from providers.models import (
    PPE_FIELDS,
    BcpOutcome,
    DailyReturn,
    EscalationRule,
    ImportKind,
    Provider,
)
from providers.services.imports import upload_size_error
from winterplan.forms.widgets import GovukFormMixin

DATE_HINT = "For example, 15/07/2020."
NARROW = "govuk-input--width-4"


def date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off"},
        ),
        error_messages={"invalid": "Enter a real date, for example 15/07/2020."},
    )


#: The GOV.UK class a widget's --error variant is made from (GovukFormMixin uses the first).
BASE_CLASSES = ("govuk-input", "govuk-select", "govuk-textarea", "govuk-file-upload")


class GovukForm(GovukFormMixin):
    """GovukFormMixin, plus: numbers are typed into text inputs with a numeric keyboard (GOV.UK
    advises against type=number; the field still validates them), keeping the GOV.UK base
    class first so that its error variant is the one added."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.NumberInput):
                attrs = {k: v for k, v in widget.attrs.items() if k not in ("min", "max", "step")}
                attrs["inputmode"] = "decimal" if isinstance(field, forms.DecimalField) \
                    else "numeric"
                field.widget = widget = forms.TextInput(attrs=attrs)
            classes = widget.attrs.get("class", "").split()
            if classes:
                first = [c for c in classes if c in BASE_CLASSES]
                widget.attrs["class"] = " ".join(first + [c for c in classes if c not in first])


def not_in_future(value, message="This date cannot be in the future."):
    if value and value > timezone.localdate():
        raise ValidationError(message)
    return value


def _narrow(form, names):
    for name in names:
        form.fields[name].widget.attrs["class"] = (
            f"{form.fields[name].widget.attrs.get('class', '')} {NARROW}".strip()
        )


class ModelErrorsMixin:
    """A model's error on a field the form does not show becomes an error of the whole form
    (Django would raise ValueError, a 500)."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            regrouped: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                key = name if name in self.fields else NON_FIELD_ERRORS
                regrouped.setdefault(key, []).extend(messages)
            errors = ValidationError(regrouped)
        super()._update_errors(errors)


MISSING_VERSION = (
    "Nothing was saved: the form did not say which version you started from. Open the page "
    "again and make your change there."
)


def version_field(*, required: bool):
    """The version the editor started from (hidden), for optimistic locking."""
    return forms.IntegerField(widget=forms.HiddenInput, required=required, min_value=0,
                              max_value=2**31 - 1,
                              error_messages={"required": MISSING_VERSION,
                                              "invalid": MISSING_VERSION,
                                              "min_value": MISSING_VERSION,
                                              "max_value": MISSING_VERSION})


class ProviderForm(ModelErrorsMixin, GovukForm, forms.ModelForm):
    """Add a provider, or change one: a change must say the version it started from."""

    version = version_field(required=False)

    class Meta:
        model = Provider
        fields = [
            "name", "provider_type", "client_group", "cqc_location_id", "registered_beds",
            "people_supported", "prime_provider", "council_run", "risk_rating", "contact_email",
        ]
        labels = {
            "provider_type": "Type",
            "cqc_location_id": "CQC location ID",
            "registered_beds": "Registered beds (care homes only)",
            "people_supported": "People supported (community services only)",
            "risk_rating": "Risk rating set by the council",
            "contact_email": "Contact e-mail address (optional)",
        }
        help_texts = {
            "cqc_location_id": "“1-” followed by digits, for example 1-1234567890.",
            "risk_rating": "The escalation rules may raise the provider's RAG above this.",
        }
        widgets = {"provider_type": forms.Select, "risk_rating": forms.RadioSelect}

    def __init__(self, *args, council, **kwargs):
        self.council = council
        super().__init__(*args, **kwargs)
        _narrow(self, ["registered_beds", "people_supported"])
        self.fields["cqc_location_id"].widget.attrs["class"] += " govuk-input--width-20"
        self.fields["risk_rating"].choices = [
            c for c in self.fields["risk_rating"].choices if c[0]
        ]
        self.fields["version"].required = self.instance.pk is not None

    def clean_cqc_location_id(self):
        cqc_id = self.cleaned_data["cqc_location_id"].strip()
        others = Provider.objects.filter(council=self.council, cqc_location_id=cqc_id)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("Another provider in the register has this CQC location ID.")
        return cqc_id

    def _post_clean(self):
        self.instance.council = self.council
        super()._post_clean()

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BcpForm(GovukForm, forms.Form):
    received_on = date_field("Plan received (optional)", required=False)
    reviewed_on = date_field("Plan reviewed (optional)", required=False)
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=[("", "Not reviewed yet"), *BcpOutcome.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    next_review_due = date_field("Next review due (optional)", required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            max_length=4000, label="Notes (optional)")
    #: 0 when the editor saw no plan yet: a plan recorded meanwhile is then a conflict.
    version = version_field(required=True)

    def clean_received_on(self):
        return not_in_future(self.cleaned_data["received_on"])

    def clean_reviewed_on(self):
        return not_in_future(self.cleaned_data["reviewed_on"])

    def clean(self):
        cleaned = super().clean()
        received, reviewed = cleaned.get("received_on"), cleaned.get("reviewed_on")
        if reviewed and not received and "received_on" not in self.errors:
            self.add_error("received_on", "Enter the date the plan arrived before its review.")
        if reviewed and received and reviewed < received:
            self.add_error("reviewed_on", "The review cannot be before the plan arrived.")
        if reviewed and not cleaned.get("outcome"):
            self.add_error("outcome", "Choose the outcome of the review.")
        if cleaned.get("outcome") and not reviewed and "reviewed_on" not in self.errors:
            self.add_error("reviewed_on", "Enter the date of the review.")
        return cleaned

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] or (None if name != "notes" else "")
                for name in ("received_on", "reviewed_on", "next_review_due", "notes")} | {
            "outcome": self.cleaned_data["outcome"]}


RETURN_FIELDS = [
    "resident_cases", "resident_cases_confirmed_on", "staff_cases", "staff_cases_confirmed_on",
    "admissions_restricted", "visitors_restricted", "social_workers_restricted",
    "healthcare_professionals_restricted", "vacant_beds", "staffing_issue", *PPE_FIELDS,
    "medication_issue", "other_supplies_issue", "it_issue", "capacity_tracker_updated",
    "nhsmail_working", "essential_service_impact", "issues", "overview",
]


class DailyReturnForm(ModelErrorsMixin, GovukForm, forms.ModelForm):
    """One home's return for one day. The home and the day come from the page, not the form."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DailyReturn
        fields = RETURN_FIELDS
        widgets = {
            "resident_cases_confirmed_on": forms.DateInput(format="%d/%m/%Y"),
            "staff_cases_confirmed_on": forms.DateInput(format="%d/%m/%Y"),
            "issues": forms.Textarea(attrs={"rows": 2}),
            "overview": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _narrow(self, ["resident_cases", "staff_cases", "vacant_beds", *PPE_FIELDS])
        for name in ("resident_cases_confirmed_on", "staff_cases_confirmed_on"):
            if name not in self.fields:
                continue
            field = self.fields[name]
            field.help_text = DATE_HINT
            field.error_messages["invalid"] = "Enter a real date, for example 15/07/2020."
            field.widget.attrs["class"] += " govuk-input--width-10"
        for name in PPE_FIELDS:
            self.fields[name].error_messages["invalid"] = "Enter a whole number of days."
        for name in ("resident_cases", "staff_cases", "vacant_beds"):
            self.fields[name].error_messages["invalid"] = "Enter a whole number."
        for field in self.fields.values():
            if field.label and not field.label[:1].isupper():
                field.label = field.label[:1].upper() + field.label[1:]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        """The day screen checks duplicates for all homes at once (the service does)."""


#: The day screen's grid: the numbers and yes/no answers that change from day to day.
GRID_NUMBERS = ("resident_cases", "staff_cases", "vacant_beds", *PPE_FIELDS)
GRID_YES_NO = ("admissions_restricted", "staffing_issue", "essential_service_impact")
#: Column headings of the grid (the inputs' own labels add the home's name).
GRID_HEADINGS = {
    "resident_cases": "Residents", "staff_cases": "Staff", "vacant_beds": "Vacant beds",
    "ppe_face_masks_days": "Face masks", "ppe_eye_protection_days": "Eye protection",
    "ppe_aprons_days": "Aprons", "ppe_gloves_days": "Gloves",
    "ppe_hand_sanitiser_days": "Hand sanitiser", "ppe_hand_wash_days": "Hand wash",
    "admissions_restricted": "Admissions restricted", "staffing_issue": "Staffing issues",
    "essential_service_impact": "Essential service affected",
}


class DailyReturnGridForm(DailyReturnForm):
    """One home's row on the day screen: new cases, vacant beds, days of each PPE item and
    three yes/no answers; the rest of the return is kept as it is (the full form has it).
    New cases entered here without a date were confirmed on the day of the return; cases
    set back to 0 lose their date."""

    home = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(DailyReturnForm.Meta):
        fields = [*GRID_NUMBERS, *GRID_YES_NO]

    def __init__(self, *args, home_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in GRID_HEADINGS:
                field.label = f"{field.label}, {home_name}"
        self.cells = [(self[name], name in GRID_YES_NO) for name in (*GRID_NUMBERS,
                                                                     *GRID_YES_NO)]

    def _post_clean(self):
        for cases, confirmed in (("resident_cases", "resident_cases_confirmed_on"),
                                 ("staff_cases", "staff_cases_confirmed_on")):
            number = self.cleaned_data.get(cases)
            if number and getattr(self.instance, confirmed) is None:
                setattr(self.instance, confirmed, self.instance.date)
            elif number == 0:
                setattr(self.instance, confirmed, None)
        super()._post_clean()


class SingleReturnForm(DailyReturnForm):
    """A return for one home on a day chosen in the form (duplicates refused on the date)."""

    class Meta(DailyReturnForm.Meta):
        fields = ["date", *RETURN_FIELDS]
        widgets = DailyReturnForm.Meta.widgets | {"date": forms.DateInput(format="%d/%m/%Y")}

    def validate_unique(self):
        if self.instance.pk is None and self.instance.provider_id and self.instance.date:
            duplicate = DailyReturn.objects.filter(
                provider_id=self.instance.provider_id, date=self.instance.date
            ).exists()
            if duplicate:
                self.add_error("date", "This home already has a return for that day.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the return"
        self.fields["date"].help_text = DATE_HINT
        self.fields["date"].error_messages["invalid"] = "Enter a real date, for example 15/07/2020."
        self.fields["date"].widget.attrs["class"] += " govuk-input--width-10"


class DayForm(GovukForm, forms.Form):
    date = date_field("Day")
    missing = forms.BooleanField(label="Only homes with no return for this day",
                                 required=False)

    def clean_date(self):
        return not_in_future(self.cleaned_data["date"], "Returns cannot be entered for a day "
                                                         "in the future.")


class AssessForm(GovukForm, forms.Form):
    as_at = date_field("Assess as at")

    def clean_as_at(self):
        return not_in_future(self.cleaned_data["as_at"])


class WeekForm(GovukForm, forms.Form):
    week_ending = date_field("Week ending")


class ImportForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=ImportKind.choices,
                             widget=forms.RadioSelect, initial=ImportKind.PROVIDERS)
    file = forms.FileField(
        label="File",
        help_text="CSV (UTF-8) or XLSX in the format described in the README, or CQC's own "
        "file as published: the HSCA Active Locations workbook (.xlsx or .ods) or the care "
        "directory CSV.",
    )
    replace = forms.BooleanField(
        label="Daily returns: replace a return already entered for the same home and day",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".ods")):
            raise ValidationError("Choose a .csv, .xlsx or .ods file.")
        too_large = upload_size_error(upload.size)
        if too_large and self.cleaned_data.get("kind") == ImportKind.PROVIDERS:
            # CQC's national files have a larger limit of their own.
            content = upload.read()
            upload.seek(0)
            if is_cqc_file(upload.name, content):
                too_large = upload_size_error(upload.size, settings.IMPORT_CQC_MAX_UPLOAD_MB)
        if too_large:
            raise ValidationError(too_large)
        return upload

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if (upload and data.get("kind") == ImportKind.DAILY_RETURNS
                and upload.name.lower().endswith(".ods")):
            self.add_error("file", "Daily returns: choose a .csv or .xlsx file.")
        return data


class EscalationRuleForm(ModelErrorsMixin, GovukForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EscalationRule
        fields = ["name", "metric", "comparison", "threshold", "outcome", "lasts_days", "active"]
        labels = {"metric": "Measure", "name": "Name (shown as the reason)",
                  "threshold": "Threshold (blank for yes/no measures)"}
        widgets = {"outcome": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _narrow(self, ["threshold", "lasts_days"])
        self.fields["threshold"].error_messages["invalid"] = "Enter a number."
        self.fields["threshold"].help_text = "For example 2 for “under 2 days”."
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


RULES_CHANGED = (
    "The rules on this page are not the council's rules as they are now (another manager may "
    "have added or removed one): nothing was saved. The rules are shown below as they are "
    "now: make your change again."
)


class EscalationRuleFormSet(forms.BaseModelFormSet):
    """The council's rules, bound by id and version. The page's own count of existing rules
    (`form-INITIAL_FORMS`) is not trusted: the first forms must carry exactly the ids of the
    council's rules, each once, with a version, and the forms after them no id, so a changed
    page can neither duplicate a rule nor touch another council's."""

    #: True after validation when the posted ids were not the council's rules (a conflict).
    rules_changed = False

    def initial_form_count(self):
        if self.is_bound:
            return len(self.get_queryset())
        return super().initial_form_count()

    def clean(self):
        super().clean()
        existing = sorted(rule.pk for rule in self.get_queryset())
        count = self.initial_form_count()
        posted = [str(self.data.get(f"{form.prefix}-id", "")).strip() for form in self.forms]
        versions = [str(self.data.get(f"{form.prefix}-version", "")).strip()
                    for form in self.forms[:count]]
        if not (
            len(posted) >= count
            and all(value.isdigit() for value in posted[:count] + versions)
            and sorted(int(value) for value in posted[:count]) == existing
            and not any(posted[count:])
        ):
            self.rules_changed = True
            raise ValidationError(RULES_CHANGED, code="stale")

    def entries(self) -> tuple[list, list]:
        """(changed or new rules, deleted rules), each with the version the manager started
        from (None for a new rule), rules renumbered in the page's order."""
        self.save(commit=False)
        changed = {id(rule): rule for rule in
                   [rule for rule, _ in self.changed_objects] + self.new_objects}
        deleted = [(form.instance, form.cleaned_data.get("version"))
                   for form in self.deleted_forms if form.instance.pk]
        entries, position = [], 0
        for form in self.forms:
            if form in self.deleted_forms or not (form.instance.pk or form.has_changed()):
                continue
            rule = form.instance
            if rule.position != position:
                rule.position = position
                changed[id(rule)] = rule
            if id(rule) in changed:
                entries.append((rule, form.cleaned_data.get("version")))
            position += 1
        return entries, deleted


class PaymentForm(GovukForm, forms.Form):
    paid_on = date_field("Paid on")
    reference = forms.CharField(label="Payment reference (optional)", max_length=60,
                                required=False)
    #: What the payer saw unpaid (providers.services.funding.icf_unpaid_key).
    unpaid = forms.CharField(widget=forms.HiddenInput, max_length=64,
                             error_messages={"required": MISSING_VERSION})


class SpendingReturnForm(GovukForm, forms.Form):
    provider = forms.ModelChoiceField(queryset=Provider.objects.none(), label="Provider")
    submitted_on = date_field("Return submitted on")
    spent = forms.DecimalField(label="Spent on infection control (£)", min_value=0,
                               max_digits=12, decimal_places=2)
    restricted_staff_movement = forms.BooleanField(
        label="Used the grant to restrict staff movement", required=False
    )
    returned = forms.DecimalField(label="Unspent money returned (£)", min_value=0,
                                  max_digits=12, decimal_places=2, required=False)
    returned_on = date_field("Returned on (optional)", required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                            max_length=4000, label="Notes (optional)")

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        for name in ("spent", "returned"):
            self.fields[name].widget.attrs["class"] += " govuk-input--width-10"
            self.fields[name].error_messages["invalid"] = "Enter an amount in pounds, like 1250.50."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("returned") and not cleaned.get("returned_on"):
            self.add_error("returned_on", "Enter the date the money was returned.")
        return cleaned

    def model_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in (
            "submitted_on", "spent", "restricted_staff_movement", "returned", "returned_on",
            "notes")}
        data["returned"] = data["returned"] or 0
        return data

