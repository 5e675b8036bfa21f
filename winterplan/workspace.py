"""The signed-in user's workspace: their council, the plan they are looking at, their role.

Views that show one plan or one council use these mixins; they are the only way a view gets
a plan or a council from a URL, so council scoping cannot be forgotten.
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.module_loading import import_string

from winterplan import permissions
from winterplan.models import Council


@dataclass
class Workspace:
    user: object
    council: Council | None = None
    #: The local plan being looked at (set by actions.workspace.PlanMixin).
    plan: object | None = None

    @property
    def role(self) -> str | None:
        return permissions.role_of(self.user)

    @property
    def role_label(self) -> str:
        return permissions.ROLE_LABELS.get(self.role, "")

    @property
    def can_edit(self) -> bool:
        return permissions.can_edit(self.user)

    @property
    def can_approve(self) -> bool:
        return permissions.can_approve(self.user)

    @property
    def can_start_winter(self) -> bool:
        return permissions.role_of(self.user) in permissions.WINTER_STARTING_ROLES

    @property
    def can_oversee(self) -> bool:
        return permissions.can_oversee(self.user)

    @cached_property
    def plans(self) -> list:
        """The council's plans, newest first, for the plan switcher (settings.WORKSPACE_PLANS
        names the selector: the core imports no domain app)."""
        if self.council is None:
            return []
        return import_string(settings.WORKSPACE_PLANS)(self.council)


def workspace_for(request) -> Workspace:
    """The request's workspace (a view may have set its plan or council first)."""
    workspace = getattr(request, "workspace", None)
    if workspace is None:
        user = request.user
        council = user.council if user.is_authenticated and user.council_id else None
        workspace = Workspace(user=user, council=council)
        request.workspace = workspace
    return workspace


class RoleRequiredMixin(AccessMixin):
    """Refuse (403) a signed-in user without the role the request needs.

    GET/HEAD/OPTIONS need one of `read_roles`; every other method needs one of `write_roles`
    (editors by default). A view that declares `editing = True` (a form to add, change, delete,
    import, allocate, approve or record) needs `write_roles` for every method, GET included,
    so a reader never opens its form.
    """

    write_roles = permissions.EDITING_ROLES
    read_roles = frozenset(permissions.ROLES)
    #: True for a view whose every URL is for changing data: readers are refused on GET too.
    editing = False

    def roles_needed(self, method: str):
        """The roles that may make a request with `method` to this view."""
        if self.editing or method not in ("GET", "HEAD", "OPTIONS"):
            return self.write_roles
        return self.read_roles

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if permissions.role_of(request.user) not in self.roles_needed(request.method):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CouncilMixin(RoleRequiredMixin):
    """A view of one council's data, from the URL's `council_slug` (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            councils = permissions.council_scope(Council.objects.all(), request.user, "pk")
            self.council = get_object_or_404(councils, slug=kwargs["council_slug"])
            workspace = workspace_for(request)
            workspace.council = self.council
            if workspace.plan is None and workspace.plans:
                workspace.plan = workspace.plans[0]
        return super().dispatch(request, *args, **kwargs)
