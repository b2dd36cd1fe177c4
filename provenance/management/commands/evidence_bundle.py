"""`manage.py evidence_bundle REF -o FILE`: one item's evidence bundle (ZIP, checkable with `sha256sum -c`)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from provenance.models import RecoveredItem
from provenance.services.custody import evidence_bundle_write


class Command(BaseCommand):
    help = "Write a recovered item's evidence bundle: teardown list, evidence files, SHA256SUMS, custody, transitions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the recovered item's reference")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the ZIP file to write")

    def handle(self, *args, **options) -> None:
        item = RecoveredItem.objects.select_related("weapon_model").filter(reference=options["reference"]).first()
        if item is None:
            raise CommandError(f"No recovered item “{options['reference']}”.")
        with open(options["output"], "wb") as stream:
            manifest = evidence_bundle_write(item=item, stream=stream)
        self.stdout.write(f"{options['output']}: {len(manifest)} files and SHA256SUMS for {item.reference}")
