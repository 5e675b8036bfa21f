from django import forms

from actions.models import NationalPlan
from actions.winters.mapping import MAX_BYTES, SUFFIXES
from winterplan.forms.widgets import GovukFormMixin

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class NewWinterForm(GovukFormMixin, forms.Form):
    """What the next winter is: the national plan, the new plan's slug, title and as-at date."""

    national_plan = forms.ModelChoiceField(
        queryset=NationalPlan.objects.none(), label="New national plan",
        help_text="The plan this winter answers. An administrator imports it first.")
    slug = forms.SlugField(max_length=100, label="Short name of the new plan",
                           help_text="Used in its web address, e.g. cheshire-east-2021-22.")
    title = forms.CharField(required=False, max_length=300,
                            help_text="Leave blank for last winter's title with the new years.")
    as_at = forms.DateField(label="The new plan's as-at date", input_formats=DATE_FORMATS,
                            help_text="The new plan's reporting date, dd/mm/yyyy. Deadlines on "
                            "or before it are not carried: officers set new ones.")
    with_commentary = forms.BooleanField(required=False,
                                         label="Carry last winter's commentary too")

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_plan"].queryset = NationalPlan.objects.exclude(
            pk=source.national_plan_id).order_by("-published_on")


class NewWinterUploadForm(NewWinterForm):
    mapping = forms.FileField(
        required=False, label="Requirement mapping file (optional)",
        help_text="CSV, XLSX or YAML with columns old_ref and new_ref, at most 5 MB. Without "
        "one, a requirement is carried where the new plan has the same reference.")

    def clean_mapping(self):
        upload = self.cleaned_data.get("mapping")
        if upload is None:
            return None
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError("The file is not a mapping file: upload CSV (.csv), "
                                        "Excel (.xlsx) or YAML (.yaml).")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is {upload.size / 1024 / 1024:.1f} MB: a "
                                        "mapping file can be at most 5 MB.")
        return upload


class NewWinterApplyForm(NewWinterForm):
    """The preview's values again (all re-checked), the uploaded mapping's token and the
    preview's fingerprint."""

    token = forms.CharField(required=False, widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)
