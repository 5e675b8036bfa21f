"""Tables of the providers pages. Columns render with format_html (no per-cell templates, no
per-cell queries); every HTML column has a value_… for export."""

import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from providers.models import (
    PROVIDER_CHANNELS,
    RETURNING_TYPES,
    BcpState,
    EnteredVia,
    IcfAllocation,
    Provider,
    RiskRating,
)
from providers.selectors import bcp_state_filter

TAG = {
    RiskRating.RED: "govuk-tag--red",
    RiskRating.AMBER: "govuk-tag--yellow",
    RiskRating.GREEN: "govuk-tag--green",
}
BCP_TAG = {
    BcpState.NONE: "govuk-tag--grey",
    BcpState.AWAITING_REVIEW: "",
    BcpState.ADEQUATE: "govuk-tag--green",
    BcpState.NEEDS_REVISION: "govuk-tag--orange",
    BcpState.REVIEW_OVERDUE: "govuk-tag--red",
}

#: Business continuity plan states from the one needing most attention to the one needing none
#: (how the register's column sorts, as RAG sorts red first).
BCP_ORDER = (
    BcpState.NONE,
    BcpState.REVIEW_OVERDUE,
    BcpState.NEEDS_REVISION,
    BcpState.AWAITING_REVIEW,
    BcpState.ADEQUATE,
)


def rag_tag(rag: str):
    return format_html('<strong class="govuk-tag {}">{}</strong>', TAG.get(rag, ""),
                       RiskRating(rag).label)


def money(value) -> str:
    return f"£{value:,.2f}"


def nowrap(text):
    return format_html('<span class="wpt-nowrap">{}</span>', text)


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def bcp_state(provider: Provider, as_at) -> BcpState:
    plan = getattr(provider, "business_continuity_plan", None)
    return plan.state(as_at) if plan else BcpState.NONE


class ProviderLinkMixin:
    def render_name(self, record):
        url = reverse("providers:provider-detail", args=[self.council.slug, record.pk])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.name)

    def value_name(self, record):
        return record.name


class ProviderTable(ProviderLinkMixin, tables.Table):
    name = tables.Column(verbose_name="Provider")
    provider_type = tables.Column(verbose_name="Type")
    cqc_location_id = tables.Column(verbose_name="CQC location ID")
    size = tables.Column(verbose_name="Beds or people", empty_values=(), orderable=False,
                         exclude_from_export=True)
    #: Exported, not shown: the page shows them as one column.
    registered_beds = tables.Column(verbose_name="Registered beds", visible=False)
    people_supported = tables.Column(verbose_name="People supported", visible=False)
    council_run = tables.Column(verbose_name="Council-run")
    prime_provider = tables.Column(verbose_name="Prime")
    current_rag = tables.Column(verbose_name="RAG", order_by=("rag_rank", "name"))
    bcp = tables.Column(verbose_name="Business continuity plan", empty_values=())

    class Meta:
        model = Provider
        fields = ["name", "provider_type", "cqc_location_id", "registered_beds",
                  "people_supported", "council_run", "prime_provider", "current_rag"]
        sequence = ["name", "provider_type", "cqc_location_id", "size", "registered_beds",
                    "people_supported", "council_run", "prime_provider", "current_rag", "bcp"]
        attrs = {"class": "govuk-table"}
        empty_text = "No providers match these filters."

    def __init__(self, *args, council, as_at, **kwargs):
        self.council = council
        self.as_at = as_at  # the page's reporting date: reviews are overdue as at it
        self.caption = f"Providers in {council.name}'s register"
        super().__init__(*args, **kwargs)

    def render_provider_type(self, record):
        return record.get_provider_type_display()

    def value_provider_type(self, record):
        return record.provider_type

    def render_cqc_location_id(self, value):
        return nowrap(value)

    def value_cqc_location_id(self, value):
        return value

    def render_size(self, record):
        if record.is_care_home:
            beds = record.registered_beds
            return "—" if beds is None else f"{beds} bed{'s' if beds != 1 else ''}"
        people = record.people_supported
        return "—" if people is None else f"{people} {'person' if people == 1 else 'people'}"

    def render_council_run(self, value):
        return yes_no(value)

    def render_prime_provider(self, value):
        return yes_no(value)

    def render_current_rag(self, value):
        return rag_tag(value)

    def value_current_rag(self, value):
        return value

    def render_bcp(self, record):
        state = bcp_state(record, self.as_at)
        return format_html('<strong class="govuk-tag wpt-tag--phrase {}">{}</strong>',
                           BCP_TAG[state], state.label)

    def value_bcp(self, record):
        return bcp_state(record, self.as_at).label

    def order_bcp(self, queryset, is_descending):
        """By meaning (not received, review overdue, needs revision, awaiting review,
        adequate), as at the table's date, in SQL."""
        rank = Case(
            *(When(bcp_state_filter(state, self.as_at), then=Value(position))
              for position, state in enumerate(BCP_ORDER)),
            default=Value(len(BCP_ORDER)),
            output_field=IntegerField(),
        )
        order = "-bcp_rank" if is_descending else "bcp_rank"
        return queryset.annotate(bcp_rank=rank).order_by(order, "name", "pk"), True


class RiskLogTable(ProviderLinkMixin, tables.Table):
    name = tables.Column(verbose_name="Provider")
    provider_type = tables.Column(verbose_name="Type")
    current_rag = tables.Column(verbose_name="RAG", order_by=("rag_rank", "risk__since"))
    reasons = tables.Column(verbose_name="Why", accessor="risk__reasons", empty_values=(),
                            orderable=False)
    since = tables.Column(verbose_name="Since", accessor="risk__since", default="—")
    outbreak = tables.Column(verbose_name="Outbreak", accessor="risk__outbreak_since",
                             empty_values=(), orderable=False)
    day_return = tables.Column(verbose_name="Today's return", accessor="day_return_via",
                               empty_values=(), orderable=False)

    class Meta:
        model = Provider
        fields = ["name", "provider_type", "current_rag", "reasons", "since", "outbreak",
                  "day_return"]
        sequence = fields
        attrs = {"class": "govuk-table"}
        empty_text = "No provider is red, amber or in outbreak."

    def __init__(self, *args, council, day=None, **kwargs):
        self.council = council
        self.caption = "Red and amber providers and outbreaks"
        super().__init__(*args, **kwargs)
        if day is not None:
            self.columns["day_return"].column.verbose_name = f"Return of {day:%d/%m/%Y}"

    def _day_return(self, record) -> str:
        """Who entered the provider's return of the day (annotated by the selector
        `with_return_of_day`): the provider via its link, or the officer's name."""
        via = getattr(record, "day_return_via", None)
        if record.provider_type not in RETURNING_TYPES:
            return "—"
        if via is None:
            return "Not received"
        if via in PROVIDER_CHANNELS or not record.day_return_username:
            return EnteredVia(via).label
        name = f"{record.day_return_first_name} {record.day_return_last_name}".strip()
        return f"Entered by {name or record.day_return_username}"

    def render_day_return(self, record):
        text = self._day_return(record)
        if text == "Not received":
            return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', text)
        return text

    def value_day_return(self, record):
        return self._day_return(record)

    def _reasons(self, record) -> list[str]:
        risk = getattr(record, "risk", None)
        if risk is not None:
            return list(risk.reasons)
        return [f"Rated {record.get_risk_rating_display().lower()} in the provider register"]

    def render_provider_type(self, record):
        return record.get_provider_type_display()

    def value_provider_type(self, record):
        return record.provider_type

    def render_current_rag(self, value):
        return rag_tag(value)

    def value_current_rag(self, value):
        return value

    def render_reasons(self, record):
        reasons = self._reasons(record)
        return format_html(
            '<ul class="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">{}</ul>',
            format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons)),
        )

    def value_reasons(self, record):
        return "; ".join(self._reasons(record))

    def render_since(self, value):
        return nowrap(value.strftime("%d/%m/%Y"))

    def value_since(self, value):
        return value

    def render_outbreak(self, record):
        risk = getattr(record, "risk", None)
        if risk is None or not risk.outbreak:
            return "No"
        return format_html('<strong class="govuk-tag govuk-tag--red">Outbreak</strong> since {}',
                           risk.outbreak_since.strftime("%d/%m/%Y"))

    def value_outbreak(self, record):
        risk = getattr(record, "risk", None)
        return risk.outbreak_since if risk is not None and risk.outbreak else ""


class AllocationTable(tables.Table):
    share = tables.Column(verbose_name="Share", accessor="share__name")
    provider = tables.Column(verbose_name="Recipient", empty_values=(),
                             order_by=("provider__name",))
    provider_type = tables.Column(verbose_name="Type", accessor="provider__provider_type",
                                  default="—")
    units = tables.Column(verbose_name="Beds or people")
    amount = tables.Column(verbose_name="Amount")
    paid_on = tables.Column(verbose_name="Paid", default="Not yet")
    payment_reference = tables.Column(verbose_name="Reference", default="—")

    class Meta:
        model = IcfAllocation
        fields = ["share", "provider", "provider_type", "units", "amount", "paid_on",
                  "payment_reference"]
        sequence = fields
        attrs = {"class": "govuk-table"}
        empty_text = "No schedule yet: calculate the allocations."
        orderable = False

    def __init__(self, *args, council, tranche, **kwargs):
        self.council = council
        self.caption = f"Allocation schedule: {tranche}"
        super().__init__(*args, **kwargs)

    def render_provider(self, record):
        if record.provider is None:
            return record.get_kind_display()
        url = reverse("providers:provider-detail", args=[self.council.slug, record.provider_id])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.provider.name)

    def value_provider(self, record):
        return record.provider.name if record.provider else record.get_kind_display()

    def render_provider_type(self, record):
        return record.provider.get_provider_type_display()

    def value_provider_type(self, record):
        return record.provider.provider_type if record.provider else ""

    def render_units(self, record):
        return record.units if record.provider else "—"

    def render_amount(self, value):
        return nowrap(money(value))

    def value_amount(self, value):
        return value

    def render_paid_on(self, value):
        return nowrap(value.strftime("%d/%m/%Y"))

    def value_paid_on(self, value):
        return value or ""
