"""`manage.py review_item REF ACTION --user NAME [--comment TEXT]`: a review action from the command line.

ACTION is one of submit_for_review, verify, publish, return_to_draft; the same rules as in the admin apply
(the user's roles, four eyes), through `provenance.services.workflow`.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from provenance.models import RecoveredItem
from provenance.services.workflow import ACTIONS, TransitionRefused, item_transition


class Command(BaseCommand):
    help = "Submit, verify, publish or return a recovered item, as a named user (the admin's rules apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", nargs="+", help="recovered item reference(s)")
        parser.add_argument("--action", required=True, choices=list(ACTIONS))
        parser.add_argument("--user", required=True, help="username of the person acting")
        parser.add_argument("--comment", default="", help="kept with the transition")

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user “{options['user']}”.")
        refused = []
        for reference in options["reference"]:
            item = RecoveredItem.objects.filter(reference=reference).first()
            if item is None:
                refused.append(f"No recovered item “{reference}”.")
                continue
            try:
                item_transition(item=item, action=options["action"], user=user, comment=options["comment"])
            except TransitionRefused as error:
                refused.append(error.message)
            else:
                self.stdout.write(f"{reference}: {item.status}")
        if refused:
            raise CommandError("\n".join(refused))
