"""The project's settings as production reads them, with what tests need changed.

Tests run with DEBUG off, as production does; only the secret, HTTPS redirects, the password
hasher, static-file manifests and the task backend differ.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from winterplan.settings import *  # noqa: E402,F403
from winterplan.settings import STORAGES, TEMPLATES  # noqa: E402

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "MISSING[%s]"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
