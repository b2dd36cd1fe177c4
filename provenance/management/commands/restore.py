"""`manage.py restore DIR --yes`: replace the database and the stored files with a backup (hashes checked first)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.services.backup import BackupError, backup_restore


class Command(LocalizedCommand):
    help = gettext_lazy("Restore a backup written by `manage.py backup`: REPLACES the database and the stored files.")

    def add_arguments(self, parser):
        parser.add_argument("directory", help=gettext_lazy("The backup directory (with manifest.json)."))
        parser.add_argument(
            "--yes", action="store_true", help=gettext_lazy("Confirm that the current data is to be replaced.")
        )

    def handle(self, *args, directory: str, yes: bool, **options):
        if not yes:
            raise CommandError(_("restore replaces every row and stored file: run it again with --yes."))
        try:
            result = backup_restore(source=Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Restored from {directory}: {files} stored files, {checked} evidence hashes OK.").format(
                directory=directory, files=result.files, checked=result.evidence_checked
            )
        )
