"""`manage.py briefing`: issue a briefing report and write it as HTML, PDF or CSV.

manage.py briefing --weapon 9M727 --format pdf -o out.pdf
manage.py briefing --family Iskander --from 2024-01-01 --attribution parent --format html -o iskander.html
manage.py briefing --weapon Shahed-136 --foreign-only --title "Foreign parts in Geran-2 drones" --format csv -o g2.csv

The report is recorded like one requested in the admin (parameters, digests, TLP) and rendered in this
process, whatever the task backend, because the caller is waiting for the file.
"""

import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.briefings.params import params_from_query
from provenance.management.commands._analytics_output import add_selection_arguments
from provenance.models import BriefingReport
from provenance.selectors.analytics import PERIODS
from provenance.services.briefings import FORMATS, briefing_issue


class Command(LocalizedCommand):
    help = gettext_lazy(
        "A sanctions briefing (HTML, PDF or CSV) for a weapon, family, item or date range, written in --language."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_selection_arguments(parser)
        parser.add_argument(
            "--period", choices=PERIODS, default="recovered", help=gettext_lazy("periods of the shift table")
        )
        parser.add_argument(
            "--produced-after",
            dest="produced_after",
            metavar="DATE",
            help=gettext_lazy("restrictions date (default 2022-02-24)"),
        )
        parser.add_argument(
            "--title", default="", help=gettext_lazy("title on the cover (default: from the selection)")
        )
        parser.add_argument("--note", default="", help=gettext_lazy("analyst's note printed on the cover"))
        parser.add_argument("--format", choices=FORMATS, default="pdf", help=gettext_lazy("pdf (default), html or csv"))
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help=gettext_lazy("where to write the report")
        )

    def handle(self, *args, **options) -> None:
        keys = (
            *("weapon", "family", "item", "from", "to", "attribution", "unit", "as_of", "period", "produced_after"),
            "status",
            "language",
        )
        query = {key: options[key] for key in keys if options.get(key) not in (None, "")}
        if options["foreign_only"]:
            query["foreign_only"] = "1"
        query.update(title=options["title"], note=options["note"])
        try:
            params = params_from_query(query)
        except ValidationError as error:
            lines = [
                f"--{field.replace('_', '-')}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError(_("invalid options:") + "\n  " + "\n  ".join(lines)) from error

        fmt = options["format"]
        report = briefing_issue(params=params, formats=[fmt])
        if report.state == BriefingReport.State.FAILED:
            raise CommandError(_("briefing {id} failed: {error}").format(id=report.pk, error=report.error))
        output = Path(options["output"])
        with getattr(report, fmt).open("rb") as source, output.open("wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(
            _(
                "Briefing {id}: {title} [TLP:{tlp}] -> {file} ({size} bytes)\n"
                "data digest {digest}\n{format} SHA-256 {sha256}"
            ).format(
                id=report.pk,
                title=report.title,
                tlp=report.tlp,
                file=output,
                size=number_format(output.stat().st_size, force_grouping=True),
                digest=report.data_digest,
                format=fmt,
                sha256=getattr(report, f"{fmt}_sha256"),
            )
        )
