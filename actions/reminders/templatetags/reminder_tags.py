"""The reminders shown on an action's history page (one query)."""

from django import template

from actions.reminders.selectors import action_reminders as select_action_reminders

register = template.Library()


@register.inclusion_tag("actions/reminders/_action_reminders.html")
def action_reminders(action):
    """The e-mails sent (or tried) about this action."""
    return {"reminders": list(select_action_reminders(action))}
