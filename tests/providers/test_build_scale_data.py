"""The national-scale builder, run small so it cannot rot: what it writes, that its councils
are marked synthetic and uneven, and that it refuses a database holding real councils' data."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actions.models import Commentary, LocalAction, LocalKeyArea, LocalPlan
from providers.models import (
    DailyReturn,
    IcfAllocation,
    Provider,
    ProviderRisk,
)
from providers.models.register import CARE_HOME_TYPES
from providers.scale.builder import (
    SYNTHETIC_NOTICE,
    council_sizes,
    largest_synthetic_council,
    scale_counts,
    synthetic_councils,
)
from winterplan.models import Council, User

pytestmark = pytest.mark.django_db


def _build(**extra):
    call_command("build_scale_data", councils=3, providers=60, days=5, **extra)


def test_small_build_writes_every_kind_of_row_for_each_synthetic_council():
    template = LocalPlan.objects.get(slug="cheshire-east-2020-21")
    template_actions = LocalAction.objects.filter(local_key_area__local_plan=template).count()
    template_areas = LocalKeyArea.objects.filter(local_plan=template).count()
    template_commentary = Commentary.objects.filter(local_key_area__local_plan=template).count()

    _build(password="scale-test-password")

    councils = list(synthetic_councils().order_by("slug"))
    assert [c.slug for c in councils] == ["synthetic-001", "synthetic-002", "synthetic-003"]
    assert all(c.sample_notice == SYNTHETIC_NOTICE for c in councils)
    for council in councils:
        plan = LocalPlan.objects.get(council=council)
        assert LocalKeyArea.objects.filter(local_plan=plan).count() == template_areas
        assert LocalAction.objects.filter(
            local_key_area__local_plan=plan).count() == template_actions
        assert Commentary.objects.filter(
            local_key_area__local_plan=plan).count() == template_commentary
        assert plan.history.count() == 1
    providers = Provider.objects.filter(council__in=councils)
    assert providers.count() == 60
    assert ProviderRisk.objects.filter(provider__in=providers).count() == 60
    homes = providers.filter(provider_type__in=CARE_HOME_TYPES)
    returns = DailyReturn.objects.filter(provider__in=homes)
    assert 0 < returns.count() <= homes.count() * 5
    assert returns.values("date").distinct().count() == 5
    assert returns.first().history.count() == 1
    assert IcfAllocation.objects.filter(tranche__round__council__in=councils,
                                        provider__isnull=False).count() > 0
    assert not IcfAllocation.objects.filter(tranche__round__council__in=councils,
                                            kind="provider", paid_on__isnull=True).exists()
    largest = largest_synthetic_council()
    assert largest.slug == "synthetic-001"
    assert largest.providers.count() > providers.count() / 3
    officer = User.objects.get(username="synthetic-001-officer")
    assert officer.check_password("scale-test-password")
    counts = scale_counts()
    assert counts["councils"] == 3 and counts["providers"] == 60
    assert counts["daily_returns"] == returns.count()


def test_the_largest_council_at_national_scale_has_450_providers_and_sizes_are_uneven():
    sizes = council_sizes(councils=152, providers=15000)
    assert len(sizes) == 152 and sum(sizes) == 15000
    assert sizes[0] == 450
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-1] < sizes[1] / 2


def test_a_second_build_is_refused():
    _build()
    with pytest.raises(CommandError, match="already holds 3 synthetic councils"):
        _build()


def test_a_database_with_a_real_councils_data_is_refused_unless_forced():
    real = Council.objects.get(slug="cheshire-east")
    real.sample_notice = ""
    real.save()
    with pytest.raises(CommandError, match="Cheshire East"):
        _build()
    assert not synthetic_councils().exists()
    _build(force=True)
    assert synthetic_councils().count() == 3
