"""Sign-in landing, the plan list and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from winterplan.workspace import RoleRequiredMixin, plans_for


@require_safe
def home(request):
    """Send a signed-in user to the plan they chose (`?plan=`), else their council's newest plan,
    or to the list when they may see several councils."""
    plans = plans_for(request.user).order_by("-as_at")
    chosen = request.GET.get("plan")
    if chosen and plans.filter(slug=chosen).exists():
        return redirect("actions:dashboard", plan_slug=chosen)
    councils = {plan.council_id for plan in plans[:50]}
    if len(councils) == 1:
        return redirect("actions:dashboard", plan_slug=plans[0].slug)
    return redirect("plan-list")


class PlanListView(RoleRequiredMixin, ListView):
    template_name = "winterplan/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return plans_for(self.request.user).order_by("council__name", "-as_at")


@login_not_required
@never_cache
@require_safe
def health(request):
    """200 when the database answers, 503 when it does not. Needs no sign-in."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
