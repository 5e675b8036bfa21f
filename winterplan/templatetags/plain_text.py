"""Plain text as the documents print it: lines starting “- ” are sub-bullets of the text above.

    {% load plain_text %}
    {{ action.text|bulleted }}          the whole text, sub-bullets as a nested list
    {{ action.text|lead_text }}         the text before the first sub-bullet (e.g. a link's words)
    {{ action.text|after_lead|bulleted }}  the rest

Every part is escaped and URLs become links, as Django's `urlize` does.
"""

from functools import lru_cache

from django import template
from django.template.defaultfilters import urlize
from django.utils.html import format_html, format_html_join

register = template.Library()

BULLET = "- "


def text_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(text, sub-bullets) runs: each run's text is the lines before its bullets; a line that
    does not start “- ” after bullets starts the next run."""
    runs: list[tuple[list[str], list[str]]] = [([], [])]
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(BULLET) or line == "-":
            runs[-1][1].append(line[2:].strip())
        else:
            if runs[-1][1]:
                runs.append(([], []))
            runs[-1][0].append(line)
    return [(" ".join(lines), bullets) for lines, bullets in runs if lines or bullets]


def _inline(text: str, autoescape: bool) -> str:
    """Escaped (whatever the template's setting, since the result is safe), URLs linked."""
    if len(text) > _MEMO_MAX_LENGTH:
        return urlize(text, autoescape=True)
    return _urlized(text)


#: Texts up to this length are linked once per process (`_urlized`): most of a page's time
#: went on Django's `urlize` (a third of Appendix two's page). A pure function of the text,
#: so nothing it remembers can go stale; at most 8,192 texts of 2,000 characters.
_MEMO_MAX_LENGTH = 2000


@lru_cache(maxsize=8192)
def _urlized(text: str) -> str:
    return urlize(text, autoescape=True)


@register.filter(needs_autoescape=True)
def bulleted(text, autoescape=True):
    """The text with its sub-bullets as a nested bulleted list (later runs as paragraphs)."""
    parts = []
    for index, (lead, bullets) in enumerate(text_blocks(str(text or ""))):
        if lead:
            inline = _inline(lead, autoescape)
            parts.append(inline if index == 0 else format_html('<span class="doc-run">{}</span>',
                                                               inline))
        if bullets:
            items = format_html_join("", "<li>{}</li>",
                                     ((_inline(item, autoescape),) for item in bullets))
            parts.append(format_html(
                '<ul class="govuk-list govuk-list--bullet doc-list doc-list--sub">{}</ul>', items))
    return format_html_join("", "{}", ((part,) for part in parts))


@register.filter
def lead_text(text) -> str:
    """The text before its first sub-bullet, on one line."""
    blocks = text_blocks(str(text or ""))
    return blocks[0][0] if blocks else ""


@register.filter
def after_lead(text) -> str:
    """The text after its lead: its sub-bullets and what follows them (plain text again)."""
    blocks = text_blocks(str(text or ""))
    if not blocks:
        return ""
    lines = [f"{BULLET}{item}" for item in blocks[0][1]]
    for lead, bullets in blocks[1:]:
        lines += [lead] if lead else []
        lines += [f"{BULLET}{item}" for item in bullets]
    return "\n".join(lines)


class Nested:
    """An item with the indented items that follow it."""

    def __init__(self, item):
        self.item = item
        self.children: list = []


@register.filter
def nest_indented(items) -> list[Nested]:
    """Items whose `indent` is set become children of the item before them."""
    nested: list[Nested] = []
    for item in items or []:
        if getattr(item, "indent", 0) and nested:
            nested[-1].children.append(item)
        else:
            nested.append(Nested(item))
    return nested
