"""Readable change history: who changed what and when, with word-level differences."""

import difflib
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actions.models import LocalAction

SHOWN_FIELDS = {
    "text": "Action",
    "team": "Responsible team",
    "owner": "Owner",
    "deadline": "Deadline",
    "deadline_ongoing": "Ongoing",
    "status": "Status",
}


@dataclass
class Change:
    label: str
    old: str
    new: str
    diff: SafeString | None = None


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    changes: list[Change] = field(default_factory=list)


# Removed and added text is told apart without colour (WCAG 1.4.1): struck through or
# underlined and bold (static/css/app.css, .wpt-diff), and announced as "removed:"/"added:".
REMOVED = '<del><span class="govuk-visually-hidden">removed: </span>{}</del>'
ADDED = '<ins><span class="govuk-visually-hidden">added: </span>{}</ins>'


def word_diff(old: str, new: str) -> SafeString:
    """The new text with removed words in <del> and added words in <ins>, all escaped."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(REMOVED.format(escape(" ".join(old_words[a1:a2]))))
        if op in ("insert", "replace"):
            parts.append(ADDED.format(escape(" ".join(new_words[b1:b2]))))
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece is escaped above


def value_change(old: str, new: str) -> SafeString:
    """A whole value replaced: the old one removed, then the new one added, both escaped."""
    arrow = '<span aria-hidden="true">→</span>'
    return mark_safe(  # noqa: S308 - both values are escaped
        f"{REMOVED.format(escape(old))} {arrow} {ADDED.format(escape(new))}"
    )


def _value(record, name: str, names: dict) -> str:
    if name in ("team", "owner"):
        key = getattr(record, f"{name}_id")
        return names.get((name, key), "—") if key else "—"
    value = getattr(record, name)
    if name == "status":
        return record.instance.get_status_display()
    if name == "deadline":
        return value.strftime("%d/%m/%Y") if value else "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "System (sample data or import)"
    return user.get_full_name() or user.username


def action_history(action: LocalAction) -> list[HistoryEntry]:
    """The action's history, newest first (three queries whatever its length)."""
    from winterplan.models import Team, User

    records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    team_ids = {r.team_id for r in records if r.team_id}
    owner_ids = {r.owner_id for r in records if r.owner_id}
    names = {("team", t.pk): t.name for t in Team.objects.filter(pk__in=team_ids)}
    names |= {
        ("owner", u.pk): u.get_full_name() or u.username for u in User.objects.filter(
            pk__in=owner_ids)
    }
    entries = []
    previous = None
    for record in records:
        kind = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        changes = []
        for name, label in SHOWN_FIELDS.items():
            new = _value(record, name, names)
            old = _value(previous, name, names) if previous is not None else None
            if previous is None or old != new:
                if old is None:
                    diff = None
                elif name == "text":
                    diff = word_diff(old, new)
                else:
                    diff = value_change(old, new)
                changes.append(Change(label, old or "", new, diff))
        if previous is None or changes or kind != "Changed":
            entries.append(HistoryEntry(record.history_date, _who(record), kind, changes))
        previous = record
    return list(reversed(entries))
