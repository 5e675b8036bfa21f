"""The returns screen: a compact grid (one row per home, saved in one POST, each return's
version guarding it) and one home's full return at a time."""

import datetime
import re

import pytest

from providers.models import DailyReturn, Provider, ProviderRisk
from tests.providers.test_query_budgets import _grid_post
from winterplan.models import User

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 7, 15)
SCREEN = "/councils/halton/providers/returns/?date=15/07/2020"


def _home(name):
    return Provider.objects.get(council__slug="halton", name=name)


def _index(response, name):
    return next(i for i, row in enumerate(response.context["formset"].rows)
                if row.provider.name == name)


def test_the_grid_is_one_row_per_home_with_a_label_naming_the_home_and_the_field(
    halton_officer_client,
):
    response = halton_officer_client.get(SCREEN)
    body = response.content.decode()
    assert "govuk-fieldset" not in body  # no stacked forms
    rows = re.findall(r'<tr class="govuk-table__row">\s*<th scope="row"', body)
    assert len(rows) == 25
    inputs = re.findall(
        r'<input class="govuk-(?:input|checkboxes__input)[^>]* id="(id_form-[^"]+)"', body)
    assert len(inputs) == 25 * 12
    labels = dict(re.findall(r'<label class="[^"]*" for="([^"]+)">(?:<span '
                             r'class="govuk-visually-hidden">)?([^<]+)<', body))
    assert all(input_id in labels for input_id in inputs)
    assert labels["id_form-0-ppe_gloves_days"] == "Gloves: days of stock, Alder View"
    assert labels["id_form-0-essential_service_impact"] == (
        "Impact on the ability to provide an essential service, Alder View")
    assert len(body) < 200_000


def test_new_cases_entered_in_the_grid_are_confirmed_on_the_day(halton_officer_client):
    response = halton_officer_client.get(SCREEN)
    data = _grid_post(response)
    index = _index(response, "Lime Gardens")
    data[f"form-{index}-resident_cases"] = "2"
    assert halton_officer_client.post(SCREEN, data).status_code == 302
    saved = DailyReturn.objects.get(provider=_home("Lime Gardens"), date=DAY)
    assert saved.resident_cases == 2 and saved.resident_cases_confirmed_on == DAY
    risk = ProviderRisk.objects.get(provider=saved.provider)
    assert risk.outbreak and risk.rag != "green"


def test_the_grid_keeps_what_only_the_full_return_shows_and_clears_dates_of_no_cases(
    halton_officer_client,
):
    home = _home("Alder View")
    stored = DailyReturn.objects.get(provider=home, date=DAY)
    DailyReturn.objects.filter(pk=stored.pk).update(
        issues="Agency staff booked", visitors_restricted=True, staff_cases=1,
        staff_cases_confirmed_on=DAY - datetime.timedelta(days=1))
    response = halton_officer_client.get(SCREEN)
    data = _grid_post(response)
    data[f"form-{_index(response, 'Alder View')}-staff_cases"] = "0"
    assert halton_officer_client.post(SCREEN, data).status_code == 302
    stored.refresh_from_db()
    assert stored.issues == "Agency staff booked" and stored.visitors_restricted
    assert stored.staff_cases == 0 and stored.staff_cases_confirmed_on is None
    assert stored.version == 2


def test_a_grid_row_saved_by_someone_else_meanwhile_refuses_the_page(halton_officer_client):
    response = halton_officer_client.get(SCREEN)
    data = _grid_post(response)
    DailyReturn.objects.filter(provider=_home("Alder View"), date=DAY).update(
        version=9, ppe_gloves_days=3)
    before = DailyReturn.objects.filter(date=DAY, ppe_gloves_days=9).count()
    answer = halton_officer_client.post(SCREEN, data)
    assert answer.status_code == 409
    assert "Alder View: somebody else saved" in answer.content.decode()
    assert DailyReturn.objects.filter(date=DAY, ppe_gloves_days=9).count() == before


def test_one_homes_full_return_shows_every_field_and_saves_with_its_version(
    halton_officer_client,
):
    home = _home("Alder View")
    url = f"/councils/halton/providers/returns/{home.pk}/?date=15/07/2020"
    page = halton_officer_client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert {"overview", "issues", "nhsmail_working", "visitors_restricted",
            "resident_cases_confirmed_on"} <= set(form.fields)
    stored = DailyReturn.objects.get(provider=home, date=DAY)
    data = dict.fromkeys(form.fields, "")
    data |= {name: "on" for name, value in form.initial.items()
             if value is True and name in form.fields}
    data |= {name: str(value) for name, value in form.initial.items()
             if name in form.fields and value is not None and not isinstance(value, bool)}
    data |= {"overview": "Quiet day, two family visits by video.",
             "version": str(stored.version)}
    saved = halton_officer_client.post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors
    assert saved["Location"].endswith("/councils/halton/providers/returns/?date=15%2F07%2F2020")
    stored.refresh_from_db()
    assert stored.overview == "Quiet day, two family visits by video." and stored.version == 2
    stale = halton_officer_client.post(url, data)  # the version it started from is old now
    assert stale.status_code == 409
    del data["version"]
    assert halton_officer_client.post(url, data).status_code == 409  # no version, no save


def test_one_homes_full_return_for_a_home_without_a_return_creates_it(halton_officer_client):
    home = _home("Lime Gardens")
    url = f"/councils/halton/providers/returns/{home.pk}/?date=15/07/2020"
    response = halton_officer_client.post(url, {
        "resident_cases": "0", "staff_cases": "0", "capacity_tracker_updated": "on",
        "nhsmail_working": "on", "ppe_gloves_days": "4", "issues": "Phoned in late."})
    assert response.status_code == 302
    created = DailyReturn.objects.get(provider=home, date=DAY)
    assert created.issues == "Phoned in late." and created.entered_by.username == \
        "halton-officer"


def test_one_homes_full_return_is_for_editors_and_this_councils_care_homes(
    client, halton_officer_client, cheshire_east,
):
    home = _home("Alder View")
    url = f"/councils/halton/providers/returns/{home.pk}/?date=15/07/2020"
    client.force_login(User.objects.get(username="halton-committee"))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    foreign = Provider.objects.filter(council=cheshire_east,
                                      provider_type="care_home_nursing").first()
    assert halton_officer_client.get(
        f"/councils/halton/providers/returns/{foreign.pk}/?date=15/07/2020").status_code == 404
    agency = Provider.objects.filter(council=cheshire_east, provider_type="care_at_home").first()
    assert halton_officer_client.get(
        f"/councils/cheshire-east/providers/returns/{agency.pk}/").status_code in (403, 404)
    assert halton_officer_client.get(
        f"/councils/halton/providers/returns/{home.pk}/?date=01/01/2999").status_code == 400


def test_readers_see_the_review_table_not_the_grid(client):
    client.force_login(User.objects.get(username="halton-committee"))
    body = client.get(SCREEN).content.decode()
    assert "Fewest days of PPE" in body and 'id="id_form-' not in body
