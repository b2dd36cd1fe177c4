"""Rendering a briefing: HTML and PDF from one template (WeasyPrint), and a formula-safe CSV of its tables.

The template gets display-ready rows (formatted numbers, bar widths, chart SVG); the numbers themselves
are the analytics selectors' results held in `BriefingData`, never recomputed here.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from config.common.countries import country_name
from config.common.exports import escape_formula
from config.common.text import localized
from provenance.models.items import TLP_COLOUR
from provenance.selectors.analytics import ATTRIBUTION_RULES, STATUS_RULES, UNIT_RULES, counting_rule

from .data import BriefingData, annex_rows_iter, list_items
from .photos import briefing_photos
from .sanctions import sanctions_context, sanctions_csv_sections

TEMPLATE = "provenance/briefing/report.html"
CHART_ROWS = 12
SHIFT_ROWS = 12
TOP_MANUFACTURERS = 15
COUNTRY_ROWS = 20
SHIFT_PERIODS = 6

TLP_MEANING = {
    "CLEAR": gettext_lazy("Disclosure is not limited."),
    "GREEN": gettext_lazy("Limited disclosure: recipients may share within their community, not publicly."),
    "AMBER": gettext_lazy(
        "Limited disclosure: recipients may share only on a need-to-know basis within their "
        "organisation and its clients."
    ),
    "AMBER+STRICT": gettext_lazy(
        "Limited disclosure: recipients may share only on a need-to-know basis within their organisation."
    ),
    "RED": gettext_lazy("For the eyes and ears of individual recipients only; no further disclosure."),
}

CHPL_NOTE = {
    "1": gettext_lazy("integrated circuits"),
    "2": gettext_lazy("wireless, navigation and passive components"),
    "3.A": gettext_lazy("discrete and other electronic components"),
}


def fmt_int(value: int | None) -> str:
    """1234567 -> "1,234,567" ("1 234 567" in Ukrainian; an en dash for no value)."""
    return "–" if value is None else number_format(value, force_grouping=True)


def fmt_share(value: float | None) -> str:
    """0.3512 -> "35.1%" ("35,1%" in Ukrainian; an en dash for no value)."""
    return "–" if value is None else number_format(round(value * 100, 1), 1) + "%"


def fmt_pp(value: float | None) -> str:
    """-42.14 -> "−42.1 pp" with a real minus sign; "+3.0 pp"; an en dash for no value."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return _("{sign}{value} pp").format(sign=sign, value=number_format(round(abs(value), 1), 1))


def fmt_date(value: dt.date | None, precision: str = "day") -> str:
    """A date at the precision known, in the active language: 7 Sep 2025, Sep 2025 or 2025 (7 вересня 2025)."""
    if value is None:
        return "–"
    if precision == "year":
        return f"{value:%Y}"
    ukrainian = (get_language() or "").startswith("uk")
    if precision == "month":
        return date_format(value, "F Y").lower() if ukrainian else date_format(value, "M Y")

    return date_format(value, "j E Y" if ukrainian else "j M Y")


def default_title(data: BriefingData) -> str:
    """A title from the selection when the analyst typed none."""
    params = data.params
    if params.item:
        return _("{what}: recovered item {item}").format(what=_what(params), item=params.item)
    if params.weapon and len(data.weapons) == 1:
        weapon = data.weapons[0]
        name = localized(weapon["weapon_model__name"], weapon.get("weapon_model__name_uk", ""))
        designation = weapon["weapon_model__designation"]
        label = designation if not name or name == designation else f"{designation} {name}"
        return _("{what} in the {weapon}").format(what=_what(params), weapon=label)
    if params.weapon:
        return _("{what} in the {weapon}").format(what=_what(params), weapon=params.weapon)
    if params.family:
        return _("{what} in weapons of the {family} family").format(what=_what(params), family=params.family)
    if params.items:
        return _("{what} in selected recovered items").format(what=_what(params))
    return _("{what} in recovered weapons").format(what=_what(params))


def _what(params) -> str:
    return _("Foreign-made components") if params.foreign_only else _("Where the components were made")


def _top_makers(rows: list[dict]) -> list[dict]:
    """The largest makers, then the unknown row (a table of makers should lead with makers)."""
    known = [r for r in rows if r["key"] is not None][:TOP_MANUFACTURERS]
    return known + [r for r in rows if r["key"] is None]


def _weapon_list(weapons: list[dict]) -> str:
    """ "9M727 Iskander-K" for one or a few models; designations only when there are many."""
    if len(weapons) > 4:
        return _("{count} models: ").format(count=len(weapons)) + ", ".join(
            w["weapon_model__designation"] for w in weapons
        )
    labels = []
    for w in weapons:
        designation = w["weapon_model__designation"]
        name = localized(w["weapon_model__name"] or "", w.get("weapon_model__name_uk", ""))
        labels.append(name if name.startswith(designation) else f"{designation} {name}".strip())
    return ", ".join(labels)


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


def _more(rows: list[dict]) -> int:
    return max(0, sum(1 for r in rows if r["key"] is not None) - TOP_MANUFACTURERS)


def _bar_rows(rows: list[dict], total: int) -> list[dict]:
    top = max((r["count"] for r in rows), default=0) or 1
    return [
        {
            **r,
            "label": r["label"],
            "count_text": fmt_int(r["count"]),
            "share_text": fmt_share(r["share"]),
            "bar": round(100 * r["count"] / top, 1),
        }
        for r in rows
    ]


def _data_url(svg: str) -> str:
    """An SVG chart as a data: URL for an <img>.

    Not inline <svg>: WeasyPrint draws an SVG image with its own renderer (inline SVG goes through the HTML
    style engine, ten times slower), two charts cannot clash on matplotlib's element ids, and nothing in an
    SVG image can run in a browser.
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def briefing_context(
    data: BriefingData,
    *,
    generated_at: dt.datetime | None = None,
    requested_by: str = "",
    organisation: str = "",
    report_id: int | None = None,
    charts: bool = True,
) -> dict[str, Any]:
    """Everything the template shows, formatted for reading."""
    params = data.params
    tables = data.tables
    unit_name, unit_rule = UNIT_RULES[params.unit]
    attribution_rule = ATTRIBUTION_RULES[params.attribution].rule
    as_of = tables["parent"].get("as_of") or dt.date.today().isoformat()
    country = tables["country"]
    total = country["total"]
    shift = tables["shift"]
    periods = [p["period"] for p in shift["periods"]][-SHIFT_PERIODS:]
    shift_rows = []
    for row in shift["rows"][:SHIFT_ROWS]:
        cells = []
        for period in periods:
            key = str(period)
            cells.append({"count": fmt_int(row["counts"].get(key, 0)), "share": fmt_share(row["shares"].get(key, 0.0))})
        last_change = row["change_pp"].get(str(periods[-1])) if len(periods) > 1 else None
        shift_rows.append({"label": row["label"], "cells": cells, "change": fmt_pp(last_change)})
    after = tables["produced_after"]
    figures = data.key_figures
    title = params.title or default_title(data)
    weapons = _weapon_list(data.weapons)
    scope = [
        (_("Weapon models"), weapons or _("none in the selection")),
        (_("Recovered items"), fmt_int(data.items_total)),
        (_("Teardown lines"), fmt_int(data.annex_total)),
    ]
    if params.family:
        scope.append((_("Weapon family"), params.family))
    if params.item:
        scope.append((_("Recovered item"), params.item))
    if params.items:
        scope.append((_("Chosen items"), ", ".join(params.items[:20]) + (" …" if len(params.items) > 20 else "")))
    if params.date_from or params.date_to:
        scope.append(
            (
                _("Recovered between"),
                _("{start} and {end}").format(
                    start=fmt_date(params.date_from), end=fmt_date(params.date_to) or _("today")
                ),
            )
        )
    if organisation:
        scope.append(
            (_("Visibility"), _("only the items shared with {organisation}").format(organisation=organisation))
        )

    denominator = (
        _("{total} {unit} made outside the weapon's country of origin (foreign-made only)")
        if params.foreign_only
        else _("all {total} {unit} found, including those made in the weapon's country of origin")
    ).format(total=fmt_int(total), unit=unit_name)
    rules = [
        (
            _("Review status"),
            _("Counts {rule}; each item's status is listed under Recovered items.").format(
                rule=STATUS_RULES[params.status].rule
            ),
        ),
        (_("Unit"), f"{unit_name}: {unit_rule}."),
        (
            _("Attribution"),
            _("A part counts for {attribution}.").format(attribution=attribution_rule.format(as_of=as_of)),
        ),
        (_("Denominator"), _("Shares are of {denominator}.").format(denominator=denominator)),
        (_("Unknown values"), _("Parts whose maker or country is not known are counted as “unknown”, never dropped.")),
        (
            _("Year-over-year"),
            {
                "recovered": _("Periods are the year the item was recovered."),
                "analysed": _("Periods are the year the item was analysed."),
                "produced": _("Periods are the production year read from the date code."),
            }[params.period],
        ),
        (
            _("Production dates"),
            _(
                "Read from date codes printed on the parts; a part counts as produced after "
                "{date} when its whole production week lies after that date."
            ).format(date=fmt_date(params.produced_after)),
        ),
    ]
    key_figures = [
        {
            "value": fmt_int(figures["total"]),
            "label": unit_name,
            "note": _("in {count} items").format(count=fmt_int(figures["items"])),
        },
        {
            "value": fmt_share(figures["foreign_share"]),
            "label": _("foreign-made"),
            "note": f"{fmt_int(figures['foreign'])} {unit_name}",
        },
        {"value": fmt_int(figures["countries"]), "label": _("makers' countries"), "note": ""},
        {"value": fmt_int(figures["manufacturers"]), "label": _("manufacturers"), "note": ""},
        {
            "value": fmt_int(figures["chpl_priority"]),
            "label": _("CHPL tier 1–2"),
            "note": _("high-priority items"),
        },
        {
            "value": fmt_int(figures["produced_after"]),
            "label": _("made after {date}").format(date=fmt_date(params.produced_after)),
            "note": _("of {count} dated").format(count=fmt_int(figures["dated"])),
        },
    ]
    country_rows = _bar_rows(_fold(country["rows"], COUNTRY_ROWS, _("other countries")), total)
    top_country = next((r for r in country["rows"] if r["key"] is not None), None)
    items = [
        {
            **item,
            "recovered_text": fmt_date(item["recovered_on"], item["recovered_on_precision"]),
            "analysed_text": fmt_date(item["analysed_on"]),
            "strike_text": f"{fmt_date(item['strike_on'])} {item['strike_place']}".strip() if item["strike"] else "",
            "sources": [{**source, "published_text": fmt_date(source["published_on"])} for source in item["sources"]],
            "units_text": fmt_int(item["units"]),
        }
        for item in data.items
    ]
    from provenance.models import Finding

    confidences = dict(Finding.Confidence.choices)
    annex = [
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
        for row in data.annex
    ]
    context = {
        "title": title,
        "note": params.note,
        "tlp": data.tlp,
        "tlp_label": f"TLP:{data.tlp}",
        "tlp_class": data.tlp.lower().replace("+", "-"),
        "tlp_meaning": str(TLP_MEANING[data.tlp]),
        "tlp_color": TLP_COLOUR[data.tlp],
        "generated_at": generated_at or timezone.now(),
        "requested_by": requested_by,
        "organisation": organisation,
        "report_id": report_id,
        "digest": data.digest,
        "scope": scope,
        "rules": rules,
        "unit_name": unit_name,
        "attribution_text": attribution_rule.format(as_of=fmt_date(dt.date.fromisoformat(as_of))),
        "key_figures": key_figures,
        "headline": _headline(data, top_country, unit_name),
        "key_points": key_points(data, unit_name=unit_name),
        "country": country,
        "country_rows": country_rows,
        "manufacturer_rows": _bar_rows(_top_makers(tables["manufacturer"]["rows"]), total),
        "manufacturer_more": _more(tables["manufacturer"]["rows"]),
        "parent_rows": _bar_rows(_top_makers(tables["parent"]["rows"]), total),
        "parent_more": _more(tables["parent"]["rows"]),
        "as_of": fmt_date(dt.date.fromisoformat(as_of)),
        "shift": shift,
        "shift_periods": periods,
        "shift_periods_hidden": len(shift["periods"]) - len(periods),
        "shift_rows": shift_rows,
        "shift_rows_hidden": max(0, len(shift["rows"]) - SHIFT_ROWS),
        "shift_undated": fmt_int(shift.get("undated", 0)),
        "shift_totals": [fmt_int(p["total"]) for p in shift["periods"]][-SHIFT_PERIODS:],
        "chpl_rows": [
            {**r, "note": CHPL_NOTE.get(r["key"] or "", "")}
            for r in _bar_rows(_fold(tables["chpl"]["rows"], 10, _("other tiers")), total)
        ],
        "after": after,
        "after_date": fmt_date(params.produced_after),
        "after_rows": [
            {
                **r,
                "dated_text": fmt_int(r["dated"]),
                "undated_text": fmt_int(r["undated"]),
                "after_text": fmt_int(r["produced_after"]),
                "share_text": fmt_share(r["share_after"]),
            }
            for r in after["rows"]
            if r["dated"]
        ][:CHART_ROWS],
        "after_share": fmt_share(after["share_after"]),
        "after_dated": fmt_int(after["dated"]),
        "after_undated": fmt_int(after["undated"]),
        "after_count": fmt_int(after["produced_after"]),
        "items_total_text": fmt_int(data.items_total),
        "annex_total_text": fmt_int(data.annex_total),
        "annex_hidden_text": fmt_int(max(0, data.annex_total - len(data.annex))),
        "items": items,
        "items_total": data.items_total,
        "items_hidden": max(0, data.items_total - len(items)),
        "annex": annex,
        "annex_total": data.annex_total,
        "annex_hidden": max(0, data.annex_total - len(annex)),
        "fmt_total": fmt_int(total),
        "photo_annex": briefing_photos(items=data.selected_items),
    }
    context.update(sanctions_context(data))
    if charts:
        from provenance.charts import bar_chart_svg, shift_chart_svg

        context["country_chart"] = _data_url(
            bar_chart_svg(
                country["rows"][:CHART_ROWS],
                title=_("{unit} by maker's country").format(unit=unit_name.capitalize()),
                xlabel=unit_name.capitalize(),
                ylabel=_("Country"),
            )
        )
        if len(shift["periods"]) > 1:
            context["shift_chart"] = _data_url(
                shift_chart_svg(_shift_for_chart(shift), title=_("Share by maker's country and year"))
            )
    return context


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


def _headline(data: BriefingData, top_country: dict | None, unit_name: str) -> str:
    figures = data.key_figures
    if not figures["total"]:
        return _("The selection holds no findings.")
    text = ngettext(
        "{total} {unit} in {items} recovered item; ",
        "{total} {unit} in {items} recovered items; ",
        figures["items"],
    ).format(total=fmt_int(figures["total"]), unit=unit_name, items=fmt_int(figures["items"]))
    text += ngettext(
        "{share} were made abroad by makers in {countries} country.",
        "{share} were made abroad by makers in {countries} countries.",
        figures["countries"],
    ).format(share=fmt_share(figures["foreign_share"]), countries=fmt_int(figures["countries"]))
    if top_country:
        text += " " + _("Largest share: {country} ({share}).").format(
            country=top_country["label"], share=fmt_share(top_country["share"])
        )
    return text


def _list(rows: list[dict], total: int, limit: int = 3) -> str:
    return ", ".join(f"{r['label']} {fmt_int(r['count'])} ({fmt_share(r['count'] / total)})" for r in rows[:limit])


def key_points(data: BriefingData, *, unit_name: str) -> list[str]:
    """Plain sentences read off the tables, for the cover page: who made the parts, what changed."""
    tables = data.tables
    total = tables["country"]["total"]
    if not total:
        return []
    points = []
    foreign = [r for r in tables["foreign"]["rows"] if r["key"] is not None]
    domestic = total - tables["foreign"]["total"]
    if foreign:
        points.append(_("Largest foreign sources by maker's country: {list}.").format(list=_list(foreign, total)))
    if domestic > 0 and not data.params.foreign_only:
        origin = {w.get("weapon_model__origin_country") for w in data.weapons} - {None, ""}
        where = country_name(origin.pop()) if len(origin) == 1 else _("the weapon's country of origin")
        points.append(
            _("Made in {where}: {count} {unit} ({share}).").format(
                where=where, count=fmt_int(domestic), unit=unit_name, share=fmt_share(domestic / total)
            )
        )
    groups = [r for r in tables["parent"]["rows"] if r["key"] is not None]
    if groups:
        points.append(
            _("Largest manufacturers, rolled up to the parent company: {list}.").format(list=_list(groups, total))
        )
    shift = tables["shift"]
    if len(shift["periods"]) > 1:
        last, before = str(shift["periods"][-1]["period"]), str(shift["periods"][-2]["period"])
        moves = sorted(
            ((r["change_pp"].get(last), r["label"]) for r in shift["rows"] if r["change_pp"].get(last)),
            key=lambda pair: -abs(pair[0]),
        )[:3]
        if moves:
            points.append(
                _("From {before} to {last}, the largest changes in share: {moves}.").format(
                    before=before, last=last, moves=", ".join(f"{label} {fmt_pp(change)}" for change, label in moves)
                )
            )
    after = tables["produced_after"]
    if after["dated"]:
        points.append(
            _("{count} of {dated} dated {unit} ({share}) were produced after {date}.").format(
                count=fmt_int(after["produced_after"]),
                dated=fmt_int(after["dated"]),
                unit=unit_name,
                share=fmt_share(after["share_after"]),
                date=fmt_date(data.params.produced_after),
            )
        )
    priority = data.key_figures["chpl_priority"]
    if priority:
        points.append(
            _("{count} {unit} ({share}) fall in tiers 1 and 2 of the Common High Priority List.").format(
                count=fmt_int(priority), unit=unit_name, share=fmt_share(priority / total)
            )
        )

    return points


def render_html(data: BriefingData, **context_kwargs) -> str:
    """The briefing as a self-contained HTML page (inline CSS and SVG, no external resources)."""
    return render_to_string(TEMPLATE, briefing_context(data, **context_kwargs))


def render_pdf(html: str) -> bytes:
    """The PDF of a rendered briefing HTML (the same page, laid out for print by WeasyPrint)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only embedded data: URLs (the charts); a briefing fetches nothing from disk or network.
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


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
            for i in list_items(items_qs=data.selected_items, limit=None)
        ),
    )
    from provenance.models import Finding

    findings_qs = Finding.objects.filter(item__in=data.selected_items.order_by().values("pk"))
    yield (
        "Annex: every finding",
        [
            "item",
            "line",
            "part number",
            "manufacturer",
            "country",
            "origin country",
            "quantity",
            "marking",
            "date code",
            "produced year",
            "produced week",
            "module",
            "category",
            "confidence",
        ],
        ([row[f] for f in row] for row in annex_rows_iter(findings_qs=findings_qs, limit=None)),
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
