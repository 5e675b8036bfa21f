"""The plan side of the workspace: which local plans a user may read, and the mixin through
which every view of one plan gets it from the URL (so council scoping cannot be forgotten).

The core (winterplan.workspace) knows councils and roles only; it finds a council's plans
for the plan switcher through settings.WORKSPACE_PLANS, which names `council_plans` below.
"""

from django.shortcuts import get_object_or_404

from actions.models import LocalPlan
from winterplan import permissions
from winterplan.workspace import RoleRequiredMixin, workspace_for


def plans_for(user):
    """Every local plan the user may read."""
    return permissions.council_scope(
        LocalPlan.objects.select_related("council", "national_plan"), user
    )


def council_plans(council) -> list[LocalPlan]:
    """The council's plans, newest first, for the plan switcher."""
    return list(
        LocalPlan.objects.filter(council=council)
        .only("slug", "title", "as_at", "council_id")
        .order_by("-as_at")
    )


class PlanMixin(RoleRequiredMixin):
    """A view of one local plan, from the URL's `plan_slug`, in the user's council (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = get_object_or_404(plans_for(request.user), slug=kwargs["plan_slug"])
            workspace = workspace_for(request)
            workspace.plan = self.plan
            workspace.council = self.plan.council
        return super().dispatch(request, *args, **kwargs)
