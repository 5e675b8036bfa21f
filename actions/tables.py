"""The actions table. Columns render with format_html (no per-cell templates: no per-cell
queries); every HTML column has a value_… for export."""

import re

import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from actions.models import ActionStatus, LocalAction

OVERDUE_TAG = mark_safe(' <strong class="govuk-tag govuk-tag--red">Overdue</strong>')  # noqa: S308

#: Statuses in the order of their meaning, from nothing done to done (how they sort).
STATUS_ORDER = (
    ActionStatus.NOT_STARTED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.AT_RISK,
    ActionStatus.ONGOING,
    ActionStatus.COMPLETE,
)
#: Each status's GOV.UK tag colour (the text is always there: colour is not the only signal).
STATUS_TAG = {
    ActionStatus.NOT_STARTED: "govuk-tag--grey",
    ActionStatus.IN_PROGRESS: "",  # GOV.UK's default tag colour, blue
    ActionStatus.AT_RISK: "govuk-tag--orange",
    ActionStatus.ONGOING: "govuk-tag--purple",
    ActionStatus.COMPLETE: "govuk-tag--green",
}
STATUS_RANK = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
    default=Value(len(STATUS_ORDER)),
    output_field=IntegerField(),
)


#: A web address in running text: the one kind of "word" a table cell may break inside.
URL = re.compile(r"((?:https?://|www\.)\S+)")


def url_breakable(text: str):
    """Text escaped, with each web address in a span that may wrap anywhere (`.wpt-url`)."""
    parts = URL.split(text)
    return format_html_join(
        "", "{}", ((format_html('<span class="wpt-url">{}</span>', part) if index % 2 else part,)
                   for index, part in enumerate(parts))
    )


def status_tag(status: str):
    """A status as a GOV.UK tag: its label, coloured by its meaning."""
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATUS_TAG.get(status, ""),
                       ActionStatus(status).label)


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
    #: Exports only: the refs of the requirements the action answers (read in as_values).
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
        super().__init__(*args, **kwargs)

    def as_values(self, exclude_columns=None):
        """The export's rows; the requirement refs of all of them read in one query."""
        pks = [record.pk for record in self.data]
        through = LocalAction.requirements.through.objects.filter(localaction_id__in=pks)
        self.refs: dict[int, list[str]] = {}
        for action_id, ref in through.order_by("requirement__position").values_list(
                "localaction_id", "requirement__ref"):
            self.refs.setdefault(action_id, []).append(ref)
        return super().as_values(exclude_columns)

    def value_requirement_refs(self, record):
        return ", ".join(self.refs.get(record.pk, []))

    def render_text(self, record):
        url = reverse("actions:action-detail", args=[self.plan.slug, record.pk])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url,
                           url_breakable(record.text))

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
        return status_tag(record.status)

    def order_status(self, queryset, is_descending):
        """By meaning (not started, in progress, at risk, ongoing, complete), in SQL."""
        rank = "-status_rank" if is_descending else "status_rank"
        return queryset.annotate(status_rank=STATUS_RANK).order_by(rank, "deadline", "pk"), True

    def value_status(self, record):
        return record.get_status_display()
