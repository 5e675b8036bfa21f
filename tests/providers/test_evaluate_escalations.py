"""evaluate_escalations at national scale: every council in one run, and a provider's risk row
and history written only when its RAG, reasons or outbreak change, with the command named as
the reason."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from providers.models import ProviderRisk
from providers.services.escalation import latest_assessment_date
from tests.providers.factories import CouncilFactory, DailyReturnFactory, homes

pytestmark = pytest.mark.django_db
NEXT_DAY = datetime.date(2020, 7, 16)


def _history_count() -> int:
    return ProviderRisk.history.count()


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("evaluate_escalations", *args, stdout=out)
    return out.getvalue()


def test_all_assesses_every_council_in_one_run(halton, cheshire_east):
    other = CouncilFactory()
    homes(other, 3)
    output = _run("--all", "--date", "16/07/2020")
    for council in (halton, cheshire_east, other):
        assert f"{council.name} as at 16/07/2020" in output
    assert f"{other.name} as at 16/07/2020: 3 assessed, 3 changed" in output
    assert "(default rules)" in output  # Cheshire East and the new council have no rules
    assert latest_assessment_date(halton) == NEXT_DAY
    assert latest_assessment_date(other) == NEXT_DAY
    assert latest_assessment_date(cheshire_east) == datetime.date(2020, 10, 14)  # later already


def test_running_twice_on_the_same_day_writes_no_history_rows(halton):
    _run("--all", "--date", "16/07/2020")
    before = _history_count()
    output = _run("--all", "--date", "16/07/2020")
    assert _history_count() == before
    assert "Halton Borough Council as at 16/07/2020: 25 assessed, 0 changed" in output


def test_a_day_with_nothing_new_writes_only_the_providers_whose_state_changed(halton):
    before = {risk.provider_id: risk for risk in ProviderRisk.objects.filter(
        provider__council=halton)}
    history = _history_count()
    _run("--council", "halton", "--date", "16/07/2020")
    after = {risk.provider_id: risk for risk in ProviderRisk.objects.filter(
        provider__council=halton)}
    changed = [pk for pk, risk in after.items() if (risk.rag, risk.reasons, risk.outbreak) != (
        before[pk].rag, before[pk].reasons, before[pk].outbreak)]
    assert len(changed) < len(after)  # a silent day changes few homes, not every row
    assert _history_count() - history == len(changed)
    unchanged = next(pk for pk in after if pk not in changed)
    assert after[unchanged].assessed_on == before[unchanged].assessed_on
    assert after[unchanged].updated_at == before[unchanged].updated_at
    assert latest_assessment_date(halton) == NEXT_DAY


def test_the_commands_history_rows_record_why(halton):
    home = homes(halton, 1)[0]
    DailyReturnFactory(provider=home, date=NEXT_DAY, ppe_gloves_days=0)
    _run("--council", "halton", "--date", "16/07/2020")
    latest = ProviderRisk.history.filter(provider_id=home.pk).latest("history_date")
    assert latest.rag == "red"
    assert latest.history_change_reason == "evaluate_escalations as at 16/07/2020"


def test_a_provider_assessed_later_is_left_alone_and_the_log_date_never_goes_back(halton):
    _run("--council", "halton", "--date", "16/07/2020")
    history = _history_count()
    output = _run("--council", "halton", "--date", "10/07/2020")
    assert "0 changed, 25 already assessed later" in output
    assert _history_count() == history
    assert latest_assessment_date(halton) == NEXT_DAY


def test_the_command_needs_a_council_or_all():
    with pytest.raises(CommandError):
        call_command("evaluate_escalations")
    with pytest.raises(CommandError):
        call_command("evaluate_escalations", "--council", "nowhere")
