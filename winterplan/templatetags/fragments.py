"""`{% cachedfragment %}…{% endcachedfragment %}`: the part of a page that its view keeps in
the shared cache (winterplan.fragments). Without a fragment slot on the request (a POST that
shows its form again, a view without the mixin) it renders as if the tag were not there."""

from django import template
from django.utils.safestring import mark_safe

from winterplan import fragments

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        slot = getattr(context.get("request"), "page_fragment", None)
        if slot is None:
            return self.nodelist.render(context)
        if slot.parts is not None and self.name in slot.parts:
            html = slot.parts[self.name]
        else:
            with context.push(csrf_token=fragments.CSRF_PLACEHOLDER):
                html = self.nodelist.render(context)
            slot.captured[self.name] = html
        return mark_safe(fragments.fill_csrf(html, context))  # noqa: S308 (rendered HTML)


@register.tag
def cachedfragment(parser, token):
    """`{% cachedfragment %}` (the page's main part) or `{% cachedfragment "title" %}`."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("cachedfragment takes at most a quoted part name")
    name = bits[1].strip("\"'") if len(bits) == 2 else "body"
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, name)
