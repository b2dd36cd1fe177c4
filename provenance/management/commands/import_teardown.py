"""`manage.py import_teardown FILE [--dry-run] [--source URL]`: import a teardown list (CSV, XLSX or JSON).

Exit code 0 on success, 1 on invalid input (with every error listed); the summary line is always printed.
"""

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.services.teardown import teardown_import


class _ProgressBar:
    """A one-line progress display, drawn only when stdout is an interactive terminal."""

    def __init__(self, stream):
        self.stream = stream
        self.drawn = False

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if total:
            filled = int(30 * done / total)
            text = f"\r{phase:<10} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,} rows"
        else:
            text = f"\r{phase:<10} {done:,} rows"
        self.stream.write(text, ending="")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("")


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Import a teardown list (CSV, XLSX or JSON): all rows are checked first; any error imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("the teardown list (.csv, .xlsx or .json)"))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("check and report, write nothing"))
        parser.add_argument(
            "--source", metavar="URL", help=gettext_lazy("source URL for every row without a source_url")
        )

    def handle(self, *args, file: str, dry_run: bool, source: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: {file}").format(file=file))
        interactive = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        bar = _ProgressBar(self.stdout) if interactive else None
        result = teardown_import(file=path, filename=path.name, source_url=source, dry_run=dry_run, progress=bar)
        if bar:
            bar.finish()
        if result.errors:
            self.stderr.write(_("{file}: the file was not imported because of these errors:").format(file=path.name))
            for error in result.errors:
                self.stderr.write(f"  {error}")
            self.stdout.write(result.summary())
            sys.exit(1)
        for name in result.new_manufacturers:
            self.stdout.write(_("new manufacturer to review: {name}").format(name=name))

        self.stdout.write(result.summary())
