"""Forms for the people pages; the rules they feed live in services.py."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation

from winterplan.forms.widgets import GovukFormMixin
from winterplan.models import Council, Team, User
from winterplan.people.models import INVITABLE_ROLE_CHOICES


class CouncilForm(GovukFormMixin, forms.ModelForm):
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    teams = forms.CharField(
        label="Teams", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One team per line, e.g. Quality Assurance. Actions are given to teams.",
    )

    class Meta:
        model = Council
        fields = ["name", "slug", "gss_code", "region", "address", "telephone", "email",
                  "website", "dass_name", "dass_title"]
        labels = {"name": "Council name", "address": "Address",
                  "email": "E-mail address", "dass_name": "Director of Adult Social Services"}
        help_texts = {
            "slug": "Used in web addresses, e.g. cheshire-east. Lower-case letters, numbers "
                    "and hyphens.",
            "dass_name": "Signs the letter to DHSC.",
        }

    def team_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["teams"].splitlines()
                if line.strip()]


class _TeamField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class InvitationForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off",
                                                            "spellcheck": "false"}))
    role = forms.ChoiceField(label="Role", choices=INVITABLE_ROLE_CHOICES,
                             widget=forms.RadioSelect)
    team = _TeamField(label="Team", queryset=Team.objects.none(), required=False,
                      empty_label="No team")

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(council=council)


class PersonForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(label="Role", choices=INVITABLE_ROLE_CHOICES,
                             widget=forms.RadioSelect)
    team = _TeamField(label="Team", queryset=Team.objects.none(), required=False,
                      empty_label="No team")

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(council=council)


class InvitationAcceptForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(label="First name", max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label="Last name", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(
        label="Password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not only numbers, not a common password.",
    )
    password2 = forms.CharField(
        label="Confirm password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match.")
        elif first:
            candidate = User(username=self.email, email=self.email,
                             first_name=data.get("first_name", ""),
                             last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    """Django's reset form in GOV.UK markup."""


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    """Django's new-password form in GOV.UK markup."""
