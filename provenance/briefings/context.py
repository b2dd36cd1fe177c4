"""What the briefing template shows: the selectors' rows cut to the size of a page, with bar widths and charts.

Numbers stay numbers here; the template formats them with the briefing filters (`{% load briefing %}`), and the
sentences come from `prose`. The numbers themselves are the analytics selectors' results held in
`BriefingData`, never recomputed.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from config.common.countries import country_name
from provenance.models import Finding
from provenance.models.items import TLP_COLOUR
from provenance.selectors.analytics import ATTRIBUTION_RULES, UNIT_RULES
from provenance.templatetags.briefing import fmt_date

from . import prose
from .data import BriefingData
from .photos import briefing_photos
from .sanctions import sanctions_context

__all__ = ["briefing_context"]

CHART_ROWS = 12
SHIFT_ROWS = 12
TOP_MANUFACTURERS = 15
COUNTRY_ROWS = 20
SHIFT_PERIODS = 6


def briefing_context(
    data: BriefingData,
    *,
    generated_at: dt.datetime | None = None,
    requested_by: str = "",
    organisation: str = "",
    report_id: int | None = None,
    charts: bool = True,
) -> dict[str, Any]:
    """Everything the template shows."""
    params = data.params
    tables = data.tables
    unit_name = UNIT_RULES[params.unit].label
    as_of = tables["parent"].get("as_of") or dt.date.today().isoformat()
    country = tables["country"]
    shift = tables["shift"]
    periods = shift["periods"][-SHIFT_PERIODS:]
    context = {
        "title": params.title or prose.default_title(data),
        "note": params.note,
        "tlp": data.tlp,
        "tlp_label": f"TLP:{data.tlp}",
        "tlp_class": data.tlp.lower().replace("+", "-"),
        "tlp_meaning": str(prose.TLP_MEANING[data.tlp]),
        "tlp_color": TLP_COLOUR[data.tlp],
        "generated_at": generated_at or timezone.now(),
        "requested_by": requested_by,
        "organisation": organisation,
        "report_id": report_id,
        "digest": data.digest,
        "scope": prose.scope(data, organisation=organisation),
        "rules": prose.counting_rules(data, as_of=as_of),
        "key_figures": prose.key_figures(data),
        "headline": prose.headline(data, top_country=next((r for r in country["rows"] if r["key"] is not None), None)),
        "key_points": prose.key_points(data),
        "unit_name": unit_name,
        "attribution_text": ATTRIBUTION_RULES[params.attribution].rule.format(
            as_of=fmt_date(dt.date.fromisoformat(as_of))
        ),
        "as_of": dt.date.fromisoformat(as_of),
        "total": country["total"],
        "country_rows": _bar_rows(_fold(country["rows"], COUNTRY_ROWS, _("other countries"))),
        "manufacturer_rows": _bar_rows(_top_makers(tables["manufacturer"]["rows"])),
        "manufacturer_more": _more(tables["manufacturer"]["rows"]),
        "parent_rows": _bar_rows(_top_makers(tables["parent"]["rows"])),
        "parent_more": _more(tables["parent"]["rows"]),
        "shift": shift,
        "shift_periods": [p["period"] for p in periods],
        "shift_periods_hidden": len(shift["periods"]) - len(periods),
        "shift_rows": _shift_rows(shift["rows"][:SHIFT_ROWS], [str(p["period"]) for p in periods]),
        "shift_rows_hidden": max(0, len(shift["rows"]) - SHIFT_ROWS),
        "shift_totals": [p["total"] for p in periods],
        "chpl_rows": [
            {**r, "note": prose.CHPL_NOTE.get(r["key"] or "", "")}
            for r in _bar_rows(_fold(tables["chpl"]["rows"], 10, _("other tiers")))
        ],
        "after": tables["produced_after"],
        "after_rows": [r for r in tables["produced_after"]["rows"] if r["dated"]][:CHART_ROWS],
        "produced_after": params.produced_after,
        "items": data.items,
        "items_total": data.items_total,
        "items_hidden": max(0, data.items_total - len(data.items)),
        "annex": _annex_rows(data.annex),
        "annex_total": data.annex_total,
        "annex_hidden": max(0, data.annex_total - len(data.annex)),
        "photo_annex": briefing_photos(items=data.selected_items),
    }
    context.update(sanctions_context(data))
    if charts:
        context.update(_charts(country, shift, unit_name=unit_name))
    return context


def _top_makers(rows: list[dict]) -> list[dict]:
    """The largest makers, then the unknown row (a table of makers should lead with makers)."""
    known = [r for r in rows if r["key"] is not None][:TOP_MANUFACTURERS]
    return known + [r for r in rows if r["key"] is None]


def _more(rows: list[dict]) -> int:
    return max(0, sum(1 for r in rows if r["key"] is not None) - TOP_MANUFACTURERS)


def _fold(rows: list[dict], limit: int, label: str) -> list[dict]:
    """The first `limit` known rows, one row summing the rest (labelled `label`), then the unknown row."""
    known = [r for r in rows if r["key"] is not None]
    unknown = [r for r in rows if r["key"] is None]
    if len(known) <= limit:
        return known + unknown
    rest = known[limit:]
    other = {
        "key": "",
        "label": f"{label} ({len(rest)})",
        "count": sum(r["count"] for r in rest),
        "share": sum(r["count"] for r in rest) / (sum(r["count"] for r in rows) or 1),
        "other": True,
    }
    return [*known[:limit], other, *unknown]


def _bar_rows(rows: list[dict]) -> list[dict]:
    """The rows with the width of their bar, in per cent of the largest row."""
    top = max((r["count"] for r in rows), default=0) or 1
    return [{**r, "bar": round(100 * r["count"] / top, 1)} for r in rows]


def _shift_rows(rows: list[dict], periods: list[str]) -> list[dict]:
    """Per country: (count, share) in each period shown, and the change in share into the last one."""
    return [
        {
            "label": row["label"],
            "cells": [{"count": row["counts"].get(p, 0), "share": row["shares"].get(p, 0.0)} for p in periods],
            "change": row["change_pp"].get(periods[-1]) if len(periods) > 1 else None,
        }
        for row in rows
    ]


def _annex_rows(rows: list[dict]) -> list[dict]:
    """The annex's findings with the country's name, the confidence's label and the production week."""
    confidences = dict(Finding.Confidence.choices)
    return [
        {
            **row,
            "country_name": country_name(row["country"]),
            "confidence": confidences.get(row["confidence"], row["confidence"]),
            "produced": (
                f"{row['produced_year']}-W{row['produced_week']:02d}"
                if row["produced_year"] and row["produced_week"]
                else (str(row["produced_year"]) if row["produced_year"] else "")
            ),
        }
        for row in rows
    ]


def _charts(country: dict, shift: dict, *, unit_name: str) -> dict[str, str]:
    """The country chart, and the shift chart when there are two periods to compare."""
    from provenance.charts import bar_chart_svg, shift_chart_svg

    charts = {
        "country_chart": _data_url(
            bar_chart_svg(
                country["rows"][:CHART_ROWS],
                title=_("{unit} by maker's country").format(unit=unit_name.capitalize()),
                xlabel=unit_name.capitalize(),
                ylabel=_("Country"),
            )
        )
    }
    if len(shift["periods"]) > 1:
        charts["shift_chart"] = _data_url(
            shift_chart_svg(_shift_for_chart(shift), title=_("Share by maker's country and year"))
        )
    return charts


def _shift_for_chart(shift: dict) -> dict:
    """The shift result limited to the rows and periods the table shows, so chart and table agree."""
    periods = shift["periods"][-SHIFT_PERIODS:]
    keep = {str(p["period"]) for p in periods}
    rows = [
        {
            **row,
            "counts": {k: v for k, v in row["counts"].items() if k in keep},
            "shares": {k: v for k, v in row["shares"].items() if k in keep},
            "change_pp": {k: v for k, v in row["change_pp"].items() if k in keep},
        }
        for row in shift["rows"][:8]
    ]
    return {**shift, "periods": periods, "rows": rows}


def _data_url(svg: str) -> str:
    """An SVG chart as a data: URL for an <img>.

    Not inline <svg>: WeasyPrint draws an SVG image with its own renderer (inline SVG goes through the HTML
    style engine, ten times slower), two charts cannot clash on matplotlib's element ids, and nothing in an
    SVG image can run in a browser.
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
