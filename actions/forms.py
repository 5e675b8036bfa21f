"""Forms for the officers' workspace. Every form renders GOV.UK markup via FORM_RENDERER."""

from django import forms
from django.core.exceptions import ValidationError

from actions.deadlines import parse_deadline
from actions.models import (
    ActionStatus,
    Commentary,
    Compliance,
    LocalAction,
    LocalKeyArea,
    Requirement,
)
from winterplan import permissions
from winterplan.forms.widgets import GovukFormMixin
from winterplan.models import Team, User
from winterplan.validators import validate_web_url

DEADLINE_DATE = "date"
DEADLINE_ONGOING = "ongoing"


def parse_links(text: str) -> list[dict[str, str]]:
    """Links typed one per line as “Title | https://…” (or just the address)."""
    links = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, _, url = line.rpartition("|") if "|" in line else ("", "", line)
        title, url = title.strip(), url.strip()
        try:
            validate_web_url(url)
        except ValidationError:
            raise ValidationError(
                "Line %(number)s: “%(url)s” is not a web address starting with http:// or "
                "https://.",
                params={"number": number, "url": url[:80]},
            ) from None
        links.append({"title": (title or url)[:300], "url": url})
    return links


def links_as_text(links) -> str:
    return "\n".join(f"{link.title} | {link.url}" for link in links)


class LinksField(forms.CharField):
    """Links typed one per line, cleaned to a list of {title, url} (http/https only)."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="One per line: Title | https://address",
            **kwargs,
        )

    def clean(self, value):
        return parse_links(super().clean(value))


MISSING_VERSION = (
    "Nothing was saved: the form did not say which version you started from. Open the page "
    "again and make your change there."
)


class VersionedForm(GovukFormMixin, forms.Form):
    """Carries the version the editor started from, for optimistic locking: required when the
    form changes a stored row (`edits_existing`), so a missing or blank version is an error,
    never a save that skips the check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0,
                                 max_value=2**31 - 1)

    def __init__(self, *args, edits_existing: bool = True, **kwargs):
        self.edits_existing = edits_existing
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.edits_existing and cleaned.get("version") is None:
            self.errors.pop("version", None)
            self.add_error(None, MISSING_VERSION)
        return cleaned


class LocalActionForm(VersionedForm):
    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="What the council will do, as it appears after “ACTION:” in Appendix two.",
    )
    team = forms.ModelChoiceField(label="Responsible team", queryset=Team.objects.none())
    owner = forms.ModelChoiceField(
        label="Named owner (optional)", queryset=User.objects.none(), required=False
    )
    deadline_type = forms.ChoiceField(
        label="Deadline",
        choices=[(DEADLINE_DATE, "A date"), (DEADLINE_ONGOING, "Ongoing")],
        widget=forms.RadioSelect,
    )
    deadline = forms.CharField(
        label="Deadline date",
        required=False,
        max_length=20,
        help_text="For example, 31/10/2020.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    status = forms.ChoiceField(choices=ActionStatus.choices)
    requirements = forms.ModelMultipleChoiceField(
        label="Requirements this action answers (optional)",
        queryset=Requirement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    links = LinksField(label="Evidence links (optional)")

    def __init__(self, *args, local_key_area: LocalKeyArea, **kwargs):
        super().__init__(*args, **kwargs)
        council = local_key_area.local_plan.council
        self.fields["team"].queryset = Team.objects.filter(council=council)
        # Only the council's editors may own an action (a committee member only reads).
        self.fields["owner"].queryset = permissions.council_editors(
            User.objects.all(), council.pk).order_by("first_name", "last_name", "username")
        self.fields["owner"].label_from_instance = (
            lambda user: user.get_full_name() or user.username)
        requirements = Requirement.objects.filter(key_area=local_key_area.key_area).exclude(
            kind="note"
        )
        self.fields["requirements"].queryset = requirements
        self.fields["requirements"].label_from_instance = (
            lambda requirement: f"{requirement.position}. {requirement.text[:140]}"
        )
        if not requirements:
            del self.fields["requirements"]

    #: Fields a conflict can merge one by one (requirements and links are kept as typed).
    MERGEABLE = ("text", "team", "owner", "deadline_type", "deadline", "status")

    @classmethod
    def scalar_initial(cls, action: LocalAction) -> dict:
        return {
            "text": action.text,
            "team": action.team_id,
            "owner": action.owner_id,
            "deadline_type": DEADLINE_ONGOING if action.deadline_ongoing else DEADLINE_DATE,
            "deadline": action.deadline.strftime("%d/%m/%Y") if action.deadline else "",
            "status": action.status,
        }

    @classmethod
    def initial_for(cls, action: LocalAction) -> dict:
        return {
            **cls.scalar_initial(action),
            "requirements": [r.pk for r in action.requirements.all()],
            "links": links_as_text(action.links.all()),
            "version": action.version,
        }

    @classmethod
    def merge_after_conflict(cls, posted, original: LocalAction, current: LocalAction):
        """The editor's input on top of the other person's saved changes: a field the editor
        left as it was takes the newly saved value; a field the editor changed keeps their
        input. Returns the merged data and the names of fields both people changed."""
        def norm(value) -> str:
            return "" if value is None else str(value).replace("\r\n", "\n").strip()

        before, now = cls.scalar_initial(original), cls.scalar_initial(current)
        merged = posted.copy()
        both_changed = []
        for name in cls.MERGEABLE:
            mine = norm(posted.get(name))
            if mine == norm(before[name]):
                merged[name] = "" if now[name] is None else str(now[name])
            elif norm(now[name]) != norm(before[name]) and mine != norm(now[name]):
                both_changed.append(name)
        merged["version"] = current.version
        return merged, both_changed

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("deadline_type")
        if kind == DEADLINE_ONGOING:
            cleaned["deadline_date"], cleaned["deadline_ongoing"] = None, True
            if cleaned.get("deadline"):
                self.add_error("deadline", "Leave the date empty when the deadline is Ongoing.")
        elif kind == DEADLINE_DATE:
            text = cleaned.get("deadline", "")
            if not text:
                self.add_error("deadline", "Enter the deadline date, for example 31/10/2020.")
            elif text.strip().lower() == "ongoing":
                self.add_error("deadline", "Choose “Ongoing” above instead of typing it.")
            else:
                try:
                    parsed = parse_deadline(text)
                except ValidationError as error:
                    self.add_error("deadline", error)
                else:
                    cleaned["deadline_date"], cleaned["deadline_ongoing"] = parsed.date, False
        return cleaned

    def model_data(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"].strip(),
            "team": data["team"],
            "owner": data.get("owner"),
            "deadline": data["deadline_date"],
            "deadline_ongoing": data["deadline_ongoing"],
            "status": data["status"],
        }


class CommentaryForm(VersionedForm):
    """A commentary bullet. Its requirement is chosen by position within the key area (as in
    “Requirement 2”, the page's anchors and `?requirement=2`), never by database id."""

    text = forms.CharField(label="Commentary", widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=8000)
    requirement = forms.TypedChoiceField(
        label="Requirement it answers", required=False, coerce=int, empty_value=None,
    )
    indent = forms.TypedChoiceField(
        label="Level",
        choices=[(0, "Bullet"), (1, "Sub-bullet of the bullet above")],
        coerce=int,
        initial=0,
    )
    links = LinksField(label="Links (optional)")

    def __init__(self, *args, local_key_area: LocalKeyArea, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = {
            requirement.position: requirement
            for requirement in Requirement.objects.filter(key_area=local_key_area.key_area)
        }
        self.fields["requirement"].choices = [("", "The key area as a whole")] + [
            (position, f"{position}. {requirement.text[:100]}")
            for position, requirement in self.requirements.items()
        ]

    def clean_requirement(self) -> Requirement | None:
        position = self.cleaned_data["requirement"]
        return None if position is None else self.requirements[position]

    @classmethod
    def initial_for(cls, commentary: Commentary) -> dict:
        return {
            "text": commentary.text,
            "requirement": commentary.requirement.position if commentary.requirement else None,
            "indent": commentary.indent,
            "links": links_as_text(commentary.links.all()),
            "version": commentary.version,
        }


class AssessmentForm(VersionedForm):
    compliance = forms.ChoiceField(label="Compliance", choices=Compliance.choices)


class KeyAreaTextForm(VersionedForm):
    responsible_team = forms.CharField(
        label="Responsible team line",
        max_length=300,
        required=False,
        help_text="Shown at the top of column 2 of Appendix two.",
    )
    narrative = forms.CharField(
        label="Narrative for the committee report",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Separate paragraphs with a blank line.",
    )
