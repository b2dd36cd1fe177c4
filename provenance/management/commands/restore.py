"""`manage.py restore DIR --yes`: replace the database and the stored files with a backup (hashes checked first)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from provenance.services.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup written by `manage.py backup`: REPLACES the database and the stored files."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup directory (with manifest.json).")
        parser.add_argument("--yes", action="store_true", help="Confirm that the current data is to be replaced.")

    def handle(self, *args, directory: str, yes: bool, **options):
        if not yes:
            raise CommandError("restore replaces every row and stored file: run it again with --yes.")
        try:
            result = backup_restore(source=Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored from {directory}: {result.files} stored files, {result.evidence_checked} evidence hashes OK."
        )
