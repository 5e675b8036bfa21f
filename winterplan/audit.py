"""Structured audit log: one JSON line per event on the `winterplan.audit` logger.

Events: sign-ins, failed sign-ins, lock-outs, permission refusals (403), imports, approvals
and letter downloads. Each line names the event, the user (username), their council (slug),
the client's address and the object acted on; never a password, token or file's content.
Settings LOGGING sends this logger through `JsonFormatter` to standard error, where the
service manager (journald) or a log shipper collects it.
"""

import datetime
import json
import logging

logger = logging.getLogger("winterplan.audit")

SIGN_IN = "sign-in"
SIGN_IN_FAILED = "sign-in-failed"
LOCKED_OUT = "locked-out"
PERMISSION_DENIED = "permission-denied"
IMPORT = "import"
APPROVAL = "approval"
LETTER_DOWNLOAD = "letter-download"


def _username(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.get_username()


def _council(user, council) -> str | None:
    if council is not None:
        return getattr(council, "slug", str(council))
    if user is not None and getattr(user, "council_id", None):
        return user.council.slug
    return None


def _object(obj) -> str | None:
    if obj is None or isinstance(obj, str):
        return obj
    meta = getattr(obj, "_meta", None)
    if meta is None:
        return str(obj)
    return f"{meta.label_lower}:{obj.pk}"


def audit_event(event: str, *, request=None, user=None, council=None, obj=None,
                **details) -> None:
    """Log `event` as one structured line: who (the request's user unless `user` is given),
    their council, the client's address and the object (`app.model:pk` or a text)."""
    from winterplan.middleware import client_ip

    if user is None and request is not None:
        user = getattr(request, "user", None)
    fields = {
        "event": event,
        "user": _username(user) if user is not None else None,
        "council": _council(user, council),
        "ip": client_ip(request) if request is not None else None,
        "object": _object(obj),
    }
    if request is not None:
        fields["path"] = request.path
    fields |= details
    logger.info(event, extra={"audit": fields})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message and, for audit
    events, their fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line |= getattr(record, "audit", {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


# Signal receivers (connected in WinterplanConfig.ready).

def on_signed_in(sender, request, user, **kwargs):
    audit_event(SIGN_IN, request=request, user=user)


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    """Django's user_login_failed (sent for every backend's refusal, axes' included): the
    username tried, never the password."""
    audit_event(SIGN_IN_FAILED, request=request, user=None,
                username_tried=str(credentials.get("username", ""))[:150])


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    """axes' user_locked_out: too many failures for that username from that address."""
    audit_event(LOCKED_OUT, request=request, user=None,
                username_tried=str(username or "")[:150])
