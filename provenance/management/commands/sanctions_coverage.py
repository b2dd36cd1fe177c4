"""`manage.py sanctions_coverage`: who lists the makers of a selection of findings, since when, and who not.

manage.py sanctions_coverage --weapon 9M727 --from 2025-01-01 --to 2025-12-31
manage.py sanctions_coverage --item KYIV-2025-09-07-CAB --as-of 2025-06-30 --format json
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from provenance.selectors.sanctions import coverage_rule, sanctions_coverage

from ._analytics_output import FORMATS, add_selection_arguments, parse_options, to_csv, to_table


def coverage_cell(designations: list[dict[str, Any]], authority: str) -> str:
    """One maker x authority cell: "since 2025-02-24 (listing, match)", "listed (no date)" or "not listed"."""
    found = [d for d in designations if d["authority"] == authority]
    if not found:
        return "not listed"
    first = min(found, key=lambda d: d["listed_on"] or "9999")
    via = "/".join(sorted({d["via"] for d in found}))
    if not first["listed_on"]:
        return f"listed (no date; {via})"
    return f"since {first['listed_on']} ({first['date_kind']}; {via})"


def coverage_table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The maker x authority matrix with the per-authority summary rows below it."""
    authorities = result["authorities"]
    header = ["key", "label", "country", "count", *authorities]
    rows: list[list[Any]] = [
        [r["key"], r["label"], r["country"], r["count"],
         *(("maker unknown" if r["key"] is None else coverage_cell(r["designations"], a)) for a in authorities)]
        for r in result["rows"]
    ]  # fmt: skip
    for measure in ("listed", "not_listed", "maker_unknown"):
        rows.append(
            ["", f"units {measure.replace('_', ' ')}", "", None, *(result["summary"][a][measure] for a in authorities)]
        )
    return header, rows


class Command(BaseCommand):
    help = "Per manufacturer in the selection: units, designations in force, authorities that list it and not."

    def add_arguments(self, parser: CommandParser) -> None:
        add_selection_arguments(parser)
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args, **options) -> None:
        form = parse_options(options)
        result = sanctions_coverage(**form.breakdown_kwargs())
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n", ending="")
            return
        header, rows = coverage_table(result)
        rule = coverage_rule(result)
        self.stdout.write((to_csv if fmt == "csv" else to_table)(header, rows, rule), ending="")
