"""gunicorn settings for Winter Plan Tracker: `gunicorn -c gunicorn.conf.py winterplan.wsgi`.

Read from the environment (README "Configuration"). A worker's timeout is longer than the PDF
render limit, so a render that runs too long is answered by the app's own "could not be made"
page instead of gunicorn killing the worker with a bare 500.
"""

import multiprocessing
import os

from gunicorn.http import wsgi as _gunicorn_wsgi


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


_render_limit = _env_int("REPORTS_PDF_TIMEOUT_SECONDS", 60)

wsgi_app = "winterplan.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "").strip() or f"0.0.0.0:{_env_int('PORT', 8000)}"
workers = _env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _env_int("GUNICORN_THREADS", 1)
# The render limit plus time to answer after it (30 s by default would kill a 40 s render).
timeout = _env_int("GUNICORN_TIMEOUT", _render_limit + 30)
# On a restart, let a request that is rendering finish.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", timeout)
keepalive = 5
# WeasyPrint's memory is given back by restarting a worker now and then.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
# Half of it: workers that share the load evenly otherwise reach max_requests within a
# second of each other and restart together (a 3-4 s stall at 60 requests/s in the load test).
max_requests_jitter = max_requests // 2
# Addresses whose X-Forwarded-Proto is believed (the TLS proxy); see TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
if os.path.isdir("/dev/shm"):  # noqa: S108 - gunicorn's documented heartbeat directory
    worker_tmp_dir = "/dev/shm"  # noqa: S108 - heartbeats off the disk


# No `Server: gunicorn` header: gunicorn has no setting for it, so leave it out of the
# headers every response starts with.
_default_headers = _gunicorn_wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


_gunicorn_wsgi.Response.default_headers = _default_headers_without_server


def post_worker_init(worker):
    """Import and warm WeasyPrint as the worker starts, not on its first document."""
    from reports.pdf import warm_up

    warm_up()
