"""manage.py load_reference: load or update CHPL HS codes, categories, weapon models and manufacturers."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.services.reference import reference_data_load


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Load or update reference data (CHPL HS codes, categories, weapon models, manufacturers). Idempotent."
    )

    def handle(self, *args, **options):
        try:
            summary = reference_data_load()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for kind, counts in summary.items():
            self.stdout.write(
                _("{kind}: {created} created, {changed} changed, {unchanged} unchanged").format(
                    kind=_(kind), created=counts["created"], changed=counts["changed"], unchanged=counts["unchanged"]
                )
            )
