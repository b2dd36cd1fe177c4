"""`manage.py backup DIR`: the database and every stored file into a new directory, with a SHA-256 manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from provenance.services.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the stored files (evidence, briefings) into DIR, with a SHA-256 manifest."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A new (or empty) directory to write the backup into.")

    def handle(self, *args, directory: str, **options):
        try:
            manifest = backup_create(target=Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(f"Backup in {directory}: {len(manifest['files'])} files, {size / 1_048_576:.1f} MB.")
