"""The fictitious CQC files in fixtures/providers/cqc/ (make_cqc_files.py writes them)."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "providers" / "cqc"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
