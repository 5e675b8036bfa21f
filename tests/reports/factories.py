"""A one-page plan for fast document tests: one theme, one key area, one action, one bullet."""

import datetime

import factory
from factory.django import DjangoModelFactory

from actions.models import (
    Commentary,
    KeyArea,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    NationalPlan,
    Requirement,
    Theme,
)
from winterplan.models import Council, Team


class NationalPlanFactory(DjangoModelFactory):
    class Meta:
        model = NationalPlan

    slug = factory.Sequence(lambda n: f"tiny-national-plan-{n}")
    title = "A tiny national plan"
    short_title = "Tiny Plan 2020/21"
    publisher = "Department of Health and Social Care"
    published_on = datetime.date(2020, 9, 18)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    national_plan = factory.SubFactory(NationalPlanFactory)
    position = 1
    title = "Preventing and Controlling the Spread of Infection in Care Settings"


class KeyAreaFactory(DjangoModelFactory):
    class Meta:
        model = KeyArea

    theme = factory.SubFactory(ThemeFactory)
    national_plan = factory.SelfAttribute("theme.national_plan")
    position = 1
    slug = "seasonal-flu-vaccines"
    title = "Seasonal Flu Vaccines"


class RequirementFactory(DjangoModelFactory):
    class Meta:
        model = Requirement

    key_area = factory.SubFactory(KeyAreaFactory)
    position = 1
    text = "Direct providers to local vaccination venues."


class LocalPlanFactory(DjangoModelFactory):
    class Meta:
        model = LocalPlan

    council = factory.LazyFunction(lambda: Council.objects.get(slug="cheshire-east"))
    national_plan = factory.SubFactory(NationalPlanFactory)
    slug = factory.Sequence(lambda n: f"tiny-local-plan-{n}")
    title = "Tiny local plan"
    as_at = datetime.date(2020, 10, 14)


class LocalKeyAreaFactory(DjangoModelFactory):
    class Meta:
        model = LocalKeyArea

    local_plan = factory.SubFactory(LocalPlanFactory)
    key_area = factory.SubFactory(KeyAreaFactory)
    responsible_team = "Public Health"


class LocalActionFactory(DjangoModelFactory):
    class Meta:
        model = LocalAction

    local_key_area = factory.SubFactory(LocalKeyAreaFactory)
    text = "Collate a list of pharmacies available as a local vaccination venue."
    team = factory.LazyAttribute(
        lambda o: Team.objects.get_or_create(
            council=o.local_key_area.local_plan.council, name="Public Health")[0]
    )
    deadline = datetime.date(2020, 10, 16)
    status = "in_progress"


class CommentaryFactory(DjangoModelFactory):
    class Meta:
        model = Commentary

    local_key_area = factory.SubFactory(LocalKeyAreaFactory)
    text = "Providers will be signposted to GPs and community pharmacies."


def tiny_plan(*, commentary: str = CommentaryFactory.text) -> LocalPlan:
    """A plan with one key area (one requirement, one action, one commentary bullet)."""
    requirement = RequirementFactory()
    key_area = requirement.key_area
    local_plan = LocalPlanFactory(national_plan=key_area.national_plan)
    area = LocalKeyAreaFactory(local_plan=local_plan, key_area=key_area)
    LocalActionFactory(local_key_area=area)
    CommentaryFactory(local_key_area=area, text=commentary)
    return local_plan
