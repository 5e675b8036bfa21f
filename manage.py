#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "winterplan.settings")
    # Production always sets SECRET_KEY (the web process refuses to start without it), so a
    # command run with no secret is a developer's: development mode unless DEBUG says otherwise.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    from winterplan.history import command_line_attribution

    # History written by a command names the "system" user and the command line.
    with command_line_attribution(sys.argv):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
