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
from django.core.management.base import BaseCommand, CommandError, CommandParser

from provenance.briefings.params import params_from_query
from provenance.management.commands._analytics_output import add_selection_arguments
from provenance.models import BriefingReport
from provenance.selectors.analytics import PERIODS
from provenance.services.briefings import FORMATS, briefing_issue


class Command(BaseCommand):
    help = "A sanctions briefing (HTML, PDF or CSV) for a weapon, family, item or date range."

    def add_arguments(self, parser: CommandParser) -> None:
        add_selection_arguments(parser)
        parser.add_argument("--period", choices=PERIODS, default="recovered", help="periods of the shift table")
        parser.add_argument(
            "--produced-after", dest="produced_after", metavar="DATE", help="restrictions date (default 2022-02-24)"
        )
        parser.add_argument("--title", default="", help="title on the cover (default: from the selection)")
        parser.add_argument("--note", default="", help="analyst's note printed on the cover")
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write the report")

    def handle(self, *args, **options) -> None:
        keys = (
            *("weapon", "family", "item", "from", "to", "attribution", "unit", "as_of", "period", "produced_after"),
            "status",
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
            raise CommandError("invalid options:\n  " + "\n  ".join(lines)) from error
        fmt = options["format"]
        report = briefing_issue(params=params, formats=[fmt])
        if report.state == BriefingReport.State.FAILED:
            raise CommandError(f"briefing {report.pk} failed: {report.error}")
        output = Path(options["output"])
        with getattr(report, fmt).open("rb") as source, output.open("wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(
            f"Briefing {report.pk}: {report.title} [TLP:{report.tlp}] -> {output} "
            f"({output.stat().st_size:,} bytes)\n"
            f"data digest {report.data_digest}\n{fmt} SHA-256 {getattr(report, f'{fmt}_sha256')}"
        )
