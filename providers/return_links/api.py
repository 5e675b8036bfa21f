"""`POST /api/returns/`: a care group's own system sends a home's return with the home's
return-link token as a bearer credential (`Authorization: Bearer <token>`).

A plain Django view, not Django REST Framework or django-ninja: it is one endpoint that must
give exactly the staff form's validation (it binds `DailyReturnForm` and calls the same
service), its authentication is the return link's own token check, and a framework would add
a dependency, its own authentication and error shapes, and a second validation layer to keep
in step with the form. csrf_exempt is right here only: no cookie or session is read, the
bearer header is the credential, so there is nothing a cross-site page could ride on.

Statuses: 201 the return is stored (200 when it replaced one, with `"replace": true`), 400
the body is not a JSON object or has unknown fields or invalid values (each named), 401 no
bearer token, a malformed or an unknown one, 403 a revoked or expired link, 405 not POST, 409
the home already has a return for the day and `replace` was not true, 429 too many requests.
"""

import datetime
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from providers.forms import RETURN_FIELDS
from providers.models import DailyReturn, EnteredVia
from providers.return_links import selectors, services
from providers.return_links.forms import ProviderReturnForm
from providers.return_links.public import throttled
from providers.return_links.throttle import retry_after_seconds

#: Fields of the body besides the return's own.
CONTROL_FIELDS = ("date", "replace")
FIELDS = {name: DailyReturn._meta.get_field(name) for name in RETURN_FIELDS}


def _error(status: int, message: str, **extra) -> JsonResponse:
    response = JsonResponse({"error": message, **extra}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _unauthorised(message: str) -> JsonResponse:
    response = _error(401, message)
    response["WWW-Authenticate"] = 'Bearer realm="returns", error="invalid_token"'
    return response


def bearer_token(request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    return token


def _type_error(field, value) -> str | None:
    """Why a JSON value cannot be the field's, or None."""
    if isinstance(field, models.BooleanField):
        return None if isinstance(value, bool) else "Must be true or false."
    if value is None:
        return None if field.null else "Must not be null."
    if isinstance(field, models.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else (
            "Must be a whole number.")
    return None if isinstance(value, str) else "Must be a string."


def serialise(daily_return: DailyReturn) -> dict:
    """The stored return as the API gives it back."""
    data = {"id": daily_return.pk, "date": daily_return.date.isoformat(),
            "provider": {"name": daily_return.provider.name,
                         "cqc_location_id": daily_return.provider.cqc_location_id}}
    for name in RETURN_FIELDS:
        value = getattr(daily_return, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    data.update(entered_via=daily_return.entered_via, version=daily_return.version,
                updated_at=daily_return.updated_at.isoformat())
    return data


@method_decorator([csrf_exempt, login_not_required], name="dispatch")
class ReturnApiView(View):
    http_method_names = ["post"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = _error(405, "Use POST.")
        response["Allow"] = "POST"
        return response

    def post(self, request, *args, **kwargs):
        request.user = AnonymousUser()
        token = bearer_token(request)
        if throttled(request, token or ""):
            response = _error(429, "Too many requests: try again later.")
            response["Retry-After"] = str(retry_after_seconds())
            return response
        if token is None:
            return _unauthorised("Send the home's token as 'Authorization: Bearer <token>'.")
        try:
            link = services.return_link_check(selectors.link_for_token(token))
        except services.LinkUnusable as problem:
            if problem.reason == "invalid":
                return _unauthorised("The token is not valid.")
            return _error(403, f"The link is {problem.reason}: ask the council for a new one.",
                          reason=problem.reason)
        try:
            body = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError):
            return _error(400, "The body is not JSON.", errors={"body": ["Not valid JSON."]})
        if not isinstance(body, dict):
            return _error(400, "The body must be a JSON object.",
                          errors={"body": ["Not a JSON object."]})
        errors = {name: ["Unknown field."] for name in body
                  if name not in FIELDS and name not in CONTROL_FIELDS}
        errors |= {name: [problem] for name, value in body.items() if name in FIELDS
                   and (problem := _type_error(FIELDS[name], value))}
        replace = body.get("replace", False)
        if not isinstance(replace, bool):
            errors["replace"] = ["Must be true or false."]
        day = self.day(body.get("date"), errors)
        if errors:
            return _error(400, "Some fields are not right: nothing was stored.", errors=errors)
        existing = selectors.return_of_day(link.provider, day)
        if existing is not None and not replace:
            return self.duplicate(existing)
        instance = existing or DailyReturn(provider=link.provider, date=day)
        form = ProviderReturnForm(self.form_data(body), instance=instance)
        if not form.is_valid():
            return _error(400, "Some fields are not right: nothing was stored.",
                          errors={("non_field_errors" if name == "__all__" else name): list(msgs)
                                  for name, msgs in form.errors.items()})
        try:
            saved, replaced = services.provider_return_save(
                link=link, daily_return=form.instance, entered_via=EnteredVia.API,
                replace=replace)
        except services.DuplicateReturn as duplicate:
            return self.duplicate(duplicate.existing)
        except services.LinkUnusable as problem:
            return _error(403, f"The link is {problem.reason}.", reason=problem.reason)
        saved.refresh_from_db()
        response = JsonResponse(serialise(saved), status=200 if replaced else 201)
        response["Cache-Control"] = "no-store"
        return response

    def duplicate(self, existing) -> JsonResponse:
        return _error(409, f"The home already has a return for {existing.date:%d/%m/%Y}: send "
                           '"replace": true to replace it.', existing=serialise(existing))

    def day(self, value, errors) -> datetime.date | None:
        """The return's day: today by default; yesterday only before the cut-off."""
        days = selectors.reporting_days()
        if value is None:
            return days[0]
        allowed = {day.isoformat(): day for day in days} | {
            day.strftime("%d/%m/%Y"): day for day in days}
        if not isinstance(value, str) or value not in allowed:
            errors["date"] = [
                "Must be today" + (" or yesterday" if len(days) > 1 else "")
                + f" (YYYY-MM-DD); yesterday's return may be sent until "
                f"{settings.RETURN_LINK_YESTERDAY_UNTIL_HOUR}:00."]
            return None
        return allowed[value]

    @staticmethod
    def form_data(body: dict) -> dict:
        """The form's data: each field as sent, else the model's default (a missing yes/no
        is its default, not "no", unlike an unticked box)."""
        data = {}
        for name, field in FIELDS.items():
            value = body[name] if name in body else (
                field.get_default() if field.has_default() else None)
            data[name] = "" if value is None else value
        return data
