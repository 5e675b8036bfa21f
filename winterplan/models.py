"""Councils, their teams and the people who sign in."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from winterplan.validators import TEXT_MAX_LENGTH, validate_plausible_date, validate_web_url


class RegionManager(models.Manager["Region"]):
    def get_by_natural_key(self, slug: str) -> "Region":
        return self.get(slug=slug)


class Region(models.Model):
    """One of the nine ADASS regions that councils are grouped in (e.g. North West)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)

    objects = RegionManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class CouncilQuerySet(models.QuerySet["Council"]):
    def active_on(self, day):
        """The councils that existed on `day` (began on or before it, not yet ended)."""
        return self.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=day),
            Q(ended_on__isnull=True) | Q(ended_on__gte=day),
        )


class CouncilManager(models.Manager.from_queryset(CouncilQuerySet)):
    def get_by_natural_key(self, slug: str) -> "Council":
        return self.get(slug=slug)


GSS_CODE = RegexValidator(
    r"^E(06|08|09|10)\d{6}$",
    "An English county, unitary, metropolitan or London borough code, e.g. E06000049.",
)


class Council(models.Model):
    """An English local authority with adult social care responsibilities."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    gss_code = models.CharField(
        "ONS (GSS) code", max_length=9, unique=True, null=True, blank=True,
        validators=[GSS_CODE], help_text="E06…, E08…, E09… or E10…",
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="councils",
        help_text="ADASS region.",
    )
    started_on = models.DateField(
        validators=[validate_plausible_date],
        null=True, blank=True, help_text="Blank: existed before the data starts."
    )
    ended_on = models.DateField(
        validators=[validate_plausible_date],
        null=True, blank=True, help_text="The last day it existed; blank: still running."
    )
    address = models.TextField(
        max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        blank=True, help_text="Postal address block for letters, one line per line."
    )
    telephone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True, validators=[validate_web_url])
    dass_name = models.CharField(
        "Director of Adult Social Services", max_length=200, blank=True
    )
    dass_title = models.CharField(
        "DASS job title", max_length=200, default="Director of Adult Social Services"
    )
    sample_notice = models.CharField(
        max_length=300, blank=True,
        help_text="Printed once on documents that show this council's data, e.g. that it is "
        "sample data whose provider names are fictitious; blank for real data.",
    )
    local_sign_in_allowed = models.BooleanField(
        "Passwords allowed",
        default=True,
        help_text="Untick when everyone signs in with the council's own accounts (single "
        "sign-on); administrators always keep a password for emergency access.",
    )

    objects = CouncilManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="council_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TeamManager(models.Manager["Team"]):
    def get_by_natural_key(self, council_slug: str, name: str) -> "Team":
        return self.get(council__slug=council_slug, name=name)


class Team(models.Model):
    """A team or partner that is responsible for actions, e.g. Quality Assurance or the CCG."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)

    objects = TeamManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="team_unique_name_per_council")
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.council.slug, self.name)

    natural_key.dependencies = ["winterplan.council"]


class UserQuerySet(models.QuerySet["User"]):
    def delete(self):
        """Refuse to delete users whom history names (deactivate them instead)."""
        if kept := users_with_history(self):
            raise models.ProtectedError(USER_HAS_HISTORY, kept)
        return super().delete()


class AccountManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager whose querysets refuse to delete users named in history."""


class User(AbstractUser):
    """Someone who signs in. Belongs to one council (none for national administrators)."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=200, blank=True)
    reminders_enabled = models.BooleanField(
        "e-mail me reminders", default=True,
        help_text="Deadline reminders and notices by e-mail (manage.py send_reminders).",
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        help_text="Regional readers only: the ADASS region whose councils they read.",
    )

    objects = AccountManager()
    # Roles are group memberships: kept with the user's history. No password hashes in it.
    history = HistoricalRecords(excluded_fields=["password", "last_login"],
                                m2m_fields=["groups", "user_permissions"])

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def delete(self, *args, **kwargs):
        if users_with_history(type(self).objects.filter(pk=self.pk)):
            raise models.ProtectedError(USER_HAS_HISTORY, [self])
        return super().delete(*args, **kwargs)


USER_HAS_HISTORY = (
    "A user who changed anything is never deleted, so history keeps who did it: deactivate "
    "the user instead (untick “Active”)."
)


def users_with_history(users) -> list["User"]:
    """The users among `users` that some history row names as the one who made a change."""
    from django.apps import apps

    users = list(users)
    if not users:
        return []
    found: set[int] = set()
    for model in apps.get_models():
        if getattr(model, "history_user", None) is None or not hasattr(model, "instance_type"):
            continue
        field = model._meta.get_field("history_user")
        if not field.is_relation:
            continue
        found.update(model._default_manager.filter(
            history_user__in=[user.pk for user in users]
        ).values_list("history_user", flat=True).distinct())
        if len(found) == len(users):
            break
    return [user for user in users if user.pk in found]


class DataVersion(models.Model):
    """Counters per council, one per part of its data (winterplan.versions: its plans, its
    providers), raised (winterplan.versions.bump) in the same transaction as any change to
    data of that part: a cached document or page is found by them without rebuilding."""

    # No database constraint: a delete's signals bump the council being deleted in the same
    # transaction, after its rows were collected; an orphan counter harms nothing.
    council = models.OneToOneField(Council, on_delete=models.DO_NOTHING, primary_key=True,
                                   related_name="data_version", db_constraint=False)
    plan_version = models.PositiveBigIntegerField(default=0)
    providers_version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return (f"{self.council_id}: plan version {self.plan_version}, providers version "
                f"{self.providers_version}")
