"""Settings come from the environment and fail fast on what production must set."""

import os
import subprocess
import sys

from django.conf import settings


def _run_settings(env_overrides: dict[str, str], code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "winterplan.settings"
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _run_settings({}, "pass")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_an_empty_database_url_means_the_default_sqlite_file():
    result = _run_settings(
        {"DEBUG": "1", "DATABASE_URL": ""},
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    result = _run_settings(
        {"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/winterplan"},
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'])",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "winterplan"]


def test_uk_dates_and_london_time():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
    from django.utils import formats, translation

    with translation.override("en-gb"):
        import datetime

        assert formats.date_format(datetime.date(2020, 10, 16), "SHORT_DATE_FORMAT") == "16/10/2020"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
