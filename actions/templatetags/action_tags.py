"""Template tags of the actions pages."""

from django import template

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
