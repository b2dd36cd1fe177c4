"""`manage.py match_sanctions`: propose matches between manufacturers and listed entities.

manage.py match_sanctions                    # propose; every candidate waits for a person (admin queue)
manage.py match_sanctions --confirm-strong   # confirm the strong ones (recorded as decided by the command)
manage.py match_sanctions --format json
"""

import json

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from manufacturers.models import ListedEntity, Manufacturer, SanctionMatch
from manufacturers.sanctions.matches import sanction_matches_propose
from manufacturers.sanctions.reasons import reasons_text

from ._analytics_output import to_table


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Propose matches between manufacturers and listed entities, with a score, strength and reasons."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--confirm-strong",
            dest="confirm_strong",
            action="store_true",
            help=gettext_lazy(
                "confirm strong matches (recorded as decided by this command); the others wait for a person"
            ),
        )
        parser.add_argument(
            "--format", choices=("table", "json"), default="table", help=gettext_lazy("table (default) or json")
        )

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
                "reasons": reasons_text(m.reasons),
                "decision": m.decision,
            }
            for m in run.matches
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"candidates": candidates}, ensure_ascii=False, indent=2))
            return
        summary = _(
            "{count} candidates: {created} new, {updated} known, {confirmed} confirmed by this run, "
            "{withdrawn} pending ones withdrawn"
        ).format(
            count=len(candidates),
            created=run.created,
            updated=run.updated,
            confirmed=run.confirmed,
            withdrawn=run.withdrawn,
        )
        decisions = dict(SanctionMatch.Decision.choices)
        rows = [
            [c["manufacturer"], c["listed_name"][:60], c["score"], _("yes") if c["strong"] else _("no"),
             decisions.get(c["decision"], c["decision"]), "; ".join(c["reasons"])]
            for c in candidates
        ]  # fmt: skip
        header = [_("manufacturer"), _("listed name"), _("score"), _("strong"), _("decision"), _("reasons")]
        self.stdout.write(to_table(header, rows, summary), ending="")
