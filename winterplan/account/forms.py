from django import forms

from winterplan.forms.widgets import GovukFormMixin


class AccountForm(GovukFormMixin, forms.Form):
    reminders_enabled = forms.BooleanField(
        label="E-mail me reminders", required=False,
        help_text="Actions of yours due in 7 days, due tomorrow and overdue; for managers the "
        "DHSC letter's deadline; for officers business continuity plan reviews.",
    )
