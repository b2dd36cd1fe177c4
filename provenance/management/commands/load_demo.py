"""manage.py load_demo: load the demo dataset of published cases (idempotent)."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from manufacturers.sanctions.demo import demo_sanctions_load
from provenance.models import WeaponModel
from provenance.services.demo import demo_data_load


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Load the demo dataset: published 9M727 teardowns and strikes, each with its source, and the makers' "
        "EU sanctions listings. Idempotent."
    )

    def handle(self, *args, **options):
        if not WeaponModel.objects.filter(designation="9M727").exists():
            raise CommandError(_("Reference data is missing: run `manage.py load_reference` first."))
        try:
            counts = demo_data_load()
            counts.update(demo_sanctions_load())
        except (ValidationError, LookupError) as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{_(key)}: {value}" for key, value in sorted(counts.items()) if value)
        self.stdout.write(_("Demo data loaded ({summary}).").format(summary=summary))
