"""`manage.py export_ftm [-o FILE]`: our manufacturers, ownerships and designations as FtM entities (JSON lines)."""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from manufacturers.sanctions.export import ftm_export_entities


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Write the manufacturers (Company), their ownerships (Ownership) and designations (Sanction) as a "
        "FollowTheMoney entity stream, one JSON entity per line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", metavar="FILE", help=gettext_lazy("write to FILE instead of standard output")
        )

    def handle(self, *args, output: str | None, **options):
        if not output:
            for entity in ftm_export_entities():
                self.stdout.write(json.dumps(entity, ensure_ascii=False, sort_keys=True))
            return
        count = 0
        with open(output, "w", encoding="utf-8") as stream:
            for entity in ftm_export_entities():
                stream.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        self.stderr.write(_("%(count)d entities written to %(file)s") % {"count": count, "file": output})
