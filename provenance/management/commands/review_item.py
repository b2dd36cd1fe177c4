"""`manage.py review_item REF ACTION --user NAME [--comment TEXT]`: a review action from the command line.

ACTION is one of submit_for_review, verify, publish, return_to_draft; the same rules as in the admin apply
(the user's roles, four eyes), through `provenance.services.workflow`.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.models import RecoveredItem
from provenance.services.workflow import ACTIONS, TransitionRefused, item_transition


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Submit, verify, publish or return a recovered item, as a named user (the admin's rules apply)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", nargs="+", help=gettext_lazy("recovered item reference(s)"))
        parser.add_argument("--action", required=True, choices=list(ACTIONS), help=", ".join(ACTIONS))
        parser.add_argument("--user", required=True, help=gettext_lazy("username of the person acting"))
        parser.add_argument("--comment", default="", help=gettext_lazy("kept with the transition"))

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("No user “{user}”.").format(user=options["user"]))
        refused = []
        for reference in options["reference"]:
            item = RecoveredItem.objects.filter(reference=reference).first()
            if item is None:
                refused.append(_("No recovered item “{item}”.").format(item=reference))
                continue
            try:
                item_transition(item=item, action=options["action"], user=user, comment=options["comment"])
            except TransitionRefused as error:
                refused.append(error.message)
            else:
                self.stdout.write(f"{reference}: {item.get_status_display()}")
        if refused:
            raise CommandError("\n".join(refused))
