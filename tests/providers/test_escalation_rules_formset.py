"""The escalation rules page binds each rule by id and version: a changed page cannot
duplicate, add to or overwrite the council's rules, or touch another council's."""

from decimal import Decimal

import pytest

from providers.models import EscalationRule
from tests.providers.factories import CouncilFactory
from tests.providers.test_escalation import RULES, rules_post

pytestmark = pytest.mark.django_db


def _rules(council):
    return list(EscalationRule.objects.for_council(council))


def _snapshot(council):
    return [(r.pk, r.name, r.threshold, r.version) for r in _rules(council)]


@pytest.mark.parametrize("initial_forms", ["0", "2", "99"])
def test_a_tampered_initial_forms_count_duplicates_no_rule(halton_manager_client, halton,
                                                           initial_forms):
    rules = _rules(halton)
    data = rules_post(rules)
    data["form-INITIAL_FORMS"] = initial_forms
    data["form-0-threshold"] = "3"
    response = halton_manager_client.post(RULES, data)
    assert response.status_code == 302  # the server knows which rules the page holds
    after = _rules(halton)
    assert [r.pk for r in after] == [r.pk for r in rules]
    assert after[0].threshold == Decimal("3")


def test_a_rule_id_posted_on_a_new_rules_form_is_refused(halton_manager_client, halton):
    rules = _rules(halton)
    before = _snapshot(halton)
    copy = rules_post(rules[:1])
    extra = {key.replace("form-0-", ""): value for key, value in copy.items()
             if key.startswith("form-0-")}
    response = halton_manager_client.post(RULES, rules_post(rules, extra))
    assert response.status_code == 409
    assert "nothing was saved" in response.content.decode()
    assert _snapshot(halton) == before


def test_another_councils_rule_id_is_refused_and_left_alone(halton_manager_client, halton):
    other = CouncilFactory()
    foreign = EscalationRule.objects.create(council=other, name="Theirs", metric="ppe_days",
                                            comparison="lt", threshold=Decimal("3"),
                                            outcome="amber")
    rules = _rules(halton)
    data = rules_post(rules)
    data["form-0-id"] = foreign.pk
    data["form-0-threshold"] = "9"
    before = _snapshot(halton)
    response = halton_manager_client.post(RULES, data)
    assert response.status_code == 409
    foreign.refresh_from_db()
    assert foreign.council == other and foreign.threshold == Decimal("3")
    assert _snapshot(halton) == before


@pytest.mark.parametrize("change", ["missing", "repeated", "not a number"])
def test_a_missing_repeated_or_garbled_id_is_refused(halton_manager_client, halton, change):
    rules = _rules(halton)
    data = rules_post(rules)
    if change == "missing":
        del data["form-1-id"]
    elif change == "repeated":
        data["form-1-id"] = data["form-0-id"]
    else:
        data["form-1-id"] = "1e99"
    data["form-1-threshold"] = "7"
    before = _snapshot(halton)
    assert halton_manager_client.post(RULES, data).status_code == 409
    assert _snapshot(halton) == before


def test_a_rule_changed_by_another_manager_meanwhile_is_refused(halton_manager_client,
                                                                halton):
    rules = _rules(halton)
    data = rules_post(rules)
    data["form-0-threshold"] = "3"
    EscalationRule.objects.filter(pk=rules[0].pk).update(version=5, threshold=Decimal("4"))
    response = halton_manager_client.post(RULES, data)
    assert response.status_code == 409
    assert "another manager changed the rules" in response.content.decode()
    assert EscalationRule.objects.get(pk=rules[0].pk).threshold == Decimal("4")


def test_a_rule_posted_without_its_version_is_refused(halton_manager_client, halton):
    rules = _rules(halton)
    data = rules_post(rules)
    data["form-0-threshold"] = "3"
    del data["form-0-version"]
    assert halton_manager_client.post(RULES, data).status_code == 409
    assert EscalationRule.objects.get(pk=rules[0].pk).threshold == rules[0].threshold


def test_a_rule_added_by_another_manager_meanwhile_is_kept(halton_manager_client, halton):
    rules = _rules(halton)
    data = rules_post(rules)
    data["form-0-threshold"] = "3"
    EscalationRule.objects.create(council=halton, position=20, name="Theirs",
                                  metric="it_issue", comparison="yes", outcome="amber")
    assert halton_manager_client.post(RULES, data).status_code == 409
    assert EscalationRule.objects.filter(council=halton, name="Theirs").exists()
    assert EscalationRule.objects.get(pk=rules[0].pk).threshold == rules[0].threshold


def test_a_valid_edit_bumps_the_version_of_the_rule_it_changed(halton_manager_client, halton):
    rules = _rules(halton)
    data = rules_post(rules)
    data["form-0-threshold"] = "3"
    assert halton_manager_client.post(RULES, data).status_code == 302
    after = {rule.pk: rule for rule in _rules(halton)}
    assert after[rules[0].pk].threshold == Decimal("3") and after[rules[0].pk].version == 2
    assert after[rules[1].pk].version == 1
    assert len(after) == len(rules)


def test_deleting_a_rule_checks_its_version_too(halton_manager_client, halton):
    rules = _rules(halton)
    data = rules_post(rules)
    data["form-4-DELETE"] = "on"
    EscalationRule.objects.filter(pk=rules[4].pk).update(version=3)
    assert halton_manager_client.post(RULES, data).status_code == 409
    assert EscalationRule.objects.filter(pk=rules[4].pk).exists()
    data["form-4-version"] = "3"
    assert halton_manager_client.post(RULES, data).status_code == 302
    assert not EscalationRule.objects.filter(pk=rules[4].pk).exists()
