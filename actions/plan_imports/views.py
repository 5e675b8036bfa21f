"""Admins import a national plan: upload, dry-run preview, apply with the preview's token."""

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from actions.plan_imports.files import read_plan_file
from actions.plan_imports.forms import ApplyForm, PlanUploadForm
from actions.plan_imports.services import (
    PlanImportRefused,
    PlanImportReport,
    plan_import_apply,
)
from winterplan import audit, permissions

#: How long a previewed file waits to be applied.
PREVIEW_SECONDS = 60 * 60


def _require_admin(request) -> None:
    """Only administrators load national plans."""
    permissions.require(permissions.role_of(request.user) == permissions.ADMIN)


def _cache_key(token: str) -> str:
    return f"plan-import:{token}"


def _preview(upload: dict):
    """The file's dry run: (report or None, errors)."""
    plan_file = read_plan_file(upload["filename"], upload["content"], upload["fields"])
    if plan_file.errors:
        return None, plan_file.errors, plan_file
    try:
        report = plan_import_apply(data=plan_file.data, lines=plan_file.lines,
                                   names=plan_file.names, dry_run=True)
    except PlanImportRefused as refused:
        return refused.report, refused.report.errors, plan_file
    return report, [], plan_file


@require_http_methods(["GET", "POST"])
def plan_import(request):
    """Upload a plan file; a POST shows its dry run (nothing is written) and a token to apply."""
    _require_admin(request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fields = {name: (value.isoformat() if hasattr(value, "isoformat") else value)
                  for name, value in form.plan_fields().items()}
        pending = {"user": request.user.pk, "filename": upload.name, "content": upload.read(),
                   "fields": fields}
        report, errors, plan_file = _preview(pending)
        token = ""
        if not errors:
            token = secrets.token_urlsafe(24)
            cache.set(_cache_key(token), pending, PREVIEW_SECONDS)
        return render(request, "actions/plan_imports/preview.html", {
            "report": report, "errors": errors, "filename": upload.name,
            "kind": plan_file.kind, "apply_form": ApplyForm(initial={"token": token}),
            "token": token,
        })
    return render(request, "actions/plan_imports/upload.html", {"form": form})


@require_POST
def plan_import_apply_view(request):
    """Apply the previewed file: all-or-nothing, as its preview showed (or refused)."""
    _require_admin(request)
    form = ApplyForm(request.POST)
    pending = cache.get(_cache_key(form.data.get("token", ""))) if form.is_valid() else None
    if not pending or pending["user"] != request.user.pk:
        messages.error(request, "That preview has expired or is not yours: upload the file "
                                "again.")
        return redirect("plan-imports:import")
    cache.delete(_cache_key(form.cleaned_data["token"]))
    plan_file = read_plan_file(pending["filename"], pending["content"], pending["fields"])
    try:
        if plan_file.errors:
            raise PlanImportRefused(PlanImportReport(errors=plan_file.errors))
        report = plan_import_apply(data=plan_file.data, lines=plan_file.lines,
                                   names=plan_file.names)
    except PlanImportRefused as refused:
        return render(request, "actions/plan_imports/preview.html", {
            "report": None, "errors": refused.report.errors, "filename": pending["filename"],
            "kind": plan_file.kind, "token": "", "refused": True,
        }, status=409)
    audit.audit_event(audit.IMPORT, request=request, obj=pending["filename"],
                      kind="national-plan")
    return render(request, "actions/plan_imports/done.html", {"report": report})
