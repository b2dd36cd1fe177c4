"""`manage.py match_sanctions`: propose matches between manufacturers and listed entities.

manage.py match_sanctions                    # propose; every candidate waits for a person (admin queue)
manage.py match_sanctions --confirm-strong   # confirm the strong ones (recorded as decided by the command)
manage.py match_sanctions --format json
"""

import json

from django.core.management.base import BaseCommand, CommandParser

from manufacturers.models import ListedEntity, Manufacturer
from manufacturers.sanctions.matches import sanction_matches_propose

from ._analytics_output import to_table


class Command(BaseCommand):
    help = "Propose matches between manufacturers and listed entities, with a score, strength and reasons."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--confirm-strong",
            dest="confirm_strong",
            action="store_true",
            help="confirm strong matches (recorded as decided by this command); the others wait for a person",
        )
        parser.add_argument("--format", choices=("table", "json"), default="table")

    def handle(self, *args, **options) -> None:
        run = sanction_matches_propose(confirm_strong=options["confirm_strong"])
        names = dict(
            Manufacturer.objects.filter(pk__in={m.manufacturer_id for m in run.matches}).values_list("pk", "name")
        )
        listed = {
            pk: (source_id, caption)
            for pk, source_id, caption in ListedEntity.objects.filter(
                pk__in={m.listed_entity_id for m in run.matches}
            ).values_list("pk", "source_id", "caption")
        }
        candidates = [
            {
                "manufacturer": names[m.manufacturer_id],
                "listed_entity": listed[m.listed_entity_id][0],
                "listed_name": listed[m.listed_entity_id][1],
                "score": m.score,
                "strong": m.strong,
                "reasons": m.reasons,
                "decision": m.decision,
            }
            for m in run.matches
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"candidates": candidates}, ensure_ascii=False, indent=2))
            return
        summary = (
            f"{len(candidates)} candidates: {run.created} new, {run.updated} known, "
            f"{run.confirmed} confirmed by this run, {run.withdrawn} pending ones withdrawn"
        )
        rows = [
            [c["manufacturer"], c["listed_name"][:60], c["score"], "yes" if c["strong"] else "no", c["decision"],
             "; ".join(c["reasons"])]
            for c in candidates
        ]  # fmt: skip
        header = ["manufacturer", "listed name", "score", "strong", "decision", "reasons"]
        self.stdout.write(to_table(header, rows, summary), ending="")
