from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from winterplan.account.forms import AccountForm
from winterplan.account.services import user_reminders_update
from winterplan.permissions import ROLE_LABELS, role_of

TEMPLATE = "winterplan/account.html"


class AccountView(LoginRequiredMixin, View):
    """The signed-in user's own account: anyone signed in, whatever their role."""

    def get(self, request):
        form = AccountForm(initial={"reminders_enabled": request.user.reminders_enabled})
        return self._page(request, form)

    def post(self, request):
        form = AccountForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        user_reminders_update(user=request.user,
                              reminders_enabled=form.cleaned_data["reminders_enabled"])
        messages.success(request, "E-mail reminders turned " + (
            "on." if form.cleaned_data["reminders_enabled"] else "off."))
        return redirect("account")

    def _page(self, request, form, status=200):
        user = request.user
        return render(request, TEMPLATE, {
            "form": form, "account": user, "role_label": ROLE_LABELS.get(role_of(user), "None"),
        }, status=status)
