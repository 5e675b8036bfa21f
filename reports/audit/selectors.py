"""Reads of the audit trail. The queries are a fixed number per page (or per CSV chunk),
whatever the number of rows: one union of every audited history table for the count, one for
the page, then per model on the page one query for its rows (with who, the joined title and
link values and the previous version's id) and one for those previous versions, and one per
kind of related object named in a change."""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery, Value
from django.urls import NoReverseMatch
from django.utils import timezone

from reports.audit.registry import AUDITED, BY_LABEL, Audited
from winterplan.exports import site_date
from winterplan.history import SYSTEM_USERNAME, day_start

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
#: Bookkeeping fields a change to anything else also changes: never listed.
UNLISTED = {"version", "updated_at", "created_at"}
#: Preferred field to name a related object by (first present).
NAMING_FIELDS = ("name", "title", "ref", "heading", "slug")
WEB = "Web"
COMMAND_LINE = "Command line"
NOT_RECORDED = "Not recorded"


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: datetime.datetime
    who: str
    action: str
    kind: str
    title: str
    url: str | None
    channel: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def date_bounds(start: datetime.date, end: datetime.date) -> tuple:
    """From the first moment of `start` to before the first moment after `end` (UK time)."""
    return day_start(start), day_start(end + datetime.timedelta(days=1))


def audit_events(*, council, start: datetime.date, end: datetime.date):
    """Every history row of the council's audited data from `start` to `end` (both whole
    days), newest first, as (history_id, history_date, audited_model) values: one union query."""
    since, until = date_bounds(start, end)
    parts = [
        entry.model.history.model.objects.filter(
            **{entry.council: council}, history_date__gte=since, history_date__lt=until
        ).order_by().annotate(
            audited_model=Value(entry.model._meta.label_lower, output_field=CharField())
        ).values("history_id", "history_date", "audited_model")
        for entry in AUDITED
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id",
                                                         "audited_model")


def _rows(entry: Audited, ids: list[int]) -> list:
    historical = entry.model.history.model
    previous = historical.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    ).order_by("-history_date", "-history_id").values("history_id")[:1]
    return list(
        historical.objects.filter(history_id__in=ids)
        .select_related("history_user")
        .annotate(**{name: F(path) for name, path in entry.values.items()},
                  v_previous=Subquery(previous),
                  v_exists=Exists(entry.model._default_manager.filter(pk=OuterRef("id"))))
    )


def _listed_fields(historical) -> list[models.Field]:
    return [f for f in historical.tracked_fields
            if f.editable and not f.primary_key and f.name not in UNLISTED]


class _Names:
    """Related objects' names, fetched once per related model for the whole page."""

    def __init__(self):
        self.wanted: dict[type, set] = defaultdict(set)
        self.names: dict[type, dict] = {}

    def want(self, model, value):
        if value is not None:
            self.wanted[model].add(value)

    def fetch(self):
        user_model = get_user_model()
        for model, ids in self.wanted.items():
            if model is user_model:
                self.names[model] = {
                    pk: (f"{first} {last}".strip() or username)
                    for pk, first, last, username in model._default_manager.filter(
                        pk__in=ids).values_list("pk", "first_name", "last_name", "username")
                }
                continue
            names = {f.name for f in model._meta.concrete_fields}
            naming = next((name for name in NAMING_FIELDS if name in names), "pk")
            self.names[model] = dict(
                model._default_manager.filter(pk__in=ids).values_list("pk", naming))

    def name(self, model, value) -> str:
        if value is None:
            return ""
        return str(self.names.get(model, {}).get(value, f"#{value} (deleted)"))


def _plain(field_, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return site_date(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _who(row) -> str:
    user = row.history_user
    if user is None:
        return "Unknown"
    return user.get_full_name() or user.username


def _channel(row) -> str:
    """Command line (manage.py, or the system user), web (a person), or not recorded."""
    reason = row.history_change_reason or ""
    user = row.history_user
    if reason.startswith("manage.py") or (user is not None and
                                          user.username == SYSTEM_USERNAME):
        return COMMAND_LINE
    return WEB if user is not None else NOT_RECORDED


def audit_entries(events) -> list[AuditEntry]:
    """The page's events as entries, in the events' order."""
    events = list(events)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for event in events:
        by_kind[event["audited_model"]].append(event["history_id"])
    rows, previous = {}, {}
    names = _Names()
    for kind, ids in by_kind.items():
        entry = BY_LABEL[kind]
        historical = entry.model.history.model
        found = _rows(entry, ids)
        prior = historical.objects.in_bulk(
            [row.v_previous for row in found if row.v_previous is not None])
        for row in found:
            rows[kind, row.history_id] = row
            previous[kind, row.history_id] = prior.get(row.v_previous)
        fks = [f for f in _listed_fields(historical) if f.is_relation]
        for row in [*found, *prior.values()]:
            for fk in fks:
                names.want(fk.related_model, getattr(row, fk.attname))
    names.fetch()
    entries = []
    for event in events:
        row = rows.get((event["audited_model"], event["history_id"]))
        if row is None:
            continue
        entries.append(_entry(BY_LABEL[event["audited_model"]], row,
                              previous[event["audited_model"], event["history_id"]], names))
    return entries


def _entry(entry: Audited, row, prior, names: _Names) -> AuditEntry:
    changes = []
    if row.history_type != "-":
        for field_ in _listed_fields(type(row)):
            new = getattr(row, field_.attname)
            old = getattr(prior, field_.attname) if prior is not None else None
            if prior is not None and old == new:
                continue
            if field_.is_relation:
                old_text = names.name(field_.related_model, old)
                new_text = names.name(field_.related_model, new)
            else:
                old_text, new_text = _plain(field_, old), _plain(field_, new)
            if old_text == new_text:
                continue
            label = str(field_.verbose_name)
            changes.append(FieldChange(label[:1].upper() + label[1:], old_text, new_text))
    try:
        url = entry.link(row) if row.v_exists else None
    except NoReverseMatch:  # a parent gone: the entry stays, without a link
        url = None
    return AuditEntry(
        when=timezone.localtime(row.history_date), who=_who(row),
        action=ACTIONS.get(row.history_type, row.history_type), kind=entry.label,
        title=entry.title(row), url=url, channel=_channel(row),
        reason=row.history_change_reason or "", changes=changes,
    )


#: Rows read per query while a CSV streams.
CSV_CHUNK = 500


def audit_csv_rows(events, chunk: int = CSV_CHUNK):
    """The entries of `events` (a queryset from audit_events), read `chunk` at a time so a
    CSV of any length streams in flat memory."""
    offset = 0
    while True:
        page = list(events[offset:offset + chunk])
        if not page:
            return
        yield from audit_entries(page)
        if len(page) < chunk:
            return
        offset += chunk
