"""Create an API key for a partner organisation and print the raw key once (only its hash is stored)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.models import Organisation
from provenance.services.sharing import api_key_create


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--expires must be a date (YYYY-MM-DD), not “{value}”.").format(value=value)) from None


class Command(LocalizedCommand):
    help = gettext_lazy("Create an API key for an organisation; the key is printed once and cannot be shown again.")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help=gettext_lazy("Organisation name (as in the admin)."))
        parser.add_argument("--expires", help=gettext_lazy("Last day the key works (YYYY-MM-DD, UTC)."))
        parser.add_argument("--name", default="", help=gettext_lazy("A label for the key (default: 'cli key')."))

    def handle(self, *args, org: str, expires: str | None, name: str, **options):
        organisation = Organisation.objects.filter(name__iexact=org.strip()).first()
        if organisation is None:
            raise CommandError(_("No organisation “{org}”. Create it in the admin first.").format(org=org))
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
            (
                _(
                    "API key {prefix} for {organisation}, valid until {expires} (UTC). "
                    "Store it now: it cannot be shown again."
                )
                if expires
                else _("API key {prefix} for {organisation}. Store it now: it cannot be shown again.")
            ).format(prefix=api_key.prefix, organisation=organisation.name, expires=expires)
        )
        self.stdout.write(raw_key)
