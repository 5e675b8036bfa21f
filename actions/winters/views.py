"""Managers start their council's next winter plan from this one: form, preview, confirm.

The confirm button posts the form's values again; the preview is recomputed from them and the
plans as they are now, and applied only when it still matches what was shown.
"""

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views import View

from actions.winters.forms import NewWinterApplyForm, NewWinterUploadForm
from actions.winters.mapping import Mapping, read_mapping
from actions.winters.services import (
    CloneChanged,
    CloneRefused,
    plan_clone,
    plan_clone_preview,
)
from actions.workspace import PlanMixin
from winterplan import permissions

MAPPING_SECONDS = 60 * 60
FIELDS = ("national_plan", "slug", "title", "as_at", "with_commentary")


def _cache_key(token: str) -> str:
    return f"winter-mapping:{token}"


class _WinterMixin(PlanMixin):
    editing = True
    write_roles = permissions.WINTER_STARTING_ROLES

    def _arguments(self, data: dict, mapping: Mapping | None) -> dict:
        return {"source": self.plan, "mapping": mapping,
                **{name: data[name] for name in FIELDS}}

    def _preview_page(self, request, form_data, preview, token, status=200, changed=False):
        apply_form = NewWinterApplyForm(source=self.plan, initial={
            **{name: form_data[name] for name in FIELDS},
            "as_at": form_data["as_at"].strftime("%d/%m/%Y"),
            "national_plan": form_data["national_plan"].pk,
            "token": token, "fingerprint": preview.fingerprint})
        return render(request, "actions/winters/preview.html", {
            "plan": self.plan, "preview": preview, "apply_form": apply_form,
            "changed": changed,
        }, status=status)


class NewWinterView(_WinterMixin, View):
    """The form; a POST shows the preview (nothing is written)."""

    def get(self, request, *args, **kwargs):
        form = NewWinterUploadForm(source=self.plan)
        return render(request, "actions/winters/start.html", {"plan": self.plan, "form": form})

    def post(self, request, *args, **kwargs):
        form = NewWinterUploadForm(request.POST, request.FILES, source=self.plan)
        if not form.is_valid():
            return render(request, "actions/winters/start.html",
                          {"plan": self.plan, "form": form}, status=400)
        upload, mapping, token = form.cleaned_data["mapping"], None, ""
        if upload is not None:
            content = upload.read()
            mapping = read_mapping(upload.name, content)
            token = secrets.token_urlsafe(24)
            cache.set(_cache_key(token), {"user": request.user.pk, "plan": self.plan.pk,
                                          "name": upload.name, "content": content},
                      MAPPING_SECONDS)
        preview = plan_clone_preview(**self._arguments(form.cleaned_data, mapping))
        return self._preview_page(request, form.cleaned_data, preview, token,
                                  status=409 if preview.errors else 200)


class NewWinterApplyView(_WinterMixin, View):
    """Recompute the preview from the posted values and apply it, all-or-nothing."""

    def post(self, request, *args, **kwargs):
        form = NewWinterApplyForm(request.POST, source=self.plan)
        if not form.is_valid():
            messages.error(request, "The preview's values are no longer valid: start again.")
            return redirect("winters:new-winter", plan_slug=self.plan.slug)
        data, mapping = form.cleaned_data, None
        if data["token"]:
            pending = cache.get(_cache_key(data["token"]))
            if not pending or pending["user"] != request.user.pk or (
                    pending["plan"] != self.plan.pk):
                messages.error(request, "That preview has expired or is not yours: upload the "
                                        "mapping file again.")
                return redirect("winters:new-winter", plan_slug=self.plan.slug)
            mapping = read_mapping(pending["name"], pending["content"])
        try:
            new_plan, _ = plan_clone(user=request.user, expected_fingerprint=data["fingerprint"],
                                     **self._arguments(data, mapping))
        except CloneChanged as changed:
            return self._preview_page(request, data, changed.preview, data["token"],
                                      status=409, changed=True)
        except CloneRefused as refused:
            return self._preview_page(request, data, refused.preview, data["token"], status=409)
        if data["token"]:
            cache.delete(_cache_key(data["token"]))
        messages.success(request, f"{new_plan.title} started from {self.plan.title}.")
        return redirect("actions:dashboard", plan_slug=new_plan.slug)
