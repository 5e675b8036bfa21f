"""Template tags of the actions pages."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from actions.tables import status_tag as _status_tag
from actions.tables import url_breakable as _url_breakable

register = template.Library()


@register.simple_tag
def status_tag(status: str):
    """An action's status as the same GOV.UK tag the actions table shows."""
    return _status_tag(status)


@register.filter
def url_breakable(text: str):
    """Text with its web addresses allowed to wrap anywhere, as in the actions table."""
    return _url_breakable(text)


@register.filter
def slash_breakable(text: str):
    """Text that may wrap after a slash ("Quality Assurance/Finance/Audit"), never inside a
    word: escaped, with a <wbr> after each "/"."""
    return mark_safe(escape(text).replace("/", "/<wbr>"))  # noqa: S308 (escaped first)
