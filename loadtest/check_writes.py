"""After `make loadtest`: every acknowledged save (its marker in the writes file) must be in
the database (an action's text, or a later save's) and in the action's history. Exit 1 if not.

    DJANGO_SETTINGS_MODULE=winterplan.settings python loadtest/check_writes.py writes.txt
"""

import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from actions.models import LocalAction  # noqa: E402


def main(path: str) -> int:
    markers = [line.strip() for line in Path(path).read_text().splitlines() if line.strip()]
    history = LocalAction.history.model.objects
    lost = [m for m in markers if not history.filter(text__contains=f"[{m}]").exists()]
    current = sum(LocalAction.objects.filter(text__contains=f"[{m}]").exists() for m in markers)
    print(f"{len(markers)} acknowledged saves; {len(markers) - len(lost)} in history; "
          f"{current} still the action's current text (the others were saved over later).")
    if lost:
        print(f"LOST: {lost[:10]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
