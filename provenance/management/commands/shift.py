"""`manage.py shift`: year-over-year shift of shares (per year recovered, analysed or produced).

manage.py shift --weapon 9M727 --by country --period recovered
manage.py shift --family Iskander --foreign-only --format csv
"""

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.selectors.analytics import PERIODS, shift

from ._analytics_output import add_filter_arguments, heading, parse_options, percent, render


class Command(LocalizedCommand):
    help = gettext_lazy("Counts and shares per year, and the change in share (percentage points) from the year before.")

    def add_arguments(self, parser: CommandParser) -> None:
        add_filter_arguments(parser)
        parser.add_argument(
            "--period",
            choices=PERIODS,
            default="recovered",
            help=gettext_lazy("the year recovered, analysed or produced"),
        )

    def handle(self, *args, **options) -> None:
        fmt = options["format"]
        form = parse_options(options, ("period",))
        result = shift(**form.shift_kwargs())
        years = [str(p["period"]) for p in result["periods"]]
        header = [heading("key", fmt), heading("label", fmt)]
        for year in years:
            header += [f"{year} {heading(name, fmt)}" for name in ("count", "share", "change_pp")]
        rows = []
        for r in result["rows"]:
            row = [r["key"], r["label"]]
            for year in years:
                row += [r["counts"][year], percent(r["shares"][year], fmt), r["change_pp"].get(year)]
            rows.append(row)
        if fmt == "table":
            total_row = ["", _("total")]
            for p in result["periods"]:
                total_row += [p["total"], percent(1.0, fmt), None]
            rows.append(total_row)
        self.stdout.write(render(result, header, rows, fmt), ending="")
