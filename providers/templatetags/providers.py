"""Template filters of the providers pages and documents."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """£1,234.50 (an empty value shows as —)."""
    if value is None or value == "":
        return "—"
    return f"£{Decimal(value):,.2f}"


@register.filter
def percent(value) -> str:
    """12.5% from Decimal('12.500')."""
    return f"{Decimal(value).normalize():f}%"

