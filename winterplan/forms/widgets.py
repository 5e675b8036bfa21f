"""GOV.UK classes on Django's widgets, so `{{ form }}` needs nothing per page."""

from django import forms

from winterplan.forms.limits import apply_input_limits

#: First match wins, so subclasses come before their bases.
WIDGET_CLASSES = {
    forms.HiddenInput: "",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.Select: "govuk-select",
    forms.FileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.widgets.Input: "govuk-input",
}


class GovukFormMixin:
    """Adds GOV.UK classes (and their error variants) to every widget of the form, and the
    project's input limits to every field (winterplan.forms.limits)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_input_limits(self)
        for field in self.fields.values():
            widget = field.widget
            for widget_class, css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_class):
                    if not css:
                        break
                    classes = widget.attrs.get("class", "")
                    if css not in classes.split():
                        widget.attrs["class"] = f"{css} {classes}".strip()
                    break

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs.get("class", "").split()
                if base and not base[0].endswith("__input"):
                    widget.attrs["class"] += f" {base[0]}--error"
