"""The actions table. Columns render with format_html (no per-cell templates: no per-cell
queries); every HTML column has a value_… for export."""

import django_tables2 as tables
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from actions.models import LocalAction, Requirement

OVERDUE_TAG = mark_safe(' <strong class="govuk-tag govuk-tag--red">Overdue</strong>')  # noqa: S308


class LocalActionTable(tables.Table):
    key_area = tables.Column(
        accessor="local_key_area__key_area__title",
        verbose_name="Key area",
        order_by=(
            "local_key_area__key_area__theme__position",
            "local_key_area__key_area__position",
        ),
    )
    text = tables.Column(verbose_name="Action")
    team = tables.Column(accessor="team__name", verbose_name="Team")
    owner = tables.Column(accessor="owner", verbose_name="Owner", default="—",
                          order_by=("owner__last_name", "owner__first_name"))
    deadline = tables.Column(order_by=("deadline_ongoing", "deadline"), empty_values=())
    status = tables.Column()
    #: Exports only: the refs of the requirements the action answers (prefetched, see __init__).
    requirement_refs = tables.Column(verbose_name="Requirement refs", accessor="pk",
                                     visible=False, orderable=False)

    class Meta:
        model = LocalAction
        fields = ["key_area", "text", "team", "owner", "deadline", "status", "requirement_refs"]
        sequence = fields
        order_by = ("key_area",)
        attrs = {"class": "govuk-table"}
        empty_text = "No actions match these filters."

    def __init__(self, *args, plan, as_at, **kwargs):
        self.plan = plan
        self.as_at = as_at
        data = kwargs.get("data", args[0] if args else None)
        if isinstance(data, QuerySet):
            data = data.prefetch_related(Prefetch(
                "requirements", queryset=Requirement.objects.only("pk", "ref", "position")
                .order_by("position")))
            if "data" in kwargs:
                kwargs["data"] = data
            else:
                args = (data, *args[1:])
        super().__init__(*args, **kwargs)

    def value_requirement_refs(self, record):
        return ", ".join(requirement.ref for requirement in record.requirements.all())

    def render_text(self, record):
        url = reverse("actions:action-detail", args=[self.plan.slug, record.pk])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.text)

    def value_text(self, record):
        return record.text

    def render_owner(self, record):
        return record.owner.get_full_name() or record.owner.username

    def value_owner(self, record):
        return (record.owner.get_full_name() or record.owner.username) if record.owner else ""

    def render_deadline(self, record):
        overdue = record.is_overdue(self.as_at)
        return format_html(
            '<span class="wpt-nowrap">{}</span>{}',
            record.deadline_display,
            OVERDUE_TAG if overdue else "",
        )

    def value_deadline(self, record):
        return "Ongoing" if record.deadline_ongoing else record.deadline

    def render_status(self, record):
        return record.get_status_display()

    def value_status(self, record):
        return record.get_status_display()
