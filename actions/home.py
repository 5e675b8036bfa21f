"""Where a signed-in user lands, and the list of the plans they may open (mounted at the site's
root by winterplan/urls.py: `home` and `plan-list`)."""

from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from actions.workspace import plans_for
from winterplan import permissions
from winterplan.workspace import RoleRequiredMixin


@require_safe
def home(request):
    """Send a signed-in user to the plan they chose (`?plan=`), else their council's newest plan,
    or, for a regional or national reader, to the roll-up of their councils, or to the list when
    they may see several councils."""
    plans = plans_for(request.user).order_by("-as_at")
    chosen = request.GET.get("plan")
    if chosen and plans.filter(slug=chosen).exists():
        return redirect("actions:dashboard", plan_slug=chosen)
    if permissions.role_of(request.user) in permissions.OVERSIGHT_ROLES:
        return redirect("oversight:rollup")
    councils = {plan.council_id for plan in plans[:50]}
    if len(councils) == 1:
        return redirect("actions:dashboard", plan_slug=plans[0].slug)
    return redirect("plan-list")


class PlanListView(RoleRequiredMixin, ListView):
    template_name = "winterplan/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return plans_for(self.request.user).order_by("council__name", "-as_at")


urlpatterns = [
    path("", home, name="home"),
    path("plans/", PlanListView.as_view(), name="plan-list"),
]
