"""`manage.py breakdown`: one breakdown (per country, manufacturer, category, CHPL tier or module).

manage.py breakdown --weapon 9M727 --from 2025-01-01 --to 2025-12-31
manage.py breakdown --family Iskander --by manufacturer --attribution parent --format csv
manage.py breakdown --weapon 9M727 --produced-after 2022-02-24   # production-date evidence
"""

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.selectors.analytics import breakdown

from ._analytics_output import (
    add_filter_arguments,
    add_produced_after_argument,
    heading,
    parse_options,
    percent,
    render,
)
from .produced_after import render_produced_after


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Counts per country / manufacturer / category / CHPL tier / module, with the counting rule stated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_filter_arguments(parser)
        add_produced_after_argument(
            parser, gettext_lazy("instead: how many dated parts were produced after DATE (e.g. 2022-02-24)")
        )

    def handle(self, *args, **options) -> None:
        fmt = options["format"]
        if options.get("produced_after"):
            form = parse_options(options, ("produced_after",))
            self.stdout.write(render_produced_after(form, fmt), ending="")
            return
        form = parse_options(options)
        result = breakdown(**form.breakdown_kwargs())
        header = [heading(name, fmt) for name in ("key", "label", "count", "share")]
        rows = [[r["key"], r["label"], r["count"], percent(r["share"], fmt)] for r in result["rows"]]
        if fmt == "table":
            rows.append(["", _("total"), result["total"], percent(1.0 if result["total"] else 0.0, fmt)])
        self.stdout.write(render(result, header, rows, fmt), ending="")
