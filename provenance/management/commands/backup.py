"""`manage.py backup DIR`: the database and every stored file into a new directory, with a SHA-256 manifest."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext

from config.common.commands import LocalizedCommand
from provenance.services.backup import BackupError, backup_create


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Back up the database and the stored files (evidence, briefings) into DIR, with a SHA-256 manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help=gettext_lazy("A new (or empty) directory to write the backup into."))

    def handle(self, *args, directory: str, **options):
        try:
            manifest = backup_create(target=Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = sum(entry["size"] for entry in manifest["files"])
        count = len(manifest["files"])
        self.stdout.write(
            ngettext(
                "Backup in {directory}: {count} file, {size} MB.",
                "Backup in {directory}: {count} files, {size} MB.",
                count,
            ).format(directory=directory, count=count, size=number_format(size / 1_048_576, 1))
        )
