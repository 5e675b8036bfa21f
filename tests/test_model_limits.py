"""Limits on the models themselves, not only the forms: every text field a person or a file
fills has a length limit, every date a plausible range, every amount a maximum, every link web
only; so a value past the limit is refused whichever way it comes in (a page's form, an import
file, a management command, the admin), with the field named.

The table-driven test walks every model of our apps: a new field fails it until it is limited
(or explicitly allowed below, with the reason)."""

import datetime
import io

import pytest
import yaml
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.test import RequestFactory

from actions.models import LocalAction, LocalKeyArea
from winterplan.models import User
from winterplan.validators import (
    IMPLAUSIBLE_DATE,
    TEXT_MAX_LENGTH,
    validate_plausible_date,
    validate_web_url,
)

OUR_APPS = ("actions", "providers", "reports", "winterplan", "people")
ANCIENT = datetime.date(1, 1, 1)
PLAN = "cheshire-east-2020-21"

#: Fields no person or file fills in, so they need no limit. auto_now / auto_now_add timestamps
#: are left out by rule (the clock sets them); everything else is named here with its reason.
SYSTEM_FIELDS = {
    # The frozen letter's HTML, rendered by the service at approval, never typed.
    "reports.DhscLetter.approved_html",
    # Set by the service at the moment of approval.
    "reports.DhscLetter.approved_at",
    # Django's own sign-in bookkeeping.
    "winterplan.User.last_login",
    "winterplan.User.date_joined",
    # Return links: made, expired, revoked and used by the service's clock.
    "providers.ReturnLink.created_at",
    "providers.ReturnLink.expires_at",
    "providers.ReturnLink.revoked_at",
    "providers.ReturnLink.last_used_at",
    # The documents cache: when a document was rendered, and for which moment.
    "reports.RenderedDocument.as_at",
    # A render's lease: when it lapses, from the renderer's clock.
    "reports.RenderLease.expires_at",
    # Invitations: when e-mailed, when the link lapses, when used: the service's clock.
    "people.Invitation.sent_at",
    "people.Invitation.expires_at",
    "people.Invitation.accepted_at",
    "people.Invitation.cancelled_at",
}


def _our_fields(*types):
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or hasattr(model, "instance_type"):
            continue  # a history model copies its model's fields, validators included
        for field in model._meta.concrete_fields:
            if not isinstance(field, types) or isinstance(field, models.AutoField):
                continue  # ids are the database's
            label = f"{model._meta.label}.{field.name}"
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                continue
            if label in SYSTEM_FIELDS:
                continue
            yield label, field


def test_the_walk_sees_the_fields_it_checks():
    labels = {label for label, _ in _our_fields(models.TextField, models.DateField)}
    assert {"actions.LocalKeyArea.narrative", "reports.CommitteeReport.meeting_date",
            "providers.DailyReturn.date", "winterplan.Council.address"} <= labels


def test_every_text_field_has_a_length_limit():
    unlimited = [label for label, field in _our_fields(models.TextField)
                 if not any(isinstance(v, MaxLengthValidator) for v in field.validators)]
    assert unlimited == [], "give these max_length and MaxLengthValidator (or allow-list them)"


def test_every_date_field_has_the_plausible_date_validator():
    # DateTimeField is a DateField, so timestamps a person or file fills are included.
    missing = [label for label, field in _our_fields(models.DateField)
               if validate_plausible_date not in field.validators]
    assert missing == [], "add validators=[validate_plausible_date] (or allow-list them)"


def test_every_decimal_field_has_a_minimum_and_a_maximum():
    # The maximum: a MaxValueValidator, or digits so few that the largest value is plausible
    # (e.g. an escalation threshold, max_digits=7: at most 99,999.99).
    missing = [label for label, field in _our_fields(models.DecimalField)
               if not (any(isinstance(v, MinValueValidator) for v in field.validators)
                       and (any(isinstance(v, MaxValueValidator) for v in field.validators)
                            or field.max_digits - field.decimal_places <= 5))]
    assert missing == []


def test_every_integer_field_refuses_negatives_or_is_bounded():
    # Positive*Field refuses negatives; the database's range gives every integer a maximum.
    unbounded = [label for label, field in _our_fields(models.IntegerField)
                 if not any(isinstance(v, MinValueValidator) and v.limit_value >= 0
                            for v in field.validators)]
    assert unbounded == []


def test_every_link_is_web_only():
    missing = [label for label, field in _our_fields(models.URLField)
               if validate_web_url not in field.validators]
    assert missing == []


# --- Every model: the admin's change form (what the admin saves through) -------------------

def _admin_request():
    request = RequestFactory().post("/admin/")
    request.user = User.objects.get(username="admin")
    return request


def _form_data(form) -> dict:
    """What the browser would post back for `form` unchanged."""
    data = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        widget = bound.widget
        if isinstance(widget, forms.MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data


def _cases(models_to_walk):
    for model in models_to_walk:
        if model._meta.app_label not in OUR_APPS or hasattr(model, "instance_type"):
            continue
        texts = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, models.TextField)
                 and f"{model._meta.label}.{f.name}" not in SYSTEM_FIELDS]
        dates = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
                 and f"{model._meta.label}.{f.name}" not in SYSTEM_FIELDS]
        if texts or dates:
            yield pytest.param(model, texts, dates, id=model._meta.label)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "texts", "dates"), list(_cases(admin.site._registry)))
def test_the_admin_refuses_too_long_text_and_implausible_dates_naming_the_field(
        model, texts, dates):
    # The sample's first row, or (none in the sample) the admin's add form.
    instance = model._default_manager.order_by("pk").first()
    request = _admin_request()
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, instance, change=instance is not None)
    data = _form_data(form_class(instance=instance))
    editable = [name for name in (*texts, *dates) if name in form_class.base_fields]
    for name in texts:
        if name in form_class.base_fields:
            data[name] = "x" * (TEXT_MAX_LENGTH + 1)
    for name in dates:
        if name in form_class.base_fields:
            data[name] = "01/01/0001"
    form = form_class(data, instance=instance)
    assert not form.is_valid()
    assert set(editable) <= set(form.errors), form.errors
    for name in dates:
        if name in form.errors:
            assert IMPLAUSIBLE_DATE in form.errors[name] or any(
                "date" in message for message in form.errors[name])


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "texts", "dates"), list(_cases(apps.get_models())))
def test_full_clean_refuses_too_long_text_and_implausible_dates_naming_the_field(
        model, texts, dates):
    """What every service, import and command calls before it saves."""
    instance = model._default_manager.order_by("pk").first() or model()
    for name in texts:
        setattr(instance, name, "x" * (TEXT_MAX_LENGTH + 1))
    for name in dates:
        setattr(instance, name, ANCIENT)
    with pytest.raises(ValidationError) as refused:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    assert set(texts) | set(dates) <= set(refused.value.error_dict)
    for name in dates:
        assert IMPLAUSIBLE_DATE in refused.value.message_dict[name]


def test_the_admin_change_page_refuses_a_too_long_action_and_an_ancient_deadline(admin_client):
    action = LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN).first()
    url = f"/admin/actions/localaction/{action.pk}/change/"
    form = admin.site._registry[LocalAction].get_form(_admin_request(), action, change=True)
    data = _form_data(form(instance=action)) | {
        "text": "x" * (TEXT_MAX_LENGTH + 1), "deadline": "01/01/0001",
        # The links inline, posted with no forms (the action's own fields are what is tested).
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"}
    response = admin_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200  # the form again, with its errors
    assert "Ensure this value has at most 10000 characters" in page
    assert IMPLAUSIBLE_DATE in page
    action.refresh_from_db()
    assert len(action.text) <= TEXT_MAX_LENGTH and action.deadline != ANCIENT


# --- Imports and commands -------------------------------------------------------------------

@pytest.mark.django_db
def test_a_plan_file_with_a_too_long_narrative_is_refused_naming_the_area():
    from django.conf import settings

    from actions.services.plan_files import local_plan_import, read_yaml
    from winterplan.sync import RowError

    data = read_yaml(settings.BASE_DIR / "fixtures" / "local-plans" / f"{PLAN}.yaml")
    area = next(iter(data["key_areas"].values())) if isinstance(data["key_areas"], dict) else (
        data["key_areas"][0])
    area["narrative"] = "x" * (TEXT_MAX_LENGTH + 1)
    before = list(LocalKeyArea.objects.values_list("narrative", flat=True).order_by("pk"))
    with pytest.raises(RowError) as refused:
        local_plan_import(data)
    assert "narrative" in str(refused.value) and "10000" in str(refused.value)
    assert list(LocalKeyArea.objects.values_list("narrative", flat=True).order_by("pk")) == before


@pytest.mark.django_db
def test_a_plan_file_with_an_ancient_as_at_date_is_refused():
    from django.conf import settings

    from actions.services.plan_files import local_plan_import, read_yaml
    from winterplan.sync import RowError

    data = read_yaml(settings.BASE_DIR / "fixtures" / "local-plans" / f"{PLAN}.yaml")
    data["as_at"] = ANCIENT
    with pytest.raises(RowError) as refused:
        local_plan_import(data)
    assert "as_at" in str(refused.value) and IMPLAUSIBLE_DATE in str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), [
    ({"published": "0001-01-01"}, IMPLAUSIBLE_DATE),
    ({"title": "x" * 301}, "at most 300 characters"),
])
def test_the_import_national_plan_command_refuses_naming_the_field(tmp_path, change, message):
    from django.conf import settings

    source = (settings.BASE_DIR / "fixtures" / "national-plans"
              / "halton-care-home-resilience-plan.yaml")
    data = yaml.safe_load(source.read_text())
    data |= {"slug": "limits-test-plan"} | {
        key: (datetime.date(1, 1, 1) if value == "0001-01-01" else value)
        for key, value in change.items()}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_national_plan", str(path), stderr=err)
    assert message in err.getvalue()
    assert next(iter(change)) in err.getvalue() or "published" in err.getvalue()


@pytest.mark.django_db
def test_a_register_row_with_impossible_beds_is_refused_naming_the_row_and_field():
    from providers.models import Provider
    from providers.services.imports import ProviderImportError, providers_import
    from winterplan.models import Council

    council = Council.objects.get(slug="halton")
    home = Provider.objects.filter(council=council, registered_beds__isnull=False).first()
    content = ("name,provider_type,cqc_location_id,registered_beds,prime_provider,council_run,"
               "risk_rating\n"
               f"{home.name},{home.provider_type},{home.cqc_location_id},5000,no,no,green\n"
               ).encode()
    with pytest.raises(ProviderImportError) as refused:
        providers_import(council=council, filename="register.csv", content=content)
    errors = [(e.row, e.field) for e in refused.value.result.errors]
    assert errors == [(2, "registered_beds")]
    home.refresh_from_db()
    assert home.registered_beds != 5000
