"""manage.py load_reference: load or update CHPL HS codes, categories, weapon models and manufacturers."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from provenance.services.reference import reference_data_load


class Command(BaseCommand):
    help = "Load or update reference data (CHPL HS codes, categories, weapon models, manufacturers). Idempotent."

    def handle(self, *args, **options):
        try:
            summary = reference_data_load()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for kind, counts in summary.items():
            self.stdout.write(
                f"{kind}: {counts['created']} created, {counts['changed']} changed, {counts['unchanged']} unchanged"
            )
