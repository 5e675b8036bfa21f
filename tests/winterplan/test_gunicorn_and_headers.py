"""The shipped gunicorn configuration and the headers every response carries."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

CONFIG = settings.BASE_DIR / "gunicorn.conf.py"


def test_every_response_refuses_the_browser_features_no_page_uses(officer_client):
    for response in (Client().get("/login/"), officer_client.get("/plans/"),
                     Client().get("/health")):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy


def test_worker_timeout_outlasts_the_render_limit_and_workers_come_from_the_environment(
    monkeypatch,
):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.delenv("REPORTS_PDF_TIMEOUT_SECONDS", raising=False)
    config = runpy.run_path(str(CONFIG))
    assert settings.REPORTS_PDF_TIMEOUT_SECONDS == 60
    assert config["timeout"] >= settings.REPORTS_PDF_TIMEOUT_SECONDS + 20
    assert config["graceful_timeout"] >= settings.REPORTS_PDF_TIMEOUT_SECONDS
    assert config["workers"] == 3
    monkeypatch.setenv("REPORTS_PDF_TIMEOUT_SECONDS", "120")
    assert runpy.run_path(str(CONFIG))["timeout"] == 150


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_with_the_shipped_config_sends_no_server_header(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        SECRET_KEY="gunicorn-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5)
            except urllib.error.HTTPError as answered:  # 503: the database is empty
                headers = answered.headers
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert "Server" not in headers
        assert "camera=()" in headers["Permissions-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=30)
