"""`make run` serves on PORT (8000 by default) with the background worker beside it, and
builds the virtualenv with Python 3.11 (PYTHON). Checked with `make -n`: nothing runs."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(*args: str) -> str:
    return subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_make_run_serves_on_the_port_given_and_starts_the_worker_beside_it():
    commands = _dry_run("-o", ".venv/.installed", "run", "PORT=8123")
    assert "runserver 127.0.0.1:8123" in commands
    assert "manage.py db_worker --no-reload &" in commands
    assert "kill $worker" in commands


def test_make_run_defaults_to_port_8000():
    assert "runserver 127.0.0.1:8000" in _dry_run("-o", ".venv/.installed", "run")


def test_the_virtualenv_is_built_with_python_3_11_unless_python_is_given():
    assert "python3.11 -m venv .venv" in _dry_run("-B", ".venv/.installed")
    assert "/opt/py311/bin/python -m venv .venv" in _dry_run(
        "-B", ".venv/.installed", "PYTHON=/opt/py311/bin/python"
    )
