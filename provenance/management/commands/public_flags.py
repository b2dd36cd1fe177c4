"""`manage.py public_flags`: store the public rule on every finding line again (after writes that bypassed the
services, e.g. a bulk SQL update of items); prints how many lines changed."""

from django.core.management.base import BaseCommand
from django.db import transaction

from provenance.services.public_flag import findings_public_sync


class Command(BaseCommand):
    help = "Re-check and repair the stored public flag of every finding line (the public catalogue's fast path)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            changed = findings_public_sync()
        self.stdout.write(f"{changed} finding lines changed.")
