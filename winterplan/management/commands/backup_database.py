"""Back up the whole database to a file.

    python manage.py backup_database [--output FILE]

PostgreSQL: a pg_dump custom-format archive; SQLite: a copy made with the online backup API.
Without --output the file is BACKUP_DIR/winterplan-YYYYMMDD-HHMMSS.dump (or .sqlite3).
"""

from django.core.management.base import BaseCommand, CommandError

from winterplan import backups


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Where to write the backup.")
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, output=None, database="default", **options):
        path = output or backups.default_path(database)
        try:
            written = backups.backup(path, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the {backups.vendor(database)} database to {written} "
                          f"({written.stat().st_size:,} bytes).")
