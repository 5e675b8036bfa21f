"""Start the loopback OpenID provider (its own process, SQLite file and RS256 key)."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "winter-plan-tracker", "loopback-client-secret-for-tests-only"


@dataclass
class Provider:
    issuer: str
    users: dict
    log: Path

    def password(self, username: str) -> str:
        return self.users[username]["password"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def loopback_provider(*, directory: Path, redirect_uri: str, users: dict):
    """A running django-oauth-toolkit OpenID provider whose users and claims are `users`
    and whose one confidential client may redirect to `redirect_uri`."""
    port = _free_port()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (directory / "users.json").write_text(json.dumps(users))
    issuer = f"http://127.0.0.1:{port}/o"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "PROVIDER_DB": str(directory / "provider.sqlite3"),
        "PROVIDER_ISSUER": issuer,
        "PROVIDER_KEY_FILE": str(directory / "key.pem"),
        "PROVIDER_USERS": str(directory / "users.json"),
        "PYTHONPATH": str(ROOT),
    }
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*django, "provider_seed", "--client-id", CLIENT_ID, "--client-secret",
                    CLIENT_SECRET, "--redirect-uri", redirect_uri], env=env, cwd=ROOT,
                   check=True)
    log = directory / "provider.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*django, "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration",
                             timeout=2).raise_for_status()
                break
            except requests.RequestException as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the provider did not start:\n{log.read_text()}") \
                        from error
                time.sleep(0.2)
        yield Provider(issuer=issuer, users=users, log=log)
    finally:
        process.terminate()
        process.wait(timeout=10)
