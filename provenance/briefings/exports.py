"""A briefing as one formula-safe CSV: every table of the briefing, then every recovered item and finding.

It writes what `BriefingData` holds and streams what the data layer reads for it (`all_items`,
`all_findings`); it runs no query of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from config.common.exports import escape_formula
from provenance.selectors.analytics import counting_rule

from .data import ANNEX_COLUMNS, BriefingData, all_findings, all_items
from .prose import default_title
from .sanctions import sanctions_csv_sections

__all__ = ["csv_safe", "csv_sections", "write_csv"]


def csv_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading apostrophe.

    Numbers stay numbers (a negative change in share is data, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    return escape_formula(value.isoformat() if isinstance(value, dt.date) else str(value))


def csv_sections(data: BriefingData) -> Iterator[tuple[str, list[str], Iterable[list[Any]]]]:
    """The briefing's tables as (section title, header, rows); the item list and annex are complete."""
    params = data.params
    tables = data.tables
    yield (
        "Briefing",
        ["field", "value"],
        [
            ["title", params.title or default_title(data)],
            ["TLP", f"TLP:{data.tlp}"],
            ["data digest (SHA-256)", data.digest],
            *[[k, v] for k, v in params.to_json().items() if k not in ("title", "note") and v not in (None, "", [])],
        ],
    )
    yield ("Key figures", ["figure", "value"], [[k, v] for k, v in data.key_figures.items()])
    for name, title in (
        ("country", "By maker's country"),
        ("manufacturer", "Top manufacturers (as recorded)"),
        ("parent", "Top manufacturers rolled up to the ultimate parent"),
        ("chpl", "By CHPL tier"),
    ):
        table = tables[name]
        rows = [[r["key"], r["label"], r["count"], r["share"]] for r in table["rows"]]
        yield (f"{title}: {counting_rule(table)}", ["key", "label", "count", "share"], rows)
    shift = tables["shift"]
    periods = [str(p["period"]) for p in shift["periods"]]
    yield (
        f"Year-over-year shift by country: {counting_rule(shift)}",
        ["key", "label"]
        + [f"{p} count" for p in periods]
        + [f"{p} share" for p in periods]
        + [f"{p} change (pp)" for p in periods[1:]],
        [
            [r["key"], r["label"]]
            + [r["counts"].get(p, 0) for p in periods]
            + [r["shares"].get(p, 0.0) for p in periods]
            + [r["change_pp"].get(p) for p in periods[1:]]
            for r in shift["rows"]
        ],
    )
    after = tables["produced_after"]
    yield (
        f"Produced after {after['after']} (from date codes): {counting_rule(after)}",
        ["key", "label", "dated", "undated", "produced after", "share of dated"],
        [
            [r["key"], r["label"], r["dated"], r["undated"], r["produced_after"], r["share_after"]]
            for r in after["rows"]
        ],
    )
    yield from sanctions_csv_sections(data)
    yield (
        "Recovered items",
        ["reference", "weapon", "recovered on", "place", "strike", "status", "TLP", "lines", "units", "sources"],
        (
            [
                i["reference"],
                i["weapon"],
                i["recovered_on"],
                i["place"],
                i["strike"],
                i["status"],
                i["tlp"],
                i["lines"],
                i["units"],
                "; ".join(f"{s['publisher']}: {s['title']} {s['url']}".strip() for s in i["sources"]),
            ]
            for i in all_items(data)
        ),
    )
    yield (
        "Annex: every finding",
        [header for _lookup, header in ANNEX_COLUMNS],
        ([row[lookup] for lookup, _header in ANNEX_COLUMNS] for row in all_findings(data)),
    )


def write_csv(data: BriefingData, binary_file) -> None:
    """Write the tables as one CSV (UTF-8 with BOM for spreadsheets): per table a title row, a header, rows
    and a blank row. Streams: the annex may hold a million findings."""
    text = io.TextIOWrapper(binary_file, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    for title, header, rows in csv_sections(data):
        writer.writerow([csv_safe(title)])
        writer.writerow([csv_safe(h) for h in header])
        for row in rows:
            writer.writerow([csv_safe(v) for v in row])
        writer.writerow([])
    text.flush()
    text.detach()
