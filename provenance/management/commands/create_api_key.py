"""Create an API key for a partner organisation and print the raw key once (only its hash is stored)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from provenance.models import Organisation
from provenance.services.sharing import api_key_create


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--expires must be a date (YYYY-MM-DD), not “{value}”.") from None


class Command(BaseCommand):
    help = "Create an API key for an organisation; the key is printed once and cannot be shown again."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="Organisation name (as in the admin).")
        parser.add_argument("--expires", help="Last day the key works (YYYY-MM-DD, UTC).")
        parser.add_argument("--name", default="", help="A label for the key (default: 'cli key').")

    def handle(self, *args, org: str, expires: str | None, name: str, **options):
        organisation = Organisation.objects.filter(name__iexact=org.strip()).first()
        if organisation is None:
            raise CommandError(f"No organisation “{org}”. Create it in the admin first.")
        expires_at = None
        if expires:
            # Valid through the whole of the given day.
            day = _date(expires) + dt.timedelta(days=1)
            expires_at = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        try:
            api_key, raw_key = api_key_create(organisation=organisation, name=name or "cli key", expires=expires_at)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(
            f"API key {api_key.prefix} for {organisation.name}"
            + (f", valid until {expires} (UTC)" if expires else "")
            + ". Store it now: it cannot be shown again."
        )
        self.stdout.write(raw_key)
