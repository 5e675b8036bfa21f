"""Escalation rules turn returns into a RAG with reasons; the risk log shows why and since."""

import datetime
from decimal import Decimal

import pytest

from providers.models import EscalationRule, Provider, ProviderRisk
from providers.services.escalation import (
    assess,
    escalations_evaluate,
    latest_assessment_date,
)
from tests.providers.factories import DailyReturnFactory, ProviderFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 7, 15)


def _rules(council):
    return list(EscalationRule.objects.for_council(council).filter(active=True))


@pytest.fixture
def home(halton):
    return ProviderFactory(council=halton, name="Test Court")


def _assess(home, returns, last=None):
    return assess(
        provider=home, rules=_rules(home.council), returns=returns,
        last_return=last or (returns[-1].date if returns else None), as_at=DAY,
    )


def test_a_return_with_nothing_wrong_is_green(home):
    result = _assess(home, [DailyReturnFactory(provider=home, date=DAY)])
    assert result.rag == "green" and result.reasons == [] and not result.outbreak


def test_ppe_under_two_days_is_amber_with_the_item_named(home):
    result = _assess(home, [DailyReturnFactory(provider=home, date=DAY, ppe_aprons_days=1)])
    assert result.rag == "amber"
    assert result.reasons == ["PPE running low: aprons 1 day of stock (return of 15/07/2020)"]


def test_ppe_under_one_day_is_red(home):
    result = _assess(home, [DailyReturnFactory(provider=home, date=DAY, ppe_gloves_days=0,
                                               ppe_hand_wash_days=1)])
    assert result.rag == "red"
    assert "PPE running out: gloves 0 days of stock (return of 15/07/2020)" in result.reasons
    assert any("hand wash 1 day" in reason for reason in result.reasons)


def test_any_impact_on_an_essential_service_is_red(home):
    result = _assess(home, [DailyReturnFactory(provider=home, date=DAY,
                                               essential_service_impact=True)])
    assert result.rag == "red"
    assert result.reasons == ["Essential service affected: return of 15/07/2020"]


def test_a_new_confirmed_case_is_an_outbreak_that_lasts_28_days(home):
    case = DailyReturnFactory(provider=home, date=DAY - datetime.timedelta(days=20),
                              resident_cases=1, resident_cases_confirmed_on=DAY -
                              datetime.timedelta(days=20))
    today = DailyReturnFactory(provider=home, date=DAY)
    result = _assess(home, [case, today])
    assert result.outbreak and result.outbreak_from == case.date
    assert result.rag == "amber"  # an outbreak is never Green
    assert result.reasons == [
        "New confirmed COVID-19 case: 1 new confirmed case (return of 25/06/2020)"]
    old = DailyReturnFactory(provider=home, date=DAY - datetime.timedelta(days=28),
                             staff_cases=2, staff_cases_confirmed_on=DAY -
                             datetime.timedelta(days=28))
    assert not _assess(home, [old, today]).outbreak


def test_no_return_for_two_days_is_amber_and_one_day_is_not(home):
    two = _assess(home, [DailyReturnFactory(provider=home, date=DAY - datetime.timedelta(2))])
    assert two.rag == "amber"
    assert two.reasons == ["No daily return: none since the return of 13/07/2020"]
    one = _assess(home, [DailyReturnFactory(provider=home, date=DAY - datetime.timedelta(1))])
    assert one.rag == "green"


def test_a_home_that_never_returned_is_amber(home):
    assert _assess(home, []).reasons == ["No daily return: no daily return received"]


def test_the_register_rating_counts_and_the_worst_outcome_wins(home):
    home.risk_rating = "red"
    result = _assess(home, [DailyReturnFactory(provider=home, date=DAY, ppe_aprons_days=1)])
    assert result.rag == "red"
    assert result.reasons[0] == "Rated red in the provider register"


def test_a_community_service_is_judged_by_its_register_rating_only(halton):
    agency = ProviderFactory(council=halton, provider_type="care_at_home",
                             registered_beds=None, risk_rating="amber")
    result = assess(provider=agency, rules=_rules(halton), returns=[], last_return=None,
                    as_at=DAY)
    assert result.rag == "amber" and result.reasons == ["Rated amber in the provider register"]


def test_a_rule_held_as_data_changes_the_outcome(home):
    rule = EscalationRule.objects.get(council=home.council, name="PPE running low")
    rule.threshold = Decimal("5")
    rule.save()
    result = _assess(home, [DailyReturnFactory(provider=home, date=DAY, ppe_aprons_days=4)])
    assert result.rag == "amber"


def test_evaluation_keeps_since_while_the_rag_holds_and_writes_nothing_unchanged(halton, home):
    DailyReturnFactory(provider=home, date=DAY - datetime.timedelta(1), ppe_aprons_days=1)
    first = escalations_evaluate(council=halton, as_at=DAY - datetime.timedelta(1),
                                 providers=[home])
    assert first.written == 1
    DailyReturnFactory(provider=home, date=DAY, ppe_aprons_days=1)
    escalations_evaluate(council=halton, as_at=DAY, providers=[home])
    risk = ProviderRisk.objects.get(provider=home)
    assert risk.rag == "amber" and risk.since == DAY - datetime.timedelta(1)
    assert risk.assessed_on == DAY
    again = escalations_evaluate(council=halton, as_at=DAY, providers=[home])
    assert again.written == 0
    earlier = escalations_evaluate(council=halton, as_at=DAY - datetime.timedelta(5),
                                   providers=[home])
    assert earlier.skipped_newer == 1 and earlier.written == 0


def test_the_sample_risk_log_shows_the_week_in_halton():
    risks = {
        r.provider.name: r
        for r in ProviderRisk.objects.filter(provider__council__slug="halton")
        .select_related("provider")
    }
    assert latest_assessment_date(risks["Poplar Grange"].provider.council) == DAY
    assert all(r.assessed_on <= DAY for r in risks.values())
    gloves = risks["Poplar Grange"]
    assert gloves.rag == "red" and gloves.since == DAY
    assert "PPE running out: gloves 0 days of stock (return of 15/07/2020)" in gloves.reasons
    outbreak = next(r for r in risks.values() if r.outbreak)
    assert outbreak.outbreak_since == datetime.date(2020, 7, 11)
    silent = [name for name, r in risks.items()
              if any(reason.startswith("No daily return: none since") for reason in r.reasons)]
    assert len(silent) == 1
    reds = sorted(name for name, r in risks.items() if r.rag == "red")
    assert len(reds) == 2


def test_the_risk_log_lists_red_then_amber_and_outbreaks_with_reasons(halton_officer_client):
    response = halton_officer_client.get("/councils/halton/providers/risk-log/")
    assert response.status_code == 200
    body = response.getvalue().decode()
    assert body.index("Essential service affected") < body.index("No daily return: none since")
    assert "Outbreak</strong> since 11/07/2020" in body
    assert "Assessed as at <strong>15/07/2020</strong>" in body


def test_the_risk_log_exports_csv_with_reasons(halton_officer_client):
    response = halton_officer_client.get("/councils/halton/providers/risk-log/?_export=csv")
    assert response.status_code == 200
    assert "PPE running out: gloves 0 days" in response.getvalue().decode()


def test_assessing_again_with_a_future_date_is_a_field_error(halton_officer_client):
    next_month = datetime.date.today() + datetime.timedelta(days=30)
    response = halton_officer_client.post("/councils/halton/providers/risk-log/",
                                          {"as_at": f"{next_month:%d/%m/%Y}"})
    assert response.status_code == 400
    assert "cannot be in the future" in response.getvalue().decode()


def rules_post(rules, *extra: dict) -> dict:
    """What the rules page posts: every rule as shown (with its id and version), then new ones."""
    data = {"form-TOTAL_FORMS": str(len(rules) + len(extra)),
            "form-INITIAL_FORMS": str(len(rules)), "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "50"}
    for index, rule in enumerate(rules):
        data |= {f"form-{index}-id": rule.pk, f"form-{index}-version": rule.version,
                 f"form-{index}-name": rule.name,
                 f"form-{index}-metric": rule.metric, f"form-{index}-comparison": rule.comparison,
                 f"form-{index}-threshold": "" if rule.threshold is None else rule.threshold,
                 f"form-{index}-outcome": rule.outcome,
                 f"form-{index}-lasts_days": rule.lasts_days}
        if rule.active:
            data[f"form-{index}-active"] = "on"
    for offset, values in enumerate(extra, start=len(rules)):
        data |= {f"form-{offset}-{name}": value for name, value in values.items()}
    return data


RULES = "/councils/halton/providers/escalation-rules/"
ADMISSIONS_STOPPED = {"name": "Admissions stopped", "metric": "admissions_restricted",
                      "comparison": "yes", "threshold": "", "outcome": "red",
                      "lasts_days": "1", "active": "on"}


def test_a_manager_edits_the_rules_and_every_provider_is_reassessed(halton_manager_client,
                                                                    halton):
    rules = list(EscalationRule.objects.for_council(halton))
    response = halton_manager_client.post(RULES, rules_post(rules, ADMISSIONS_STOPPED))
    assert response.status_code == 302, response.getvalue().decode()[:2000]
    assert EscalationRule.objects.filter(council=halton, name="Admissions stopped",
                                         position=len(rules), version=1).exists()
    outbreak_home = Provider.objects.get(council=halton, risk__outbreak=True)
    assert "Admissions stopped: return of 15/07/2020" in outbreak_home.risk.reasons
    assert outbreak_home.risk.rag == "red"


def test_a_rule_with_a_threshold_on_a_yes_no_measure_is_a_field_error(halton_manager_client,
                                                                      halton):
    rules = list(EscalationRule.objects.for_council(halton))
    odd = {"name": "Odd", "metric": "it_issue", "comparison": "lt", "threshold": "abc",
           "outcome": "red", "lasts_days": "1"}
    response = halton_manager_client.post(RULES, rules_post(rules, odd))
    assert response.status_code == 400
    body = response.getvalue().decode()
    assert "Enter a number." in body


def test_only_managers_change_the_rules(halton_officer_client, committee_client):
    url = "/councils/halton/providers/escalation-rules/"
    page = halton_officer_client.get(url)
    assert page.status_code == 200 and "Change the rules" not in page.getvalue().decode()
    assert halton_officer_client.post(url, {}).status_code == 403
    assert committee_client.get("/councils/cheshire-east/providers/escalation-rules/"
                                ).status_code == 200
    assert committee_client.post("/councils/cheshire-east/providers/escalation-rules/"
                                 ).status_code == 403
