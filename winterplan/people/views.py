"""People pages: councils (admins), a council's accounts and invitations (its managers), the
invitation link (anyone holding it) and the throttled forgotten-password form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import FormView, TemplateView

from winterplan import permissions
from winterplan.middleware import client_ip
from winterplan.models import Council
from winterplan.people import selectors, services
from winterplan.people.forms import (
    CouncilForm,
    InvitationAcceptForm,
    InvitationForm,
    PasswordResetForm,
    PersonForm,
    SetPasswordForm,
)
from winterplan.people.models import Invitation
from winterplan.people.throttle import throttle_allow
from winterplan.workspace import CouncilMixin, RoleRequiredMixin


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refusal_status(error: ValidationError) -> int:
    """409 for a rule the change would break (the last manager), 400 for bad input."""
    codes = {e.code for e in error.error_list} if hasattr(error, "error_list") else set()
    if hasattr(error, "error_dict"):
        codes = {e.code for errors in error.error_dict.values() for e in errors}
    return 409 if codes & {"last_manager", "self", "exists", "open", "closed"} else 400


class AdminOnlyMixin(RoleRequiredMixin):
    read_roles = write_roles = frozenset({permissions.ADMIN})


class CouncilListView(AdminOnlyMixin, TemplateView):
    template_name = "people/council_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(councils=Council.objects.order_by("name"), **kwargs)


class CouncilCreateView(AdminOnlyMixin, FormView):
    editing = True
    template_name = "people/council_form.html"
    form_class = CouncilForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            council = services.council_create(
                by=self.request.user, teams=form.team_names(),
                **{name: data[name] for name in CouncilForm.Meta.fields},
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, f"{council.name} added. Invite its first manager.")
        return redirect("people:person-list", council_slug=council.slug)


class PeopleMixin(CouncilMixin):
    """A page of one council's people: its managers and admins only (others 403; another
    council's manager 404)."""

    read_roles = write_roles = permissions.PEOPLE_MANAGING_ROLES

    def get_context_data(self, **kwargs):
        return super().get_context_data(council=self.council,
                                        valid_days=settings.INVITATION_VALID_DAYS, **kwargs)

    def link_for(self, token: str) -> str:
        return self.request.build_absolute_uri(
            reverse("people:invitation-accept", args=[token]))


class PersonListView(PeopleMixin, TemplateView):
    template_name = "people/person_list.html"

    def get_context_data(self, **kwargs):
        people = list(selectors.council_people(self.council))
        for person in people:
            names = {group.name for group in person.groups.all()}
            person.role = ("admin" if person.is_superuser else
                           next((r for r in permissions.ROLES if r in names), None))
            person.role_label = permissions.ROLE_LABELS.get(person.role, "No role")
            person.manageable = person.role != permissions.ADMIN
        return super().get_context_data(
            people=people, invitations=list(selectors.council_open_invitations(self.council)),
            **kwargs)


class InvitationCreateView(PeopleMixin, FormView):
    editing = True
    template_name = "people/invitation_form.html"
    form_class = InvitationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                by=self.request.user, council=self.council, email=data["email"],
                role=data["role"], team=data["team"], link_for=self.link_for)
        except ValidationError as error:
            _form_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form),
                                           status=_refusal_status(error))
        except OSError:  # the mail server refused or is down: nothing was saved
            form.add_error(None, "The invitation could not be e-mailed, so it was not saved. "
                                 "Try again later.")
            return self.render_to_response(self.get_context_data(form=form), status=503)
        messages.success(self.request, f"Invitation e-mailed to {invitation.email}. The link "
                                       f"works for {settings.INVITATION_VALID_DAYS} days.")
        return redirect("people:person-list", council_slug=self.council.slug)


class InvitationActionView(PeopleMixin, View):
    """POST only: resend or cancel one of the council's open invitations."""

    editing = True
    action = "resend"

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        invitation = get_object_or_404(Invitation.objects.select_related("council"),
                                       council=self.council, pk=kwargs["pk"])
        try:
            if self.action == "resend":
                services.invitation_resend(by=request.user, invitation=invitation,
                                           link_for=self.link_for)
                messages.success(request, f"A new link was e-mailed to {invitation.email}; "
                                          "the old one no longer works.")
            else:
                services.invitation_cancel(by=request.user, invitation=invitation)
                messages.success(request, f"The invitation to {invitation.email} was "
                                          "cancelled.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except OSError:
            messages.error(request, "The invitation could not be e-mailed. Try again later.")
        return redirect("people:person-list", council_slug=self.council.slug)


class PersonMixin(PeopleMixin):
    """One account of the council (another council's: 404; an admin's: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and permissions.role_of(request.user) in \
                self.write_roles:
            councils = permissions.council_scope(Council.objects.all(), request.user, "pk")
            council = get_object_or_404(councils, slug=kwargs["council_slug"])
            self.person = get_object_or_404(selectors.council_people(council), pk=kwargs["pk"])
            permissions.require(permissions.can_manage_person(request.user, self.person))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        person = self.person
        return super().get_context_data(
            person=person, role_label=permissions.ROLE_LABELS.get(
                permissions.role_of(person), "No role"),
            history=person.history.select_related("history_user").order_by("-history_date")[:20],
            **kwargs)


class PersonEditView(PersonMixin, FormView):
    editing = True
    template_name = "people/person_form.html"
    form_class = PersonForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council": self.council}

    def get_initial(self):
        return {"role": permissions.role_of(self.person), "team": self.person.team_id}

    def form_valid(self, form):
        try:
            services.person_update(by=self.request.user, person=self.person,
                                   role=form.cleaned_data["role"], team=form.cleaned_data["team"])
        except ValidationError as error:
            _form_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form),
                                           status=_refusal_status(error))
        messages.success(self.request, f"{self.person} saved.")
        return redirect("people:person-list", council_slug=self.council.slug)


class PersonActiveView(PersonMixin, TemplateView):
    """POST only: deactivate or reactivate an account; a refusal is shown on the person's
    page (409)."""

    editing = True
    template_name = "people/person_form.html"
    active = False

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        change = services.person_reactivate if self.active else services.person_deactivate
        try:
            change(by=request.user, person=self.person)
        except ValidationError as error:
            form = PersonForm(council=self.council, initial={
                "role": permissions.role_of(self.person), "team": self.person.team_id})
            return self.render_to_response(
                self.get_context_data(form=form, refusal=error.messages),
                status=_refusal_status(error))
        done = "reactivated: they can sign in again" if self.active else \
            "deactivated: they can no longer sign in"
        messages.success(request, f"{self.person} {done}.")
        return redirect("people:person-list", council_slug=self.council.slug)


INVITATION_PROBLEMS = {
    "invalid": (404, "This invitation link is not valid",
                "The link may have been copied wrongly, or replaced by a newer invitation. "
                "Check you used the whole link from the latest e-mail."),
    "expired": (410, "This invitation has expired",
                "Invitation links work for {days} days. Ask your council's manager to resend "
                "it."),
    "accepted": (410, "This invitation has already been used",
                 "Your account is set up: sign in with your e-mail address as your username. "
                 "If you have forgotten your password, reset it from the sign-in page."),
    "cancelled": (410, "This invitation was cancelled",
                  "Ask your council's manager if you still need an account."),
    "deactivated": (410, "This account has been deactivated",
                    "Ask your council's manager to reactivate it."),
}


def _invitation_problem(request, problem: services.InvitationUnusable):
    status, title, text = INVITATION_PROBLEMS[problem.reason]
    return render(request, "people/invitation_unusable.html", {
        "title": title, "text": text.format(days=settings.INVITATION_VALID_DAYS),
        "reason": problem.reason, "invitation": problem.invitation,
    }, status=status)


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(FormView):
    """Anyone with a usable invitation link sets their name and password (or, where the
    council has passwords off, is told to sign in with the council's single sign-on); any
    other link gets a page saying why it does not work (never an error)."""

    template_name = "people/invitation_accept.html"
    form_class = InvitationAcceptForm

    def dispatch(self, request, *args, **kwargs):
        try:
            self.invitation = services.invitation_check(
                selectors.invitation_for_token(kwargs["token"]))
        except services.InvitationUnusable as problem:
            return _invitation_problem(request, problem)
        if not self.invitation.council.local_sign_in_allowed:
            # Passwords are off for this council (invitations never make admins): no password
            # is asked for or accepted; signing in with the council's single sign-on as the
            # invited address accepts the invitation (signin.backends).
            return render(request, "people/invitation_sso.html", {
                "invitation": self.invitation, "sso_enabled": settings.OIDC_ENABLED,
                "refused": request.method == "POST",
            }, status=409 if request.method == "POST" else 200)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "email": self.invitation.email}

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitation=self.invitation, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                token=self.kwargs["token"], first_name=data["first_name"],
                last_name=data["last_name"], password=data["password1"])
        except services.InvitationUnusable as problem:
            return _invitation_problem(self.request, problem)
        messages.success(self.request, f"Your account is ready. Sign in with your username "
                                       f"{user.username} and your new password.")
        return redirect("login")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, throttled per client address (429 past the limit) and per e-mail
    address (past it, the same reply and nothing sent). The reply never says whether an
    account has the address."""

    form_class = PasswordResetForm

    @property
    def extra_email_context(self):
        return {"timeout_hours": reset_link_lifetime()}

    def form_valid(self, form):
        address = client_ip(self.request) or "unknown"
        if not throttle_allow("reset-address", address,
                              settings.PASSWORD_RESET_MAX_PER_ADDRESS_PER_HOUR):
            return render(self.request, "registration/password_reset_throttled.html",
                          status=429)
        if not throttle_allow("reset-email", form.cleaned_data["email"],
                              settings.PASSWORD_RESET_MAX_PER_EMAIL_PER_HOUR):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


def reset_link_lifetime() -> str:
    """PASSWORD_RESET_TIMEOUT in words: "2 hours", "1 hour", "30 minutes"."""
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(timeout_hours=reset_link_lifetime(), **kwargs)


@method_decorator(login_not_required, name="dispatch")
class AccessibilityView(TemplateView):
    """The accessibility statement: public, linked from every page's footer."""

    template_name = "winterplan/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            operator=settings.ACCESSIBILITY_OPERATOR,
            contact_email=settings.ACCESSIBILITY_CONTACT_EMAIL, **kwargs)
