"""`manage.py grant_role USER ROLE [ROLE ...] [--revoke]`: give a person a role (a group of `provenance.roles`).

The user becomes staff (to reach the admin); `--revoke` takes the roles away again.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandError, CommandParser
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.roles import ROLES


class Command(LocalizedCommand):
    help = format_lazy(gettext_lazy("Give a user one or more roles: {roles}."), roles=", ".join(ROLES))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("roles", nargs="+", choices=list(ROLES), metavar="ROLE", help=", ".join(ROLES))
        parser.add_argument("--revoke", action="store_true", help=gettext_lazy("take the roles away instead"))

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user “{user}”.").format(user=options["username"]))
        groups = list(Group.objects.filter(name__in=options["roles"]))
        if len(groups) != len(set(options["roles"])):
            raise CommandError(_("Some roles are missing from the database: run `manage.py migrate`."))
        if options["revoke"]:
            user.groups.remove(*groups)
        else:
            user.groups.add(*groups)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        names = sorted(user.groups.values_list("name", flat=True))
        self.stdout.write(f"{user.get_username()}: {', '.join(names) or _('no roles')}")
