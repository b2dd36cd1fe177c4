"""`manage.py export_teardown [--weapon W] [--item REF] [--format csv|xlsx|json] [-o FILE]`.

Writes the teardown list of the selected recovered items in the import format (stdout for CSV and JSON
when no file is given).
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from config.common.text import name_key
from provenance.models import RecoveredItem
from provenance.services.teardown import teardown_export
from provenance.teardown.export import FORMATS
from provenance.teardown.validation import weapon_lookup


class Command(LocalizedCommand):
    help = gettext_lazy("Export recovered items as a teardown list (the format import_teardown reads).")

    def add_arguments(self, parser):
        parser.add_argument("--weapon", help=gettext_lazy("weapon model designation or alias"))
        parser.add_argument("--item", action="append", metavar="REF", help=gettext_lazy("item reference (repeatable)"))
        parser.add_argument(
            "--format", choices=FORMATS, default="csv", help=gettext_lazy("csv (default), xlsx or json")
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help=gettext_lazy("write here instead of standard output")
        )

    def handle(self, *args, weapon, item, format, output, **options):
        items = RecoveredItem.objects.all()
        if weapon:
            weapon_id = weapon_lookup().get(name_key(weapon))
            if weapon_id is None:
                raise CommandError(_("Unknown weapon model: {weapon}").format(weapon=weapon))
            items = items.filter(weapon_model_id=weapon_id)
        if item:
            items = items.filter(reference__in=item)
            missing = sorted(set(item) - set(items.values_list("reference", flat=True)))
            if missing:
                raise CommandError(_("Unknown item reference: {references}").format(references=", ".join(missing)))
        if output:
            with open(output, "wb") as stream:
                teardown_export(items=items, format=format, stream=stream)
            return
        if format == "xlsx":
            raise CommandError(_("XLSX is binary: give a file with -o."))
        stdout = getattr(self.stdout, "_out", None)
        binary = getattr(stdout, "buffer", None)
        if binary is not None:
            self.stdout.flush()
            teardown_export(items=items, format=format, stream=binary)
            binary.flush()
        else:
            self.stdout.write(teardown_export(items=items, format=format).decode(), ending="")
