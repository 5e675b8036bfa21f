"""Care homes' daily returns, with the fields Halton's Quality Assurance team collects."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models.register import CARE_HOME_TYPES, Provider
from winterplan.validators import NOTE_MAX_LENGTH, validate_plausible_date

#: The most a return's free text (issues, overview) may hold.
TEXT_MAX_LENGTH = NOTE_MAX_LENGTH

#: Types that send a daily return.
RETURNING_TYPES = CARE_HOME_TYPES

#: (field, label) of each PPE item whose days of stock a return records, in the seed's order.
PPE_ITEMS = (
    ("ppe_face_masks_days", "face masks"),
    ("ppe_eye_protection_days", "eye protection"),
    ("ppe_aprons_days", "aprons"),
    ("ppe_gloves_days", "gloves"),
    ("ppe_hand_sanitiser_days", "hand sanitiser"),
    ("ppe_hand_wash_days", "hand wash"),
)
PPE_FIELDS = tuple(name for name, _ in PPE_ITEMS)


def _ppe_days(label: str):
    return models.PositiveSmallIntegerField(
        f"{label}: days of stock", null=True, blank=True
    )


class EnteredVia(models.TextChoices):
    """How a return reached the app: typed in by council staff, imported from a file, or sent
    by the provider itself through its return link (the web form) or the API."""

    STAFF = "staff", "Entered by council staff"
    IMPORT = "import", "Imported from a file"
    LINK = "link", "Entered by the provider via link"
    API = "api", "Sent by the provider's system (API)"


#: The channels by which a provider reports for itself: never with a user.
PROVIDER_CHANNELS = (EnteredVia.LINK, EnteredVia.API)


class DailyReturnQuerySet(models.QuerySet["DailyReturn"]):
    def for_council(self, council) -> "DailyReturnQuerySet":
        return self.filter(provider__council=council)


class DailyReturn(models.Model):
    """What one care home reported on one day. One per home per day."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="daily_returns")
    date = models.DateField(validators=[validate_plausible_date])

    resident_cases = models.PositiveSmallIntegerField(
        "new confirmed COVID-19 cases: residents", default=0
    )
    resident_cases_confirmed_on = models.DateField(
        "residents' cases confirmed on", null=True, blank=True, validators=[validate_plausible_date]
    )
    staff_cases = models.PositiveSmallIntegerField("new confirmed COVID-19 cases: staff", default=0)
    staff_cases_confirmed_on = models.DateField(
        "staff cases confirmed on", null=True, blank=True, validators=[validate_plausible_date]
    )

    admissions_restricted = models.BooleanField("admissions restricted", default=False)
    visitors_restricted = models.BooleanField("visitors restricted", default=False)
    social_workers_restricted = models.BooleanField(
        "social workers' access restricted", default=False
    )
    healthcare_professionals_restricted = models.BooleanField(
        "healthcare professionals' access restricted", default=False
    )
    vacant_beds = models.PositiveSmallIntegerField("vacant beds", null=True, blank=True)
    staffing_issue = models.BooleanField("staffing issues (levels, recruitment)", default=False)

    ppe_face_masks_days = _ppe_days("Face masks")
    ppe_eye_protection_days = _ppe_days("Eye protection")
    ppe_aprons_days = _ppe_days("Aprons")
    ppe_gloves_days = _ppe_days("Gloves")
    ppe_hand_sanitiser_days = _ppe_days("Hand sanitiser")
    ppe_hand_wash_days = _ppe_days("Hand wash")

    medication_issue = models.BooleanField("problem with medication supplies", default=False)
    other_supplies_issue = models.BooleanField("problem with other supplies", default=False)
    it_issue = models.BooleanField("IT issues", default=False)
    capacity_tracker_updated = models.BooleanField("Capacity Tracker updated", default=True)
    nhsmail_working = models.BooleanField("NHSmail working", default=True)
    essential_service_impact = models.BooleanField(
        "impact on the ability to provide an essential service", default=False
    )
    issues = models.TextField(
        "issues and solutions in place", blank=True, max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text="Staffing, supplies, IT or any impact on essential services.",
    )
    overview = models.TextField(
        "overview of residents", blank=True, max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text="General wellbeing, activities, concerns, family.",
    )

    entered_by = models.ForeignKey(
        "winterplan.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_via = models.CharField(
        "entered", max_length=10, choices=EnteredVia.choices, default=EnteredVia.STAFF
    )
    return_link = models.ForeignKey(
        "providers.ReturnLink", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="returns", help_text="The provider's link the return was sent with.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = DailyReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "date"],
                name="daily_return_one_per_provider_per_day",
                violation_error_message="This home already has a return for that day.",
            ),
            models.CheckConstraint(
                condition=Q(resident_cases_confirmed_on__isnull=True)
                | Q(resident_cases_confirmed_on__lte=models.F("date")),
                name="daily_return_resident_cases_confirmed_by_return_date",
            ),
            models.CheckConstraint(
                condition=Q(staff_cases_confirmed_on__isnull=True)
                | Q(staff_cases_confirmed_on__lte=models.F("date")),
                name="daily_return_staff_cases_confirmed_by_return_date",
            ),
            models.CheckConstraint(
                condition=~Q(entered_via__in=PROVIDER_CHANNELS) | Q(entered_by__isnull=True),
                name="daily_return_provider_channel_has_no_user",
                violation_error_message="A return the provider sent is never entered by a user.",
            ),
            models.CheckConstraint(
                condition=Q(entered_via__in=PROVIDER_CHANNELS) | Q(return_link__isnull=True),
                name="daily_return_link_only_for_provider_channels",
            ),
        ]
        indexes = [models.Index(fields=["date", "provider"])]

    def __str__(self) -> str:
        return f"Return of {self.provider} for {self.date:%d/%m/%Y}"

    @property
    def entered_by_label(self) -> str:
        """Who entered the return, as the returns screen and the risk log say it."""
        if self.entered_via in PROVIDER_CHANNELS:
            return self.get_entered_via_display()
        if self.entered_by_id:
            return f"Entered by {self.entered_by.get_full_name() or self.entered_by.username}"
        return self.get_entered_via_display()

    @property
    def new_cases(self) -> int:
        return self.resident_cases + self.staff_cases

    def ppe_days(self) -> dict[str, int]:
        """Days of stock of each PPE item the return reported, by label."""
        return {
            label: getattr(self, name)
            for name, label in PPE_ITEMS
            if getattr(self, name) is not None
        }

    @property
    def lowest_ppe(self) -> tuple[str, int] | None:
        """The PPE item with the fewest days of stock, and how many."""
        days = self.ppe_days()
        if not days:
            return None
        label = min(days, key=days.__getitem__)
        return label, days[label]

    def clean(self) -> None:
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = "A return cannot be dated in the future."
        for cases, confirmed in (
            ("resident_cases", "resident_cases_confirmed_on"),
            ("staff_cases", "staff_cases_confirmed_on"),
        ):
            confirmed_on = getattr(self, confirmed)
            if confirmed_on and self.date and confirmed_on > self.date:
                errors[confirmed] = "Cases cannot be confirmed after the date of the return."
            elif getattr(self, cases) and not confirmed_on:
                errors[confirmed] = "Enter the date the cases were confirmed."
            elif confirmed_on and not getattr(self, cases):
                errors[cases] = "Enter how many cases were confirmed on that date."
        if self.provider_id and self.provider.provider_type not in RETURNING_TYPES:
            errors["provider"] = "Only care homes send daily returns."
        if errors:
            raise ValidationError(errors)
