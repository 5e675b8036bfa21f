"""Request handling the whole site shares: the client's address behind a proxy, session renewal
without a write per request, and the Permissions-Policy header."""

import ipaddress
import time

from django.conf import settings

#: Session key holding when the session was last renewed (seconds since the epoch).
SESSION_RENEWED_KEY = "_wpt_renewed"


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost trusted proxy appended to X-Forwarded-For (anything a client typed before it is
    ignored)."""
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class SessionRefreshMiddleware:
    """Renew a signed-in session (its expiry and cookie) at most every SESSION_REFRESH_SECONDS,
    so inactivity still ends it after SESSION_COOKIE_AGE while most requests write nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or session.is_empty():
            return response
        if session.modified:  # written anyway: stamp it so the next refresh waits
            session[SESSION_RENEWED_KEY] = int(time.time())
            return response
        now = int(time.time())
        renewed = session.get(SESSION_RENEWED_KEY, 0)
        if now - renewed >= settings.SESSION_REFRESH_SECONDS:
            session[SESSION_RENEWED_KEY] = now
        return response


class PermissionsPolicyMiddleware:
    """Send PERMISSIONS_POLICY on every response: the browser features no page uses are off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
