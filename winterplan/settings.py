"""Settings for Winter Plan Tracker, read from the environment.

One module for every environment: development (`DEBUG=1`, set by `make run`), tests and
production. A production secret has no default; see README "Configuration".
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable's value, or `default` when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "winterplan",
    "winterplan.people",
    "actions",
    "providers",
    "reports",
    "actions.reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "winterplan.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "winterplan.middleware.SessionRefreshMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "winterplan.urls"
# The selector of a council's plans for the workspace's plan switcher: the core names it here
# rather than importing a domain app.
WORKSPACE_PLANS = "actions.workspace.council_plans"
# The domain apps' parts of `load_sample_data`, in order, after the core's regions, councils
# and demo users (winterplan.sample_data): each is called with the same keyword arguments.
SAMPLE_DATA_STEPS = [
    "actions.sample.plans_load",
    "providers.services.sample.providers_load",
    "reports.services.sample_reports_load",
    "actions.sample.second_winter_step",
]
FORM_RENDERER = "winterplan.forms.renderers.GovukFormRenderer"
WSGI_APPLICATION = "winterplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "winterplan.context_processors.workspace",
                "actions.context_processors.reporting_date",
            ],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in production), a SQLite file otherwise. A set but empty
# DATABASE_URL counts as unset (dj-database-url would return {}).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# SQLite as an embedded database for several processes: write-ahead logging (readers never
# wait for a writer), transactions that take the write lock when they begin (so two writers
# queue instead of failing with "database is locked"), and a busy timeout to queue for.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# /health waits this long for SQLite's write lock before answering 503 "busy".
HEALTH_DB_TIMEOUT_SECONDS = env_int("HEALTH_DB_TIMEOUT_SECONDS", 2)

# Shared state lives outside the process: sessions in the database, the cache in the database
# or in Redis where REDIS_URL is set, background work in the database task queue.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "winterplan_cache",
        }
    }
# Passwords: Argon2id at OWASP's minimum (winterplan/hashers.py: ≈45 ms a sign-in instead of
# PBKDF2's ≈0.55 s); older PBKDF2 hashes still verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "winterplan.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A working day of inactivity, then sign in again. A session is not written on every request:
# SessionRefreshMiddleware renews it at most every SESSION_REFRESH_SECONDS (5 minutes).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 5 * 60)

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "winterplan.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "winterplan.signin.backends.PasswordBackend",
    "winterplan.signin.backends.CouncilOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# People (winterplan/people): invitation links work for INVITATION_VALID_DAYS; a password
# reset link for PASSWORD_RESET_TIMEOUT seconds; the reset form is throttled per hour, per
# e-mail address (past it: the same reply, nothing sent) and per client address (429).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 2 * 60 * 60)
PASSWORD_RESET_MAX_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESET_MAX_PER_EMAIL_PER_HOUR", 3)
PASSWORD_RESET_MAX_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESET_MAX_PER_ADDRESS_PER_HOUR", 20)
# The accessibility statement (/accessibility/) names who runs the site and whom to write to.
ACCESSIBILITY_OPERATOR = env_str("ACCESSIBILITY_OPERATOR", "the council that gave you your account")
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on (OpenID Connect, mozilla-django-oidc; README "Single sign-on"). On when a
# client id and secret and either the issuer (endpoints discovered from it) or all four
# endpoints are set; half a configuration is an error, not a silently missing button.
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_TRUST_EMAIL_VERIFIED_MISSING = env_bool("OIDC_TRUST_EMAIL_VERIFIED_MISSING", False)
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM")
OIDC_ROLE_MAP: dict[str, str] = {}
for _entry in env_list("OIDC_ROLE_MAP", []):
    _group, _, _role = (part.strip() for part in _entry.rpartition("="))
    if not _group or not _role:
        raise ImproperlyConfigured(f"OIDC_ROLE_MAP entries are group=role, not {_entry!r}")
    OIDC_ROLE_MAP[_group] = _role
if "admin" in OIDC_ROLE_MAP.values():
    raise ImproperlyConfigured("OIDC_ROLE_MAP cannot give the admin role.")
if bool(OIDC_ROLE_CLAIM) != bool(OIDC_ROLE_MAP):
    raise ImproperlyConfigured("OIDC_ROLE_CLAIM and OIDC_ROLE_MAP are set together or not at all.")
_OIDC_ENDPOINTS = (OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT,
                   OIDC_OP_JWKS_ENDPOINT)
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET
                    and (OIDC_OP_ISSUER or all(_OIDC_ENDPOINTS)))
if not OIDC_ENABLED and any((OIDC_OP_ISSUER, OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET,
                             *_OIDC_ENDPOINTS)):
    raise ImproperlyConfigured(
        "Single sign-on needs OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET and OIDC_OP_ISSUER (or "
        "all four OIDC_OP_*_ENDPOINT settings)."
    )
OIDC_CREATE_USER = False  # nobody unknown gets in: people are invited first
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "signin:oidc-callback"

# Sign-in throttling: five failures lock that username from that address for 15 minutes,
# after which it can try again (no admin reset needed).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind TRUSTED_PROXY_COUNT proxies (each appending to X-Forwarded-For) the client's address is
# the one the outermost trusted proxy saw; 0 (no proxy) means the connection's own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "winterplan.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["winterplan.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
# Where `manage.py backup_database` (make backup) writes when not told a file.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health$"]
# Features no page uses, refused for every page (PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "usb=()"
)
CSRF_FAILURE_VIEW = "winterplan.errors.csrf_failure"
# Lets the history pages in the admin show old versions but never save one back.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Request and import limits (README, Configuration). A form's body (files aside) is at most
# 2.5 MB and 2,000 fields (a page of the returns screen posts about 800); an uploaded file over
# 2.5 MB is spooled to a temporary file, never held in memory; an import is refused, with a
# message naming the limit, past IMPORT_MAX_UPLOAD_MB, IMPORT_MAX_ROWS rows or
# IMPORT_MAX_SECONDS of reading.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000)
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 5)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_SECONDS = env_int("IMPORT_MAX_SECONDS", 30)
# CQC's national files (providers.cqc): one file holds every location in England.
IMPORT_CQC_MAX_UPLOAD_MB = env_int("IMPORT_CQC_MAX_UPLOAD_MB", 100)
IMPORT_CQC_MAX_ROWS = env_int("IMPORT_CQC_MAX_ROWS", 200_000)
IMPORT_CQC_MAX_SECONDS = env_int("IMPORT_CQC_MAX_SECONDS", 60)

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# A PDF render is stopped after this long (gunicorn.conf.py gives a worker 30 s more).
REPORTS_PDF_TIMEOUT_SECONDS = env_int("REPORTS_PDF_TIMEOUT_SECONDS", 60)
# A document assembled from sections: its whole render, inside gunicorn's timeout (a render
# past it that is still making progress goes on, and the next request picks it up).
REPORTS_PDF_TOTAL_SECONDS = env_int("REPORTS_PDF_TOTAL_SECONDS", 75)

# Logs go to standard error (journald or a log shipper collects them). The audit events
# (winterplan/audit.py: sign-ins, failed sign-ins, 403s, imports, approvals, letter downloads)
# are one JSON object per line on the `winterplan.audit` logger; LOG_FORMAT=json writes every
# other log line as JSON too.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "winterplan.audit.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "audit": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "winterplan.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
    },
}

# Error reporting to Sentry, only when SENTRY_DSN is set: no personal data sent (no user,
# cookies, addresses or form bodies), the environment and release named from the environment.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Sample data: the demo users' password (README states its default).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "winter-plan-demo")
DJANGO_TABLES2_TEMPLATE = "django_tables2/govuk.html"

# Mail: SMTP when EMAIL_HOST is set (tests start a real server on loopback); otherwise, under
# DEBUG, printed to the console, and in production refused loudly rather than lost.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# GOV.UK Notify instead of SMTP when NOTIFY_API_KEY is set: one template whose subject is
# ((subject)) and body ((body)) (actions/reminders/notify.py).
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = env_str("NOTIFY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
if NOTIFY_API_KEY and not NOTIFY_TEMPLATE_ID:
    raise ImproperlyConfigured("NOTIFY_API_KEY is set: set NOTIFY_TEMPLATE_ID too.")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "actions.reminders.notify.NotifyEmailBackend" if NOTIFY_API_KEY
    else "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or not DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Winter Plan Tracker <winterplan@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address, for links in e-mails sent without a request (send_reminders).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Providers' return links (providers/return_links; README "Providers report for themselves").
# A link works for RETURN_LINK_VALID_DAYS unless revoked; yesterday's return may still be sent
# until RETURN_LINK_YESTERDAY_UNTIL_HOUR (local time); requests to the link and the API are
# counted per hour in the cache, per token and per client address (429 past the limit).
RETURN_LINK_VALID_DAYS = env_int("RETURN_LINK_VALID_DAYS", 90)
RETURN_LINK_YESTERDAY_UNTIL_HOUR = env_int("RETURN_LINK_YESTERDAY_UNTIL_HOUR", 10)
RETURN_LINK_MAX_PER_TOKEN_PER_HOUR = env_int("RETURN_LINK_MAX_PER_TOKEN_PER_HOUR", 60)
RETURN_LINK_MAX_PER_ADDRESS_PER_HOUR = env_int("RETURN_LINK_MAX_PER_ADDRESS_PER_HOUR", 300)
