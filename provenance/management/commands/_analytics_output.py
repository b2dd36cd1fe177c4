"""Shared options and renderers (table, JSON, formula-safe CSV) of the analytics commands.

The module name starts with an underscore, so Django does not list it as a command.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.exports import safe_cell
from provenance.filters import AnalyticsParamsForm
from provenance.selectors.analytics import ATTRIBUTIONS, DIMENSIONS, STATUSES, UNITS, counting_rule

FORMATS = ("table", "json", "csv")


def add_selection_arguments(parser: CommandParser) -> None:
    """The filters and counting rules shared by every analytics command and `briefing`."""
    parser.add_argument("--weapon", help=gettext_lazy("weapon model designation or alias (e.g. 9M727, Iskander-K)"))
    parser.add_argument("--family", help=gettext_lazy("all weapon models of a family (e.g. Iskander)"))
    parser.add_argument("--item", help=gettext_lazy("one recovered item, by reference"))
    parser.add_argument("--from", dest="from", metavar="DATE", help=gettext_lazy("recovered on or after (YYYY-MM-DD)"))
    parser.add_argument("--to", dest="to", metavar="DATE", help=gettext_lazy("recovered on or before (YYYY-MM-DD)"))
    parser.add_argument("--attribution", choices=ATTRIBUTIONS, default="hq")
    parser.add_argument("--unit", choices=UNITS, default="units")
    parser.add_argument(
        "--foreign-only",
        dest="foreign_only",
        action="store_true",
        help=gettext_lazy("leave out parts of the weapon model's own country"),
    )
    parser.add_argument(
        "--as-of", dest="as_of", metavar="DATE", help=gettext_lazy("ownership reference date (default today)")
    )
    parser.add_argument(
        "--status",
        choices=STATUSES,
        help=gettext_lazy("lowest review status counted (default: any, the working view; briefings: verified)"),
    )


def add_filter_arguments(parser: CommandParser) -> None:
    """The options common to `breakdown`, `shift` and `produced_after`: the selection, `--by`, `--format`."""
    add_selection_arguments(parser)
    parser.add_argument("--by", choices=DIMENSIONS, default="country")
    parser.add_argument("--format", choices=FORMATS, default="table", help=gettext_lazy("table (default), json or csv"))


def add_produced_after_argument(parser: CommandParser, help: str) -> None:
    """`--produced-after DATE`, as `breakdown` and `produced_after` take it."""
    parser.add_argument("--produced-after", dest="produced_after", metavar="DATE", help=help)


def parse_options(options: dict[str, Any], names: tuple[str, ...] = ()) -> AnalyticsParamsForm:
    """Validate command options with the shared form; raise CommandError with per-field messages."""
    keys = ("weapon", "family", "item", "from", "to", "by", "attribution", "unit", "as_of", "status", *names)
    data = {key: options[key] for key in keys if options.get(key) not in (None, "")}
    if options.get("foreign_only"):
        data["foreign_only"] = "1"
    form = AnalyticsParamsForm(data)
    if not form.is_valid():
        lines = [f"--{field.replace('_', '-')}: {msg}" for field, msgs in form.error_dict().items() for msg in msgs]
        raise CommandError(_("invalid options:") + "\n  " + "\n  ".join(lines))
    return form


# Column headings of the tables, in the user's language; CSV keeps the keys (machine-readable, like the JSON).
HEADINGS = {
    "key": gettext_lazy("key"),
    "label": gettext_lazy("label"),
    "country": gettext_lazy("country"),
    "count": gettext_lazy("count"),
    "share": gettext_lazy("share"),
    "change_pp": gettext_lazy("change, pp"),
    "dated": gettext_lazy("dated"),
    "produced_after": gettext_lazy("produced after"),
    "share_after": gettext_lazy("share after"),
    "undated": gettext_lazy("undated"),
}


def heading(name: str, fmt: str) -> str:
    """A column heading: translated in a table, the key itself in CSV."""
    return str(HEADINGS.get(name, name)) if fmt == "table" else name


def to_csv(header: list[str], rows: list[list[Any]], rule: str) -> str:
    """CSV text: a comment line with the counting rule, the header, the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(f"# {rule}")])
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def to_table(header: list[str], rows: list[list[Any]], rule: str) -> str:
    """A plain-text table with the counting rule above it; numbers right-aligned."""
    cells = [[("" if v is None else str(v)) for v in row] for row in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(_is_number(row[i]) for row in rows) for i in range(len(header))]
    lines = [rule, ""]
    for index, row in enumerate(cells):
        lines.append(
            "  ".join(
                (v.rjust(w) if numeric[i] and index else v.ljust(w))
                for i, (v, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) or value is None or (isinstance(value, str) and value.endswith("%"))


def render(result: dict, header: list[str], rows: list[list[Any]], fmt: str) -> str:
    """The result in `fmt`: JSON as the selector returns it, or a table / CSV headed by the counting rule."""
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    rule = counting_rule(result)
    return to_csv(header, rows, rule) if fmt == "csv" else to_table(header, rows, rule)


def percent(share: float | None, fmt: str) -> Any:
    """Shares as fractions in CSV (machine-readable), as percentages in tables."""
    if share is None:
        return None
    return share if fmt == "csv" else f"{number_format(share * 100, 1)}%"
