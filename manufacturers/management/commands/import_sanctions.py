"""`manage.py import_sanctions FILE [--format ftm|csl|eu-journal] [--dry-run]`: import a sanctions list.

Exit 0 with the summary line; exit 1 with each bad line's number and nothing written.
"""

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from manufacturers.sanctions.importing import FORMATS, SanctionsImportError, sanctions_list_import


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Import a sanctions list: a FollowTheMoney entity stream (or delta), the US Consolidated Screening List "
        "CSV, or an EU Official Journal extract CSV. A file with an error changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("the list file"))
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help=gettext_lazy("the file's format (guessed from its content if omitted)"),
        )
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("read, check and count; write nothing"))

    def handle(self, *args, file: str, format: str | None, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        with path.open("rb") as stream:
            try:
                summary = sanctions_list_import(
                    stream=stream, file_name=path.name, format=format, dry_run=dry_run, via="import_sanctions"
                )
            except SanctionsImportError as error:
                self.stderr.write(_("%(file)s: not imported, nothing was written:") % {"file": path.name})
                for line in error.lines():
                    self.stderr.write(f"  {line}")
                sys.exit(1)
        self.stdout.write(f"{path.name} ({summary.format}): {summary.line()}")
