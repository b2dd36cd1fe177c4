"""`manage.py evidence_bundle REF -o FILE`: one item's evidence bundle (ZIP, checkable with `sha256sum -c`)."""

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.models import RecoveredItem
from provenance.services.custody import evidence_bundle_write


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Write a recovered item's evidence bundle: teardown list, evidence files, SHA256SUMS, custody, transitions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help=gettext_lazy("the recovered item's reference"))
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help=gettext_lazy("the ZIP file to write"))

    def handle(self, *args, **options) -> None:
        item = RecoveredItem.objects.select_related("weapon_model").filter(reference=options["reference"]).first()
        if item is None:
            raise CommandError(_("No recovered item “{item}”.").format(item=options["reference"]))
        with open(options["output"], "wb") as stream:
            manifest = evidence_bundle_write(item=item, stream=stream)
        self.stdout.write(
            _("{file}: {count} files and SHA256SUMS for {item}").format(
                file=options["output"], count=len(manifest), item=item.reference
            )
        )
