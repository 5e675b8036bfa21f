"""Councils, their teams and the people who sign in."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from simple_history.models import HistoricalRecords


class CouncilManager(models.Manager["Council"]):
    def get_by_natural_key(self, slug: str) -> "Council":
        return self.get(slug=slug)


class Council(models.Model):
    """An English local authority with adult social care responsibilities."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    region = models.CharField(
        max_length=80, blank=True, help_text="ADASS region, e.g. North West."
    )
    address = models.TextField(help_text="Postal address block for letters, one line per line.")
    telephone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    dass_name = models.CharField("Director of Adult Social Services", max_length=200)
    dass_title = models.CharField(
        "DASS job title", max_length=200, default="Director of Adult Social Services"
    )
    sample_notice = models.CharField(
        max_length=300, blank=True,
        help_text="Printed once on documents that show this council's data, e.g. that it is "
        "sample data whose provider names are fictitious; blank for real data.",
    )

    objects = CouncilManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

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


class User(AbstractUser):
    """Someone who signs in. Belongs to one council (none for national administrators)."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=200, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
