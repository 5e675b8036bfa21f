"""The roll-up table: one row per council. Columns render with format_html from the row's
figures (no per-row query); every HTML column has a value_… for export.

The HTML body of the roll-up is built by `RollupTable.body_rows` in one pass over the rows:
the same cells as django-tables2's, without its per-cell machinery, which took most of the
page's time for England's 152 councils (2,736 cells). Sorting, the header and the exports
stay django-tables2's."""

import html
from decimal import Decimal

import django_tables2 as tables
from django.conf import settings
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from actions.oversight.selectors import NO_LETTER, sent_by_deadline
from reports.models import DhscLetter

LETTER_LABELS = {NO_LETTER: "None", **dict(DhscLetter.State.choices)}
NO_PLAN = "No plan started"
PENNY = Decimal("0.01")


def _percent(value) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _money(value) -> str:
    return f"£{value:,.2f}"


class NumberColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "govuk-table__cell--numeric"},
                                    "th": {"class": "govuk-table__header--numeric"}})
        super().__init__(*args, **kwargs)


class RollupTable(tables.Table):
    name = tables.Column(verbose_name="Council")
    gss_code = tables.Column(verbose_name="ONS code")
    region = tables.Column(accessor="region__name", verbose_name="Region",
                           order_by=("region__name", "name"))
    plans = tables.Column(empty_values=(), orderable=False, verbose_name="Plan")
    percent_complete = NumberColumn(verbose_name="Actions complete", empty_values=())
    actions_open = NumberColumn(verbose_name="Open")
    actions_overdue = NumberColumn(verbose_name="Overdue")
    areas_without_action = NumberColumn(verbose_name="Key areas without an action")
    requirements_not_met = NumberColumn(verbose_name="Requirements not met")
    requirements_partly_met = NumberColumn(verbose_name="Partly met")
    letter_state = tables.Column(verbose_name="DHSC letter")
    letter_sent_on = tables.DateColumn(verbose_name="Sent", format="d/m/Y", default="—")
    sent_by_deadline = tables.Column(verbose_name="By the deadline", empty_values=(),
                                     orderable=False)
    providers_red = NumberColumn(verbose_name="Providers red")
    providers_amber = NumberColumn(verbose_name="Amber")
    bcp_reviewed_percent = NumberColumn(verbose_name="Continuity plans reviewed",
                                        empty_values=())
    icf_allocated = NumberColumn(verbose_name="Infection Control Fund allocated")
    icf_paid = NumberColumn(verbose_name="Paid")

    class Meta:
        attrs = {"class": "govuk-table"}
        order_by = ("region", "name")
        empty_text = "No council matches these filters."
        template_name = "oversight/partials/_rollup_table.html"

    def __init__(self, *args, national_plan, **kwargs):
        self.national_plan = national_plan
        super().__init__(*args, **kwargs)

    def cells(self, record) -> list:
        """The values of `record`'s cells in column order, as the columns render them (None
        where the table's default shows)."""
        sent_on = record.letter_sent_on
        return [
            self.render_name(record), record.gss_code,
            record.region.name if record.region else None, self.render_plans(record),
            self.render_percent_complete(record), record.actions_open, record.actions_overdue,
            record.areas_without_action, record.requirements_not_met,
            record.requirements_partly_met, self.render_letter_state(record.letter_state),
            date_format(sent_on, "d/m/Y") if sent_on else None,
            self.render_sent_by_deadline(record), record.providers_red, record.providers_amber,
            self.render_bcp_reviewed_percent(record),
            self.render_icf_allocated(record.icf_allocated), self.render_icf_paid(record.icf_paid),
        ]

    def body_rows(self) -> list[str]:
        """Every shown row's cells as one safe string of <td> elements, in the table's order:
        each value escaped, a number as the template shows it (no thousands separator)."""
        return [mark_safe("".join(  # noqa: S308 (every cell is escaped here)
            f'<td class="govuk-table__cell">{self._cell_text(value)}</td>'
            for value in self.cells(row.record)))
            for row in self.paginated_rows]

    def _cell_text(self, value) -> str:
        """A cell's HTML, as the template shows `{{ cell }}`: what django.utils.html's
        conditional_escape does, without its lazy-string wrapper (2,700 calls a page)."""
        if value is None or value == "":
            value = self.default
        if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
            return str(value)
        if hasattr(value, "__html__"):
            return value.__html__()
        return html.escape(str(localize(value)))

    def dashboard_url(self, slug: str) -> str:
        """A plan's dashboard, reversed once per plan per page (the name and plan columns
        both link to it)."""
        urls = self.__dict__.setdefault("_dashboard_urls", {})
        if slug not in urls:
            urls[slug] = reverse("actions:dashboard", args=[slug])
        return urls[slug]

    def render_name(self, record):
        if not record.newest_plan_slug:
            return record.name
        url = self.dashboard_url(record.newest_plan_slug)
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.name)

    def value_name(self, record):
        return record.name

    def render_plans(self, record):
        if not record.rollup_plans:
            return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', NO_PLAN)
        return format_html_join(
            mark_safe("<br>"), '<a class="govuk-link" href="{}">{}</a>',  # noqa: S308
            ((self.dashboard_url(plan.slug), plan.title) for plan in record.rollup_plans),
        )

    def value_plans(self, record):
        return "; ".join(plan.title for plan in record.rollup_plans) or NO_PLAN

    def render_percent_complete(self, record):
        return _percent(record.percent_complete)

    def value_percent_complete(self, record):
        value = record.percent_complete
        return "" if value is None else round(value, 1)

    def render_letter_state(self, value):
        return LETTER_LABELS.get(value, value)

    def value_letter_state(self, value):
        return LETTER_LABELS.get(value, value)

    def render_sent_by_deadline(self, record):
        sent = sent_by_deadline(record, self.national_plan)
        return "—" if sent is None else ("Yes" if sent else "No")

    def value_sent_by_deadline(self, record):
        return self.render_sent_by_deadline(record)

    def render_bcp_reviewed_percent(self, record):
        return _percent(record.bcp_reviewed_percent)

    def value_bcp_reviewed_percent(self, record):
        value = record.bcp_reviewed_percent
        return "" if value is None else round(value, 1)

    def render_icf_allocated(self, value):
        return _money(value)

    def render_icf_paid(self, value):
        return _money(value)

    def value_icf_allocated(self, value):
        return Decimal(value).quantize(PENNY)

    def value_icf_paid(self, value):
        return Decimal(value).quantize(PENNY)


class LetterTable(tables.Table):
    council = tables.Column(accessor="local_plan__council__name", verbose_name="Council",
                            order_by=("local_plan__council__name",))
    region = tables.Column(accessor="local_plan__council__region__name", verbose_name="Region",
                           order_by=("local_plan__council__region__name",
                                     "local_plan__council__name"))
    state = tables.Column(verbose_name="State")
    approved_at = tables.DateTimeColumn(verbose_name="Approved on", format="d/m/Y",
                                        default="—")
    sent_on = tables.DateColumn(verbose_name="Sent on", format="d/m/Y", default="—")
    key_issues = tables.Column(verbose_name="Key issues", orderable=False, empty_values=())
    pdf = tables.Column(verbose_name="Letter", orderable=False, empty_values=(),
                        exclude_from_export=True)

    class Meta:
        attrs = {"class": "govuk-table"}
        order_by = ("region",)
        empty_text = "No letter matches these filters."

    def render_council(self, record):
        url = reverse("actions:dashboard", args=[record.local_plan.slug])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url,
                           record.local_plan.council.name)

    def value_council(self, record):
        return record.local_plan.council.name

    def render_state(self, record):
        return record.get_state_display()

    def value_state(self, record):
        return record.get_state_display()

    def render_key_issues(self, record):
        issues = record.key_issue_list
        if not issues:
            return "None"
        return format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', format_html_join(
            "", "<li>{}</li>", ((issue,) for issue in issues)))

    def value_key_issues(self, record):
        return "\n".join(record.key_issue_list)

    def render_pdf(self, record):
        if record.state == DhscLetter.State.DRAFT:
            return "Not approved"
        url = reverse("reports:dhsc-letter-pdf", args=[record.local_plan.slug])
        return format_html('<a class="govuk-link" href="{}">Approved PDF<span '
                           'class="govuk-visually-hidden"> of {}</span></a>', url,
                           record.local_plan.council.name)
