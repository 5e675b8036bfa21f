"""Background re-rendering, so the next download after an edit is ready.

When a plan's data changes (actions, commentary, key areas, assessments, the committee report,
the letter, the council's providers and their business continuity plans), a `documents_refresh`
task is queued once per plan when the transaction commits. The worker (`manage.py db_worker`)
re-renders the plan's documents that someone has downloaded before and whose data changed;
an unchanged document's cache key is unchanged, so it is skipped.

Signals are used here only to warm a cache: every rule-bearing write still goes through a
service. Enqueueing is best effort: a failure is logged and never fails the edit.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def documents_refresh(plan_id: int) -> list[str]:
    """Re-render the plan's previously downloaded documents whose data changed; returns the
    slugs rendered."""
    from actions.models import LocalPlan
    from reports import documents
    from reports.contexts import PLAN_DOCUMENTS

    plan = LocalPlan.objects.select_related("council", "national_plan").filter(pk=plan_id).first()
    if plan is None:
        return []
    rendered = []
    for slug in PLAN_DOCUMENTS:
        document = documents.get(slug)
        if not documents.has_live_render(document, plan):
            continue
        if document.stored_pdf(plan, None) is not None:
            continue
        built = documents.build(document, plan)
        if documents.cached_pdf(built) is None:
            try:
                documents.render_pdf(built, wait_seconds=documents.lease_seconds())
            except documents.BeingPrepared:
                continue  # another process is still rendering it
            rendered.append(slug)
    return rendered


class _PendingRefresh:
    """One on-commit callback per transaction collecting the plans whose documents changed."""

    def __init__(self):
        self.keys: set[tuple[str, int]] = set()
        self.plan_ids: set[int] = set()

    def add(self, key: tuple[str, int]) -> None:
        if key not in self.keys:
            self.keys.add(key)
            self.plan_ids |= _plans_for(key)

    def __call__(self) -> None:
        for plan_id in sorted(self.plan_ids):
            try:
                documents_refresh.enqueue(plan_id)
            except Exception:
                logger.exception("Could not queue the re-render of plan %s's documents", plan_id)


def _plans_for(key: tuple[str, int]) -> set[int]:
    from actions.models import LocalAction, LocalKeyArea, LocalPlan
    from reports.models import CommitteeReport

    kind, pk = key
    if kind == "plan":
        return {pk}
    if kind == "area":
        rows = LocalKeyArea.objects.filter(pk=pk).values_list("local_plan_id", flat=True)
    elif kind == "action":
        rows = LocalAction.objects.filter(pk=pk).values_list(
            "local_key_area__local_plan_id", flat=True)
    elif kind == "commentary":
        from actions.models import Commentary

        rows = Commentary.objects.filter(pk=pk).values_list(
            "local_key_area__local_plan_id", flat=True)
    elif kind == "report":
        rows = CommitteeReport.objects.filter(pk=pk).values_list("local_plan_id", flat=True)
    elif kind == "council":
        rows = LocalPlan.objects.filter(council_id=pk).values_list("pk", flat=True)
    elif kind == "provider":
        rows = LocalPlan.objects.filter(council__providers=pk).values_list("pk", flat=True)
    else:
        return set()
    return set(rows)


def _key_for(instance) -> tuple[str, int] | None:
    label = instance._meta.label_lower
    keys = {
        "actions.localplan": ("plan", "pk"),
        "actions.localkeyarea": ("plan", "local_plan_id"),
        "actions.requirementassessment": ("plan", "local_plan_id"),
        "actions.localaction": ("area", "local_key_area_id"),
        "actions.commentary": ("area", "local_key_area_id"),
        "actions.actionlink": ("action", "action_id"),
        "actions.commentarylink": ("commentary", "commentary_id"),
        "reports.committeereport": ("plan", "local_plan_id"),
        "reports.dhscletter": ("plan", "local_plan_id"),
        "reports.reportsection": ("report", "report_id"),
        "reports.appendixlink": ("report", "report_id"),
        "providers.provider": ("council", "council_id"),
        "providers.businesscontinuityplan": ("provider", "provider_id"),
    }
    if label not in keys:
        return None
    kind, attribute = keys[label]
    value = getattr(instance, attribute, None)
    return (kind, value) if value is not None else None


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata
    key = _key_for(instance)
    if key is None:
        return
    try:
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            pending = _PendingRefresh()
            pending.add(key)
            pending()
            return
        for _, callback, *_ in connection.run_on_commit:
            if isinstance(callback, _PendingRefresh):
                callback.add(key)
                return
        pending = _PendingRefresh()
        pending.add(key)
        transaction.on_commit(pending, robust=True)
    except Exception:
        logger.exception("Could not schedule the re-render of documents")


WATCHED_MODELS = (
    "actions.LocalPlan",
    "actions.LocalKeyArea",
    "actions.RequirementAssessment",
    "actions.LocalAction",
    "actions.Commentary",
    "actions.ActionLink",
    "actions.CommentaryLink",
    "reports.CommitteeReport",
    "reports.DhscLetter",
    "reports.ReportSection",
    "reports.AppendixLink",
    "providers.Provider",
    "providers.BusinessContinuityPlan",
)


def connect_signals() -> None:
    """Watch the models whose changes alter a document (called from ReportsConfig.ready)."""
    from django.apps import apps

    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"reports-refresh-save-{label}")
        post_delete.connect(_changed, sender=model,
                            dispatch_uid=f"reports-refresh-delete-{label}")
