"""The provider's own page, opened by its return link: no account, one home, one form.

The token in the URL opens this page and nothing else: it signs nobody in and makes no session,
and the page acts as an anonymous visitor even for someone signed in in the same browser (so
history never names them). Counted per client address, then per token (429 past either); an
unknown or malformed token is 404, a revoked or expired one says so plainly (410).
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View

from providers.forms import RETURN_FIELDS
from providers.models import DailyReturn, EnteredVia
from providers.return_links import selectors, services
from providers.return_links.forms import ProviderReturnForm
from providers.return_links.throttle import retry_after_seconds, throttle_hit
from winterplan.middleware import client_ip

YESTERDAY = "yesterday"


def throttled(request, token: str) -> bool:
    """Count the request per client address and per token; True when either is over its
    hourly limit (the address first, so unknown tokens are counted too)."""
    address = client_ip(request) or "unknown"
    return not (
        throttle_hit("address", address, settings.RETURN_LINK_MAX_PER_ADDRESS_PER_HOUR)
        and throttle_hit("token", token, settings.RETURN_LINK_MAX_PER_TOKEN_PER_HOUR)
    )


def _private(response):
    """Not kept by caches. The site's Referrer-Policy (same-origin) already keeps the token in
    the address from other sites; "no-referrer" would make the browser post `Origin: null`,
    which CSRF protection refuses."""
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(login_not_required, name="dispatch")
class ProviderReturnView(View):
    """GET: the home's return for today (or, `?day=yesterday` before the cut-off, yesterday),
    filled in with what it already sent today, or with its last return (`?copy=last`).
    POST: send it; a second return the same day replaces the first."""

    template_name = "providers/return_links/provider_return.html"
    http_method_names = ["get", "post", "head"]

    def dispatch(self, request, *args, **kwargs):
        request.user = AnonymousUser()
        token = kwargs["token"]
        if throttled(request, token):
            response = render(request, "providers/return_links/throttled.html", status=429)
            response["Retry-After"] = str(retry_after_seconds())
            return _private(response)
        try:
            self.link = services.return_link_check(selectors.link_for_token(token))
        except services.LinkUnusable as problem:
            if problem.reason == "invalid":
                raise Http404("No such link.") from None
            return _private(render(request, "providers/return_links/link_unusable.html", {
                "reason": problem.reason, "link": problem.link,
                "council": problem.link.provider.council,
            }, status=410))
        self.home = self.link.provider
        return _private(super().dispatch(request, *args, **kwargs))

    def day(self, asked: str | None) -> tuple[datetime.date, bool]:
        """The day the return is for, and whether yesterday was asked for but is too late."""
        days = selectors.reporting_days()
        if asked == YESTERDAY:
            return (days[1], False) if len(days) > 1 else (days[0], True)
        return days[0], False

    def render_form(self, form, day, *, status=200, too_late=False, sent=False):
        days = selectors.reporting_days()
        return render(self.request, self.template_name, {
            "home": self.home, "council": self.home.council, "link": self.link, "form": form,
            "day": day, "today": days[0], "yesterday_open": len(days) > 1,
            "is_yesterday": day != days[0], "too_late": too_late, "sent": sent,
            "existing": form.instance if form.instance.pk else None,
            "last": selectors.last_return_before(self.home, day),
            "cut_off": settings.RETURN_LINK_YESTERDAY_UNTIL_HOUR,
        }, status=status)

    def get(self, request, *args, **kwargs):
        day, too_late = self.day(request.GET.get("day"))
        existing = selectors.return_of_day(self.home, day)
        initial = {}
        if request.GET.get("copy") == "last":
            last = selectors.last_return_before(self.home, day)
            if last is not None:
                initial = model_to_dict(last, fields=RETURN_FIELDS)
        form = ProviderReturnForm(instance=existing or DailyReturn(provider=self.home, date=day),
                                  initial=initial)
        return self.render_form(form, day, too_late=too_late,
                                sent=existing is not None and request.GET.get("sent") == "1")

    def post(self, request, *args, **kwargs):
        day, too_late = self.day(request.POST.get("day"))
        existing = selectors.return_of_day(self.home, day)
        form = ProviderReturnForm(request.POST,
                                  instance=existing or DailyReturn(provider=self.home, date=day))
        if too_late:
            form.is_valid()
            form.add_error(None, f"Yesterday's return could be sent until "
                                 f"{settings.RETURN_LINK_YESTERDAY_UNTIL_HOUR}:00. Nothing was "
                                 "sent: check the answers below, they are now for today.")
            return self.render_form(form, day, status=400, too_late=True)
        if not form.is_valid():
            return self.render_form(form, day, status=400)
        try:
            services.provider_return_save(link=self.link, daily_return=form.instance,
                                          entered_via=EnteredVia.LINK, replace=True)
        except services.LinkUnusable as problem:
            return render(request, "providers/return_links/link_unusable.html", {
                "reason": problem.reason, "link": self.link, "council": self.home.council,
            }, status=410)
        query = "?sent=1" + (f"&day={YESTERDAY}" if day != timezone.localdate() else "")
        return redirect(request.path + query)
