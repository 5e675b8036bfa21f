from winterplan.workspace import workspace_for


def workspace(request):
    """`workspace` in every template: council, current plan, role (see winterplan.workspace)."""
    return {"workspace": workspace_for(request)}
