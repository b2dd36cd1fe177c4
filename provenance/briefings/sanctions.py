"""The briefing section "Sanctions status of the makers": tables (computed with the data), context and CSV.

- `sanctions_tables(...)` adds two tables to `BriefingData.tables` (so the digest covers them):
  `sanctions` (the coverage of `provenance.selectors.sanctions`) and `sanctions_after` (per listed maker,
  how many of its dated parts were produced after its first listing, by the analytics' produced-after rule);
- `sanctions_context(data)` gives the template the maker x authority matrix, the makers listed by some
  authorities and not by others, the frequent makers listed by none, and the parts produced after their
  maker's listing; every statement names the date kind it rests on (listing, entry into force, first seen);
- `sanctions_csv_sections(data)` gives the same as CSV sections.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from provenance.selectors.analytics import AnalyticsFilters, produced_after
from provenance.selectors.sanctions import coverage_rule, date_kind_label, sanctions_coverage
from provenance.templatetags.briefing import fmt_date

__all__ = ["sanctions_context", "sanctions_csv_sections", "sanctions_tables"]

MATRIX_ROWS = 20
UNLISTED_ROWS = 10


def _first_dated(designations: list[dict[str, Any]]) -> dict[str, Any] | None:
    dated = [d for d in designations if d["listed_on"]]
    return min(dated, key=lambda d: d["listed_on"]) if dated else None


def sanctions_tables(
    *,
    filters: AnalyticsFilters,
    unit: str,
    foreign_only: bool,
    as_of: dt.date | None,
    items: QuerySet | None,
) -> dict[str, Any]:
    """The coverage of the selection and, per listed maker, its parts produced after its first listing.

    Makers that share a first listing date share one produced-after query (EU packages list many at once).
    """
    coverage = sanctions_coverage(filters=filters, unit=unit, foreign_only=foreign_only, as_of=as_of, items=items)
    by_date: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for row in coverage["rows"]:
        first = _first_dated(row["designations"]) if row["key"] is not None else None
        if first:
            by_date[first["listed_on"]].append((row, first))
    after_rows = []
    for listed_on, makers in sorted(by_date.items()):
        result = produced_after(
            filters=filters,
            after=dt.date.fromisoformat(listed_on),
            by="manufacturer",
            unit=unit,
            foreign_only=foreign_only,
            items=items,
        )
        counts = {r["key"]: r for r in result["rows"]}
        for row, first in makers:
            found = counts.get(row["key"], {"dated": 0, "undated": 0, "produced_after": 0})
            after_rows.append(
                {
                    "key": row["key"],
                    "authority": first["authority"],
                    "programme": first["programme"],
                    "listed_on": listed_on,
                    "date_kind": first["date_kind"],
                    "via": first["via"],
                    "dated": found["dated"],
                    "undated": found["undated"],
                    "produced_after": found["produced_after"],
                }
            )
    after_rows.sort(key=lambda r: (-r["produced_after"], r["key"]))
    return {"sanctions": coverage, "sanctions_after": {"as_of": coverage["as_of"], "rows": after_rows}}


def _date(iso: str) -> str:
    """An ISO date of the tables as the briefing writes dates (7 вересня 2025)."""
    return fmt_date(dt.date.fromisoformat(iso))


def _since(designation: dict[str, Any], *, iso: bool = False) -> str:
    if not designation["listed_on"]:
        return _("listed (the list gives no date)")
    return _("since %(date)s (%(kind)s date)") % {
        "date": designation["listed_on"] if iso else _date(designation["listed_on"]),
        "kind": date_kind_label(designation["date_kind"]),
    }


def _cell(designations: list[dict[str, Any]], authority: str, *, iso: bool = False) -> str:
    """What the briefing says of a maker and an authority; `iso`: dates as in the CSV (2025-02-24)."""
    found = [d for d in designations if d["authority"] == authority]
    if not found:
        return "—"
    first = _first_dated(found) or found[0]
    return _since(first, iso=iso)


def sanctions_context(data) -> dict[str, Any]:
    """What the template's sanctions section shows (from the tables computed with the data)."""
    coverage = data.tables["sanctions"]
    authorities = coverage["authorities"]
    makers = [r for r in coverage["rows"] if r["key"] is not None]
    matrix = [
        {"label": r["label"], "count": r["count"], "cells": [_cell(r["designations"], a) for a in authorities]}
        for r in makers[:MATRIX_ROWS]
    ]
    split = []
    for r in makers:
        if r["listed_by"] and r["not_listed_by"]:
            listed = "; ".join(f"{a} {_cell(r['designations'], a)}" for a in r["listed_by"])
            split.append(
                _("%(maker)s (%(count)s): listed by %(listed)s; not by %(not_listed)s.")
                % {
                    "maker": r["label"],
                    "count": r["count"],
                    "listed": listed,
                    "not_listed": ", ".join(r["not_listed_by"]),
                }
            )
    unlisted = [
        {"label": r["label"], "country": r["country"], "count": r["count"]} for r in makers if not r["listed_by"]
    ][:UNLISTED_ROWS]
    after = [
        _(
            "%(maker)s: %(after)s of %(dated)s dated parts produced after %(date)s, the %(kind)s date of its "
            "%(authority)s designation (%(programme)s)."
        )
        % {
            "maker": r["key"],
            "after": r["produced_after"],
            "dated": r["dated"],
            "date": _date(r["listed_on"]),
            "kind": date_kind_label(r["date_kind"]),
            "authority": r["authority"],
            "programme": r["programme"] or r["authority"],
        }
        for r in data.tables["sanctions_after"]["rows"]
        if r["dated"]
    ]
    return {
        "sanctions_authorities": authorities,
        "sanctions_matrix": matrix,
        "sanctions_matrix_more": max(0, len(makers) - MATRIX_ROWS),
        "sanctions_split": split,
        "sanctions_unlisted": unlisted,
        "sanctions_after": after,
        "sanctions_summary": [{"authority": a, **coverage["summary"][a]} for a in authorities],
        "sanctions_as_of": _date(coverage["as_of"]),
    }


def sanctions_csv_sections(data) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    """The section as CSV: the full matrix (with each designation's date kind) and the produced-after table."""
    coverage = data.tables["sanctions"]
    authorities = coverage["authorities"]
    yield (
        f"Sanctions status of the makers: {coverage_rule(coverage)}",
        ["key", "label", "country", "count", *authorities, "listed by", "not listed by"],
        [
            [r["key"], r["label"], r["country"], r["count"],
             *(_cell(r["designations"], a, iso=True) for a in authorities),
             " ".join(r["listed_by"]), " ".join(r["not_listed_by"])]
            for r in coverage["rows"]
        ],
    )  # fmt: skip
    yield (
        f"Parts produced after their maker's first listing (date codes; whole production week after the date); "
        f"designations in force on {coverage['as_of']}",
        ["maker", "authority", "programme", "listed on", "date kind", "via", "dated", "undated", "produced after"],
        [
            [r["key"], r["authority"], r["programme"], r["listed_on"], r["date_kind"], r["via"], r["dated"],
             r["undated"], r["produced_after"]]
            for r in data.tables["sanctions_after"]["rows"]
        ],
    )  # fmt: skip
