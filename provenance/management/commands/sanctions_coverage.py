"""`manage.py sanctions_coverage`: who lists the makers of a selection of findings, since when, and who not.

manage.py sanctions_coverage --weapon 9M727 --from 2025-01-01 --to 2025-12-31
manage.py sanctions_coverage --item KYIV-2025-09-07-CAB --as-of 2025-06-30 --format json
"""

import json

from django.core.management.base import CommandParser
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.selectors.sanctions import coverage_rule, coverage_table, sanctions_coverage

from ._analytics_output import FORMATS, add_selection_arguments, heading, parse_options, to_csv, to_table


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Per manufacturer in the selection: units, designations in force, authorities that list it and not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_selection_arguments(parser)
        parser.add_argument(
            "--format", choices=FORMATS, default="table", help=gettext_lazy("table (default), json or csv")
        )

    def handle(self, *args, **options) -> None:
        form = parse_options(options)
        result = sanctions_coverage(**form.breakdown_kwargs())
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n", ending="")
            return
        header, rows = coverage_table(result)
        header = [heading(name, fmt) for name in header]
        rule = coverage_rule(result)
        self.stdout.write((to_csv if fmt == "csv" else to_table)(header, rows, rule), ending="")
