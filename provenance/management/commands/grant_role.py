"""`manage.py grant_role USER ROLE [ROLE ...] [--revoke]`: give a person a role (a group of `provenance.roles`).

The user becomes staff (to reach the admin); `--revoke` takes the roles away again.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from provenance.roles import ROLES


class Command(BaseCommand):
    help = "Give a user one or more roles: " + ", ".join(ROLES) + "."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("roles", nargs="+", choices=list(ROLES), metavar="ROLE", help=", ".join(ROLES))
        parser.add_argument("--revoke", action="store_true", help="take the roles away instead")

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user “{options['username']}”.")
        groups = list(Group.objects.filter(name__in=options["roles"]))
        if len(groups) != len(set(options["roles"])):
            raise CommandError("Some roles are missing from the database: run `manage.py migrate`.")
        if options["revoke"]:
            user.groups.remove(*groups)
        else:
            user.groups.add(*groups)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        names = sorted(user.groups.values_list("name", flat=True))
        self.stdout.write(f"{user.get_username()}: {', '.join(names) or 'no roles'}")
