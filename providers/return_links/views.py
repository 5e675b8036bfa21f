"""The officers' pages: a home's return links (list, issue, revoke) and reminders to the homes
that have not reported today. Editors only (officers, managers, admins of the council), GET
too; another council's home is 404 (CouncilMixin)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View

from providers.models import RETURNING_TYPES, Provider, ReturnLink
from providers.return_links import selectors, services
from providers.return_links.forms import ReminderForm, ReturnLinkIssueForm
from providers.views.register import ProvidersMixin


def _names(homes) -> str:
    return ", ".join(home.name for home in homes)


class HomeMixin(ProvidersMixin):
    editing = True

    def setup_home(self):
        self.home = get_object_or_404(Provider, council=self.council, pk=self.kwargs["pk"],
                                      provider_type__in=RETURNING_TYPES)


class ReturnLinkListView(HomeMixin, View):
    """A home's links (issued when, by whom, expires, last used, revoked) and the form to
    issue a new one; the new link is shown once, on the page that issued it."""

    template_name = "providers/return_links/returnlink_list.html"

    def render_links(self, form, issued=None, status=200):
        response = self.render_page(self.template_name, {
            "provider": self.home, "form": form, "issued": issued,
            "links": list(selectors.provider_links(self.home)), "now": timezone.now(),
        }, status=status)
        response["Cache-Control"] = "no-store"
        return response

    def form(self, data=None):
        return ReturnLinkIssueForm(data, provider=self.home,
                                   initial={"days": settings.RETURN_LINK_VALID_DAYS})

    def get(self, request, *args, **kwargs):
        self.setup_home()
        return self.render_links(self.form())

    def post(self, request, *args, **kwargs):
        self.setup_home()
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_links(form, status=400)
        try:
            issued = services.return_link_issue(
                provider=self.home, user=request.user, days=form.cleaned_data["days"],
                send_email=form.cleaned_data.get("send_email", False),
                link_for=lambda token: request.build_absolute_uri(
                    reverse("return-links:provider-return", args=[token])),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.render_links(form, status=400)
        except Exception as error:  # the mail server refused: nothing was saved
            form.add_error(None, f"The e-mail could not be sent ({type(error).__name__}), so "
                                 "no link was issued. Try again, or issue it without e-mail.")
            return self.render_links(form, status=502)
        return self.render_links(self.form(), issued=issued, status=201)


class ReturnLinkRevokeView(HomeMixin, View):
    """POST: revoke one of the home's links."""

    def post(self, request, *args, **kwargs):
        self.setup_home()
        link = get_object_or_404(ReturnLink, provider=self.home, pk=self.kwargs["link_pk"])
        services.return_link_revoke(link=link, user=request.user)
        issued = timezone.localtime(link.created_at)
        messages.success(request, f"The link issued on {issued:%d/%m/%Y} to {self.home.name} "
                                  "is revoked: it no longer works.")
        return redirect(self.url("return-link-list", self.home.pk))


class ReturnRemindersView(ProvidersMixin, View):
    """POST: e-mail a reminder to one home that has not sent today's return, or to every such
    home; the message names who was reminded and who could not be (no e-mail address)."""

    editing = True

    def post(self, request, *args, **kwargs):
        form = ReminderForm(request.POST)
        back = self.url(request.POST.get("back") if request.POST.get("back") in (
            "returns-day", "risk-log") else "returns-day")
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors()) or "Nothing was sent.")
            return redirect(back)
        today = timezone.localdate()
        homes = selectors.homes_not_reported(self.council, today)
        if not form.cleaned_data["all"]:
            wanted = form.cleaned_data["provider"]
            homes = [home for home in homes if home.pk == wanted]
            if not homes:
                home = get_object_or_404(Provider, council=self.council, pk=wanted,
                                         provider_type__in=RETURNING_TYPES)
                messages.success(request, f"{home.name} has already sent its return for "
                                          f"{today:%d/%m/%Y}: no reminder sent.")
                return redirect(back)
        result = services.return_reminders_send(council=self.council, homes=homes, day=today,
                                                user=request.user)
        self.say(result, today)
        return redirect(back)

    def say(self, result, today):
        parts = [f"Reminder sent to {len(result.sent)} home{'s' if len(result.sent) != 1 else ''}"
                 f" for {today:%d/%m/%Y}" + (f": {_names(result.sent)}." if result.sent else ".")]
        if result.no_email:
            parts.append(f"Not sent, no e-mail address: {_names(result.no_email)}.")
        if result.failed:
            parts.append(f"Not sent, the mail server refused: {_names(result.failed)}.")
        if result.no_link:
            parts.append(f"No working return link (issue one): {_names(result.no_link)}.")
        level = messages.success if result.sent and not result.failed else messages.warning
        level(self.request, " ".join(parts))
