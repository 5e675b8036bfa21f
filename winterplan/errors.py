"""Error pages that say what happened and leak nothing, in the site's layout.

404, 403 and the CSRF refusal render with the request (the header shows who is signed in);
400, 500 and 503 render without it, so no context processor touches the database or the
request that may be what failed.
"""

import sys

from django.db import OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

#: Seconds a client is asked to wait before trying again when the database is busy.
BUSY_RETRY_AFTER_SECONDS = 5


def _standalone(template_name: str, status: int) -> HttpResponse:
    return HttpResponse(loader.get_template(template_name).render(), status=status)


def is_database_busy(error: BaseException | None) -> bool:
    """Whether the error (or what caused it) is the database saying it is locked or busy."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OperationalError):
            text = str(error).lower()
            if "locked" in text or "busy" in text:
                return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _busy() -> HttpResponse:
    response = _standalone("errors/503.html", 503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception=None):
    """400, or 503 when the session could not be saved because the database was busy."""
    if is_database_busy(exception):
        return _busy()
    return _standalone("errors/400.html", 400)


def permission_denied(request, exception=None):
    from winterplan.audit import PERMISSION_DENIED, audit_event

    audit_event(PERMISSION_DENIED, request=request, method=request.method)
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without its valid security token: usually a page left open too long."""
    return render(request, "errors/403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """500, or 503 "busy, try again" when the database stayed locked past its busy timeout."""
    if is_database_busy(sys.exc_info()[1]):
        return _busy()
    return _standalone("errors/500.html", 500)
