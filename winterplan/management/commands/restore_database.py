"""Replace the database with a backup made by backup_database.

    python manage.py restore_database FILE [--no-input]

Every table is replaced by the backup's (PostgreSQL: pg_restore --clean --if-exists, in one
transaction; SQLite: the online backup API). Stop the web processes and the worker first.
Asks for confirmation unless --no-input.
"""

from django.core.management.base import BaseCommand, CommandError

from winterplan import backups


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by backup_database.")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="Do not ask for confirmation.")
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, file, interactive=True, database="default", **options):
        name = backups.vendor(database)
        if interactive:
            answer = input(f"This replaces everything in the {name} database with {file}. "
                           "Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled: nothing changed.")
        try:
            backups.restore(file, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the {name} database from {file}.")
