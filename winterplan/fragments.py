"""Page fragments from the shared cache: the expensive, user-independent part of a page,
found by its council's data version instead of being built again.

A page marks that part with `{% cachedfragment %}…{% endcachedfragment %}` (template tag
library `fragments`; a named one, `{% cachedfragment "title" %}`, for a small second part
such as a title that shows data) and its view uses `CachedFragmentMixin`. A GET first reads the data
version parts the page shows (one query) and the fragment's cache entry (one query): when the
entry was built at the same versions, the page is rendered around it with only the view's
cheap shell context (the layout: header, navigation, messages, the signed-in user); else the
view runs as before and the fragment it renders is stored.

What keys an entry (winterplan.fragments.lookup): the code and templates, the page and its
path, the council, the viewer's role (an editor's fragment has edit links and forms, a
reader's none), today's date, the page's reporting date and whatever else the view names
(`fragment_vary`), and the whole query string, sorted (filters, sort, page). The entry holds
the versions it was built at, so a save overwrites the entry instead of adding keys. Nothing
user-specific goes inside a fragment: names, messages and per-user lists stay outside, and a
`{% csrf_token %}` inside is rendered as a placeholder that every response fills with its own
viewer's token. Only a 200 is stored; exports (`?_export=`) and POSTs are never cached.

The cache is settings.CACHES (the database, or Redis): shared by every process, never one
process's memory. This module imports no domain app.
"""

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone

from winterplan import permissions, versions

#: How long an entry lives unused (its key holds today's date, so it is dead by tomorrow).
FRAGMENT_CACHE_SECONDS = 6 * 60 * 60
#: What `{% csrf_token %}` renders inside a fragment being built (never a real token: tokens
#: are letters and digits only). Replaced as the whole input element, which escaped user text
#: can never contain.
CSRF_PLACEHOLDER = "csrf-token-of-the-viewer"
CSRF_PLACEHOLDER_INPUT = (
    f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'
)
#: The response header that says whether the fragment came from the cache (hit or miss).
HEADER = "X-Fragment-Cache"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the project's templates and Python modules (once per process: a deploy
    restarts it), so a changed template or selector never serves an old fragment."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(directory) for config in settings.TEMPLATES for directory in config["DIRS"]]
    roots += [Path(config.path) for config in apps.get_app_configs()
              if Path(config.path).resolve().is_relative_to(base)]
    for root in sorted(set(roots)):
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".html", ".txt")):
                    path = Path(folder) / name
                    digest.update(str(path.relative_to(root)).encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class FragmentSlot:
    """One page's fragment: the cached HTML of each named part (None: build them), what the
    build rendered, and where to store it. A page has its main part ("body") and may have
    small others (its title, when that shows data)."""

    key: str
    versions: tuple[int, ...]
    parts: dict[str, str] | None = None
    captured: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def hit(self) -> bool:
        return self.parts is not None

    def store(self) -> None:
        """Keep what the page rendered under its key, with the versions read before the data
        (so an entry is never older than the versions it names)."""
        if self.captured:
            cache.set(self.key, (self.versions, dict(self.captured)), FRAGMENT_CACHE_SECONDS)


def lookup(request, *, page: str, council_id: int, parts, vary: dict | None = None
           ) -> FragmentSlot:
    """The page's fragment slot: its key, the current versions of `parts` and, when the
    cache holds an entry built at those versions, its HTML. Two queries (versions, cache)."""
    current = versions.current_many([council_id], parts)[council_id]
    payload = {
        "code": code_fingerprint(),
        "page": page,
        "path": request.path,
        "council": council_id,
        "parts": list(parts),
        "role": permissions.role_of(request.user),
        "today": timezone.localdate().isoformat(),
        "vary": vary or {},
        "query": sorted((name, request.GET.getlist(name)) for name in request.GET),
    }
    digest = hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()
    slot = FragmentSlot(key=f"page-fragment:{digest}", versions=tuple(current))
    entry = cache.get(slot.key)
    if (isinstance(entry, tuple) and len(entry) == 2 and tuple(entry[0]) == slot.versions
            and isinstance(entry[1], dict)):
        slot.parts = entry[1]
    return slot


def fill_csrf(html: str, context) -> str:
    """The fragment with the viewer's own CSRF token in every form."""
    if CSRF_PLACEHOLDER_INPUT not in html:
        return html
    return html.replace(CSRF_PLACEHOLDER_INPUT, str(CsrfTokenNode().render(context)))


class CachedFragmentMixin:
    """A page whose `{% cachedfragment %}` part comes from the shared cache (see the module).

    It goes after the mixin that finds the plan or council and checks the role (PlanMixin,
    CouncilMixin): its dispatch runs once the request may see the page. A view names the page
    (`fragment_page`), the version parts it shows (`fragment_parts`) and the council
    (`fragment_council_id()`), adds whatever else changes the fragment (`fragment_vary()`)
    and gives the context the template needs outside the fragment
    (`fragment_shell_context()`) for a hit."""

    fragment_page = ""
    fragment_parts: tuple[str, ...] = versions.BOTH

    def fragment_council_id(self) -> int:
        return self.council.pk

    def fragment_vary(self) -> dict:
        return {}

    def fragment_shell_context(self) -> dict:
        """What the template shows outside the fragment (cheap, per request)."""
        return {"view": self}

    def fragment_cacheable(self) -> bool:
        return (bool(self.fragment_page) and self.request.method in ("GET", "HEAD")
                and "_export" not in self.request.GET)

    def dispatch(self, request, *args, **kwargs):
        if not self.fragment_cacheable():
            return super().dispatch(request, *args, **kwargs)
        slot = lookup(request, page=self.fragment_page, council_id=self.fragment_council_id(),
                      parts=self.fragment_parts, vary=self.fragment_vary())
        request.page_fragment = slot
        if slot.hit:
            response = render(request, self.template_name, self.fragment_shell_context())
            response[HEADER] = "hit"
            return response
        response = super().dispatch(request, *args, **kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response.render()
        if response.status_code == 200:
            slot.store()
        response[HEADER] = "miss"
        return response
