"""Links to stored web addresses: only http and https ever become a link.

    {% load web_links %}
    {% if link.url|is_web_url %}<a href="{{ link.url }}">…</a>{% else %}…{% endif %}

The validators keep other schemes out of forms and imports; a row written past them (a shell,
an old database) still never becomes a `javascript:` or `file:` link on a page or in a PDF.
"""

from django import template

register = template.Library()


@register.filter
def is_web_url(url) -> bool:
    """True for an http:// or https:// address."""
    return str(url or "").strip().lower().startswith(("http://", "https://"))
