from django import forms

from actions.plan_imports.files import MAX_BYTES, TABLE_SUFFIXES, YAML_SUFFIXES
from winterplan.forms.widgets import GovukFormMixin

SPREADSHEET_ONLY = "For a CSV or XLSX file only (a YAML file carries its own)."


class PlanUploadForm(GovukFormMixin, forms.Form):
    """The plan file, and a spreadsheet's plan-level fields."""

    file = forms.FileField(label="National plan file",
                           help_text="YAML (.yaml), CSV (.csv) or Excel (.xlsx), at most 5 MB.")
    slug = forms.SlugField(required=False, max_length=100, help_text=SPREADSHEET_ONLY
                           + " Short name in the web address, e.g. dhsc-winter-plan-2021-22.")
    title = forms.CharField(required=False, max_length=300, help_text=SPREADSHEET_ONLY)
    publisher = forms.CharField(required=False, max_length=200, help_text=SPREADSHEET_ONLY)
    published = forms.DateField(required=False, label="Published on",
                                input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                help_text=SPREADSHEET_ONLY + " dd/mm/yyyy.")
    confirmation_deadline = forms.DateField(
        required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=SPREADSHEET_ONLY + " dd/mm/yyyy; leave blank when the plan asks for no "
        "confirmation letter.")
    source_url = forms.URLField(required=False, label="Source web address", max_length=1000,
                                assume_scheme="https",
                                help_text=SPREADSHEET_ONLY)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(YAML_SUFFIXES + TABLE_SUFFIXES):
            raise forms.ValidationError(
                "The file is not a plan file: upload YAML (.yaml or .yml), CSV (.csv) or an "
                "Excel workbook (.xlsx).")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB: a plan file can be at most "
                "5 MB.")
        return upload

    def plan_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in
                ("slug", "title", "publisher", "published", "confirmation_deadline",
                 "source_url")}


class ApplyForm(forms.Form):
    token = forms.CharField(max_length=100, widget=forms.HiddenInput)
