"""An outbreak is never Green; a council without rules is judged by the default rules, warned
of it, and may adopt them; one fact gives one reason, from the most severe rule it meets."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from providers.models import EscalationRule, ProviderRisk
from providers.services.escalation import (
    assess,
    default_rules,
    escalation_rules_adopt_defaults,
    escalations_evaluate,
    rules_in_force,
)
from tests.providers.factories import DailyReturnFactory, ProviderFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 7, 15)
CE_DAY = datetime.date(2020, 10, 14)


def _halton_rules(halton):
    return rules_in_force(halton).rules


def _assess(home, rules, *returns, as_at=DAY):
    return assess(provider=home, rules=rules, returns=list(returns),
                  last_return=returns[-1].date if returns else None, as_at=as_at)


def test_an_outbreak_with_nothing_else_wrong_is_amber_not_green(halton):
    home = ProviderFactory(council=halton)
    case = DailyReturnFactory(provider=home, date=DAY, staff_cases=1,
                              staff_cases_confirmed_on=DAY)
    result = _assess(home, _halton_rules(halton), case)
    assert result.outbreak and result.rag == "amber"


def test_an_outbreak_with_a_red_trigger_is_red(halton):
    home = ProviderFactory(council=halton)
    case = DailyReturnFactory(provider=home, date=DAY, staff_cases=1,
                              staff_cases_confirmed_on=DAY, essential_service_impact=True)
    assert _assess(home, _halton_rules(halton), case).rag == "red"


def test_no_home_on_haltons_risk_log_is_in_outbreak_and_green(halton_officer_client):
    response = halton_officer_client.get("/councils/halton/providers/risk-log/?_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    outbreaks = [row for row in rows if row["Outbreak"].strip() not in ("", "—")]
    assert outbreaks, rows
    assert all(row["RAG"] != "green" for row in outbreaks)
    assert not ProviderRisk.objects.filter(outbreak=True, rag="green").exists()


def test_one_low_stock_gives_one_reason_from_the_most_severe_rule(halton):
    home = ProviderFactory(council=halton)
    result = _assess(home, _halton_rules(halton),
                     DailyReturnFactory(provider=home, date=DAY, ppe_gloves_days=0))
    assert result.rag == "red"
    assert result.reasons == ["PPE running out: gloves 0 days of stock (return of 15/07/2020)"]


def test_each_short_item_is_named_once_by_the_most_severe_rule_it_meets(halton):
    home = ProviderFactory(council=halton)
    result = _assess(home, _halton_rules(halton), DailyReturnFactory(
        provider=home, date=DAY, ppe_gloves_days=0, ppe_aprons_days=1, ppe_hand_wash_days=0))
    assert result.reasons == [
        "PPE running low: aprons 1 day of stock (return of 15/07/2020)",
        "PPE running out: gloves 0 days, hand wash 0 days of stock (return of 15/07/2020)",
    ]


def test_of_two_rules_on_days_without_a_return_only_the_red_one_is_a_reason(halton):
    EscalationRule.objects.create(council=halton, position=9, name="Silent for a week",
                                  metric="days_without_return", comparison="gte",
                                  threshold=Decimal("5"), outcome="red")
    home = ProviderFactory(council=halton)
    silent = DailyReturnFactory(provider=home, date=DAY - datetime.timedelta(days=6))
    result = _assess(home, _halton_rules(halton), silent)
    assert result.rag == "red"
    assert result.reasons == ["Silent for a week: none since the return of 09/07/2020"]


def test_the_default_rules_are_valid_rules_from_the_fixture(cheshire_east, halton):
    rules = default_rules(cheshire_east)
    assert [rule.name for rule in rules] == [
        "PPE running low", "PPE running out", "Essential service affected",
        "New confirmed COVID-19 case"]
    for rule in rules:
        rule.full_clean()
    in_force = rules_in_force(cheshire_east)
    assert in_force.default and len(in_force.rules) == len(rules)
    assert not rules_in_force(halton).default


def test_a_council_without_rules_judges_new_cases_and_low_gloves_by_the_defaults(
    cheshire_east,
):
    home = ProviderFactory(council=cheshire_east, name="Default Court (sample)")
    DailyReturnFactory(provider=home, date=CE_DAY, resident_cases=2,
                       resident_cases_confirmed_on=CE_DAY, ppe_gloves_days=1)
    result = escalations_evaluate(council=cheshire_east, as_at=CE_DAY)
    assert result.default_rules
    risk = ProviderRisk.objects.get(provider=home)
    assert risk.rag == "amber" and risk.outbreak and risk.outbreak_since == CE_DAY
    assert risk.reasons == [
        "PPE running low: gloves 1 day of stock (return of 14/10/2020)",
        "New confirmed COVID-19 case: 2 new confirmed cases (return of 14/10/2020)",
    ]


def test_the_risk_log_and_the_rules_page_warn_that_the_defaults_apply(
    officer_client, halton_officer_client,
):
    for url in ("/councils/cheshire-east/providers/risk-log/",
                "/councils/cheshire-east/providers/escalation-rules/"):
        body = officer_client.get(url).getvalue().decode()
        assert "has not set its own escalation rules, so the default rules apply" in body
    rules_page = officer_client.get("/councils/cheshire-east/providers/escalation-rules/")
    assert "Default rules in force" in rules_page.getvalue().decode()
    assert "PPE running out" in rules_page.getvalue().decode()
    assert "Adopt the default rules" not in rules_page.getvalue().decode()  # officers cannot
    for url in ("/councils/halton/providers/risk-log/",
                "/councils/halton/providers/escalation-rules/"):
        body = halton_officer_client.get(url).getvalue().decode()
        assert "has not set its own escalation rules" not in body


def test_a_manager_adopts_the_default_rules_and_can_then_change_them(manager_client,
                                                                     cheshire_east):
    url = "/councils/cheshire-east/providers/escalation-rules/"
    page = manager_client.get(url)
    assert "Adopt the default rules" in page.getvalue().decode()
    assert page.context["formset"] is None
    response = manager_client.post(url, {"adopt": "1"})
    assert response.status_code == 302
    adopted = list(EscalationRule.objects.for_council(cheshire_east))
    assert [(r.name, r.position) for r in adopted] == [
        (r.name, r.position) for r in default_rules(cheshire_east)]
    assert adopted[0].history.first().history_user.username == "manager"
    page = manager_client.get(url)
    assert "has not set its own escalation rules" not in page.getvalue().decode()
    assert len(page.context["formset"].initial_forms) == len(adopted)
    again = manager_client.post(url, {"adopt": "1"})
    assert again.status_code == 409
    assert EscalationRule.objects.for_council(cheshire_east).count() == len(adopted)


def test_only_a_manager_adopts_the_defaults(officer_client, committee_client, cheshire_east):
    url = "/councils/cheshire-east/providers/escalation-rules/"
    assert officer_client.post(url, {"adopt": "1"}).status_code == 403
    assert committee_client.post(url, {"adopt": "1"}).status_code == 403
    assert not EscalationRule.objects.for_council(cheshire_east).exists()


def test_adopting_is_refused_for_a_council_with_rules(halton):
    with pytest.raises(ValidationError):
        escalation_rules_adopt_defaults(council=halton)
