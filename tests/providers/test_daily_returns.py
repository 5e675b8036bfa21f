"""Daily returns: the day screen, one home's return and the CSV import refuse bad input with
field or row errors, never a 500."""

import datetime

import pytest
from django import forms
from django.core.management import call_command
from django.core.management.base import CommandError

from providers.models import DailyReturn, Provider, ProviderRisk
from providers.services.imports import ImportRefused
from providers.services.returns_import import REQUIRED_COLUMNS, daily_returns_import

pytestmark = pytest.mark.django_db
DAY = "15/07/2020"
SCREEN = "/councils/halton/providers/returns/"
HEADER = ",".join(REQUIRED_COLUMNS)


def _row(cqc_id, date="2020-07-15", **values):
    cells = dict.fromkeys(REQUIRED_COLUMNS, "")
    cells.update({"cqc_location_id": cqc_id, "date": date, "resident_cases": "0",
                  "staff_cases": "0"})
    cells.update({name: str(value) for name, value in values.items()})
    return ",".join(cells[name] for name in REQUIRED_COLUMNS)


def _file(*rows) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _home(name):
    return Provider.objects.get(council__slug="halton", name=name)


def test_an_import_adds_returns_and_reassesses(halton):
    home = _home("Lime Gardens")  # silent since 13/07/2020
    result = daily_returns_import(council=halton, filename="day.csv", content=_file(
        _row(home.cqc_location_id, ppe_gloves_days=1)))
    assert result.created == ["Lime Gardens, 15/07/2020"]
    assert DailyReturn.objects.get(provider=home, date=datetime.date(2020, 7, 15))
    risk = ProviderRisk.objects.get(provider=home)
    assert risk.reasons == ["PPE running low: gloves 1 day of stock (return of 15/07/2020)"]


def test_every_bad_row_is_named_and_nothing_is_imported(halton, cheshire_east):
    lime = _home("Lime Gardens").cqc_location_id
    juniper = _home("Juniper View").cqc_location_id
    agency = Provider.objects.filter(council=cheshire_east, provider_type="care_at_home").first()
    before = DailyReturn.objects.count()
    content = _file(
        _row(lime),
        _row(juniper, ppe_face_masks_days="plenty"),
        _row(juniper, date="2999-01-01"),
        _row("1-999999999"),
        _row(agency.cqc_location_id),
        _row(juniper, resident_cases="-1"),
        _row(juniper, visitors_restricted="perhaps"),
        _row(juniper, date="31/02/2020"),
    )
    with pytest.raises(ImportRefused) as refused:
        daily_returns_import(council=halton, filename="day.csv", content=content)
    errors = {(e.row, e.field) for e in refused.value.result.errors}
    # Rows 7 and 8 are also Juniper View's second and third return for 15/07/2020 (row 3 is
    # the first): every error of every row is reported in one pass.
    assert errors == {(3, "ppe_face_masks_days"), (4, "date"), (5, "cqc_location_id"),
                      (6, "cqc_location_id"), (7, "resident_cases"), (7, "date"),
                      (8, "visitors_restricted"), (8, "date"), (9, "date")}
    assert DailyReturn.objects.count() == before


def test_a_duplicate_return_for_the_same_home_and_day_is_refused(halton):
    poplar = _home("Poplar Grange").cqc_location_id
    lime = _home("Lime Gardens").cqc_location_id
    with pytest.raises(ImportRefused) as refused:
        daily_returns_import(council=halton, filename="d.csv",
                             content=_file(_row(lime), _row(lime), _row(poplar)))
    messages = [str(e) for e in refused.value.result.errors]
    assert messages[0].startswith("Row 3, date: Lime Gardens has two returns")
    assert messages[1].startswith("Row 4, date: Poplar Grange already has a return")


def test_replace_updates_an_existing_return(halton):
    poplar = _home("Poplar Grange")
    result = daily_returns_import(council=halton, filename="d.csv", existing="replace",
                                  content=_file(_row(poplar.cqc_location_id, ppe_gloves_days=9)))
    assert result.updated == ["Poplar Grange, 15/07/2020"]
    saved = DailyReturn.objects.get(provider=poplar, date=datetime.date(2020, 7, 15))
    assert saved.ppe_gloves_days == 9 and saved.version == 2
    assert ProviderRisk.objects.get(provider=poplar).rag == "amber"  # the register's rating


def test_the_command_exits_non_zero_and_names_the_row(tmp_path):
    path = tmp_path / "returns.csv"
    path.write_bytes(_file(_row(_home("Lime Gardens").cqc_location_id,
                                ppe_gloves_days="x")))
    with pytest.raises(CommandError) as error:
        call_command("import_daily_returns", "--council", "halton", str(path))
    assert "Row 2, ppe_gloves_days" in str(error.value)


def _formset_data(formset) -> dict:
    """What the browser would post back for the formset as rendered."""
    data = {form.add_prefix(name): value for name, value in formset.management_form.initial.items()
            for form in [formset.management_form]}
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, datetime.date):
                data[key] = value.strftime("%d/%m/%Y")
            else:
                data[key] = str(value)
    return data


def _screen(client):
    response = client.get(SCREEN, {"date": DAY})
    assert response.status_code == 200
    return response


def _index(formset, name):
    return next(i for i, row in enumerate(formset.rows) if row.provider.name == name)


def test_the_day_screen_shows_every_home_and_enters_a_missing_return(halton_officer_client):
    response = _screen(halton_officer_client)
    body = response.content.decode()
    assert "23 of 25 care homes" in body
    formset = response.context["formset"]
    assert len(formset.forms) == 25
    data = _formset_data(formset)
    index = _index(formset, "Lime Gardens")
    data[f"form-{index}-ppe_gloves_days"] = "8"
    data[f"form-{index}-vacant_beds"] = "2"
    before = DailyReturn.objects.count()
    saved = halton_officer_client.post(f"{SCREEN}?date={DAY}", data)
    assert saved.status_code == 302
    assert DailyReturn.objects.count() == before + 1
    created = DailyReturn.objects.get(provider__name="Lime Gardens",
                                      date=datetime.date(2020, 7, 15))
    assert created.ppe_gloves_days == 8 and created.entered_by.username == "halton-officer"
    assert ProviderRisk.objects.get(provider=created.provider).rag == "green"


def test_non_numeric_stock_on_the_day_screen_is_a_field_error_and_nothing_is_saved(
    halton_officer_client,
):
    formset = _screen(halton_officer_client).context["formset"]
    data = _formset_data(formset)
    index = _index(formset, "Alder View")
    data[f"form-{index}-ppe_aprons_days"] = "lots"
    data[f"form-{index}-staff_cases"] = "-2"
    response = halton_officer_client.post(f"{SCREEN}?date={DAY}", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Aprons: days of stock, Alder View: Enter a whole number of days." in body
    assert ("New confirmed COVID-19 cases: staff, Alder View: Ensure this value is "
            "greater than or equal to 0.") in body
    assert not DailyReturn.objects.filter(ppe_aprons_days=None, provider__name="Alder View",
                                          date=datetime.date(2020, 7, 15)).exists()


def test_a_return_changed_by_someone_else_meanwhile_is_refused(halton_officer_client):
    formset = _screen(halton_officer_client).context["formset"]
    data = _formset_data(formset)
    index = _index(formset, "Alder View")
    DailyReturn.objects.filter(provider__name="Alder View",
                               date=datetime.date(2020, 7, 15)).update(version=7)
    data[f"form-{index}-vacant_beds"] = "9"
    response = halton_officer_client.post(f"{SCREEN}?date={DAY}", data)
    assert response.status_code == 409
    assert "somebody else saved this home" in response.content.decode()


def test_a_form_for_another_councils_home_is_refused(halton_officer_client, cheshire_east):
    formset = _screen(halton_officer_client).context["formset"]
    data = _formset_data(formset)
    data["form-0-home"] = str(Provider.objects.filter(council=cheshire_east).first().pk)
    data["form-0-vacant_beds"] = "3"
    before = DailyReturn.objects.count()
    response = halton_officer_client.post(f"{SCREEN}?date={DAY}", data)
    assert response.status_code == 302
    assert DailyReturn.objects.count() == before


@pytest.mark.parametrize("day", ["01/01/2999", "31/02/2020", "yesterday"])
def test_a_bad_or_future_day_is_a_field_error(halton_officer_client, day):
    response = halton_officer_client.get(SCREEN, {"date": day})
    assert response.status_code == 400
    assert "govuk-error-message" in response.content.decode()


def test_a_committee_member_reviews_the_day_but_cannot_enter_returns(client):
    from winterplan.models import User

    client.force_login(User.objects.get(username="halton-committee"))
    response = client.get(SCREEN, {"date": DAY})
    assert response.status_code == 200
    assert response.context["formset"] is None
    assert client.post(f"{SCREEN}?date={DAY}", {}).status_code == 403


def test_one_homes_return_refuses_a_duplicate_day_and_a_future_day(halton_officer_client):
    home = _home("Poplar Grange")
    url = f"/councils/halton/providers/{home.pk}/returns/new/"
    assert halton_officer_client.get(url).status_code == 200
    duplicate = halton_officer_client.post(url, {"date": DAY, "resident_cases": "0",
                                                 "staff_cases": "0"})
    assert duplicate.status_code == 400
    assert "already has a return for that day" in duplicate.content.decode()
    next_month = datetime.date.today() + datetime.timedelta(days=30)
    future = halton_officer_client.post(url, {"date": f"{next_month:%d/%m/%Y}",
                                              "resident_cases": "0", "staff_cases": "0"})
    assert future.status_code == 400
    assert "cannot be dated in the future" in future.content.decode()
    fine = halton_officer_client.post(url, {"date": "16/07/2020", "resident_cases": "1",
                                            "resident_cases_confirmed_on": "16/07/2020",
                                            "staff_cases": "0", "ppe_gloves_days": "3"})
    assert fine.status_code == 302
    assert ProviderRisk.objects.get(provider=home).outbreak


def test_cases_without_a_confirmation_date_are_a_field_error(halton_officer_client):
    home = _home("Poplar Grange")
    response = halton_officer_client.post(
        f"/councils/halton/providers/{home.pk}/returns/new/",
        {"date": "16/07/2020", "resident_cases": "2", "staff_cases": "0"})
    assert response.status_code == 400
    assert "Enter the date the cases were confirmed." in response.content.decode()


def test_the_day_screen_can_show_only_the_homes_that_have_not_returned(halton_officer_client):
    response = halton_officer_client.get(SCREEN, {"date": DAY, "missing": "on"})
    assert response.status_code == 200
    names = [row.provider.name for row in response.context["formset"].rows]
    assert names == ["Juniper View", "Lime Gardens"]
    assert "23 of 25 care homes" in response.content.decode()
    assert 'action="?date=15%2F07%2F2020&amp;missing=on"' in response.content.decode()
