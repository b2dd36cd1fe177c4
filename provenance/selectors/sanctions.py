"""Sanctions coverage: for the makers in a selection of findings, who lists them, since when, and who does not.

The selection and the counting rules are the breakdown's (`AnalyticsFilters`, unit, attribution, foreign
only; `provenance.selectors.analytics`): the findings are grouped by manufacturer in one aggregate query,
exactly as `breakdown(by="manufacturer")` groups them, so the counts of the two agree.

A designation is in force on `as_of` when it started on or before that day (or gives no start date, as OFAC
rows often do) and has not ended by then (`delisted_on` empty or later), and its listed entity is still on
its list. It reaches a manufacturer:
- `manual`: entered by an analyst on the manufacturer;
- `match`: on a listed entity the manufacturer is matched to by a confirmed `SanctionMatch`;
- `owner`: on a listed owner holding 50 % or more, on `as_of`, of a listed entity the manufacturer is
  matched to (`ListedOwnership`, the US 50 percent rule), or on any of the manufacturer's parents up the
  chain on `as_of` in our own ownership records (manual or matched designations of that parent).
Designations are read with three queries (manual, matched, through listed owners) whatever the number of
findings; Python only assembles the per-maker rows (at most one per manufacturer).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from manufacturers.models import Designation, Manufacturer, SanctionMatch
from provenance.models import RecoveredItem
from provenance.selectors.analytics import (
    _SKIP,
    AnalyticsFilters,
    _check_unit,
    _findings,
    _Plan,
    _unit_aggregate,
    counting_rule,
    direct_parents,
)

__all__ = ["VIA", "coverage_cell", "coverage_rule", "coverage_table", "designations_in_force", "sanctions_coverage"]

VIA = ("match", "manual", "owner")
# How a designation reaches a maker, in words (the codes stay in JSON and CSV).
VIA_LABELS = {"match": gettext_lazy("match"), "manual": gettext_lazy("manual"), "owner": gettext_lazy("owner")}


def via_label(via: str) -> str:
    """`match`, `manual` or `owner` in the active language."""
    return str(VIA_LABELS.get(via, via))


def date_kind_label(kind: str) -> str:
    """A designation's date kind (`listing`, `entry into force`, ...) in the active language."""
    return str(Designation.DateKind(kind).label) if kind in Designation.DateKind.values else kind


OWNER_THRESHOLD = 50
_COLUMNS = {
    "_id": F("pk"),
    "_authority": F("authority"),
    "_programme": F("program"),
    "_measure": F("measure"),
    "_listed_on": F("listed_on"),
    "_date_kind": F("date_kind"),
    "_source_url": F("source_url"),
    "_entity": F("listed_entity__source_id"),
}


def _in_force(as_of: dt.date, prefix: str = "") -> Q:
    return (
        (Q(**{f"{prefix}listed_on__isnull": True}) | Q(**{f"{prefix}listed_on__lte": as_of}))
        & (Q(**{f"{prefix}delisted_on__isnull": True}) | Q(**{f"{prefix}delisted_on__gt": as_of}))
        & Q(**{f"{prefix}listed_entity__removed_at__isnull": True})
    )


def _designation(row: dict, via: str, **extra: Any) -> dict[str, Any]:
    listed_on = row["_listed_on"]
    return {
        "authority": row["_authority"],
        "programme": row["_programme"],
        "measure": row["_measure"],
        "listed_on": listed_on.isoformat() if listed_on else None,
        "date_kind": row["_date_kind"] if listed_on else "unknown",
        "via": via,
        "listed_entity": row["_entity"],
        "source_url": row["_source_url"],
        **extra,
    }


def designations_in_force(*, manufacturer_ids: Iterable[int], as_of: dt.date) -> dict[int, list[dict[str, Any]]]:
    """manufacturer_id -> its designations in force on `as_of` (each once; manual, then match, then owner)."""
    ids = set(manufacturer_ids)
    parent_of = direct_parents(as_of)
    ancestors: dict[int, list[int]] = {}
    for child in ids:
        chain, node = [], child
        while node in parent_of and parent_of[node] not in chain and parent_of[node] != child:
            node = parent_of[node]
            chain.append(node)
        if chain:
            ancestors[child] = chain
    wanted = ids | {a for chain in ancestors.values() for a in chain}
    base = Designation.objects.filter(_in_force(as_of)).order_by()
    direct: dict[int, list[dict]] = defaultdict(list)
    # Designations reaching any maker are few (hundreds) beside the makers of a selection (thousands): they
    # are read whole and kept for the wanted makers, rather than sending thousands of ids to the database.
    for row in base.filter(manufacturer__isnull=False).values("manufacturer_id", **_COLUMNS):
        if row["manufacturer_id"] in wanted:
            direct[row["manufacturer_id"]].append(_designation(row, "manual"))
    confirmed = Q(
        listed_entity__matches__decision=SanctionMatch.Decision.CONFIRMED,
    )
    matched = base.filter(confirmed).values(_m=F("listed_entity__matches__manufacturer_id"), **_COLUMNS)
    for row in matched:
        if row["_m"] in wanted:
            direct[row["_m"]].append(_designation(row, "match"))
    hold = "listed_entity__owned_assets__"
    owned = (
        Q(
            **{
                f"{hold}percentage__gte": OWNER_THRESHOLD,
                f"{hold}asset__removed_at__isnull": True,
                f"{hold}asset__matches__decision": SanctionMatch.Decision.CONFIRMED,
            }
        )
        & (Q(**{f"{hold}start_on__isnull": True}) | Q(**{f"{hold}start_on__lte": as_of}))
        & (Q(**{f"{hold}end_on__isnull": True}) | Q(**{f"{hold}end_on__gte": as_of}))
    )
    through_owner: dict[int, list[dict]] = defaultdict(list)
    rows = base.filter(owned).values(
        _m=F(f"{hold}asset__matches__manufacturer_id"),
        _owner=F("listed_entity__caption"),
        _share=F(f"{hold}percentage"),
        **_COLUMNS,
    )
    for row in rows:
        if row["_m"] in ids:
            designation = _designation(row, "owner", owner=row["_owner"], share=float(row["_share"]))
            through_owner[row["_m"]].append(designation)
    owners = {a for chain in ancestors.values() for a in chain if a in direct}
    owner_names = dict(Manufacturer.objects.filter(pk__in=owners).values_list("pk", "name")) if owners else {}
    result: dict[int, list[dict]] = {}
    for manufacturer_id in ids:
        found = list(direct.get(manufacturer_id, []))
        found += through_owner.get(manufacturer_id, [])
        for owner in ancestors.get(manufacturer_id, ()):
            found += [{**d, "via": "owner", "owner": owner_names.get(owner)} for d in direct.get(owner, [])]
        seen: set[tuple] = set()
        unique = []
        for designation in found:
            marker = (designation["authority"], designation["programme"], designation["listed_on"], designation["via"])
            if marker not in seen:
                seen.add(marker)
                unique.append(designation)
        unique.sort(key=lambda d: (d["authority"], d["listed_on"] or "", VIA.index(d["via"]), d["programme"]))
        result[manufacturer_id] = unique
    return result


def _authorities(as_of: dt.date) -> list[str]:
    """Every authority with a designation in force on `as_of`: those a maker is `not_listed_by`."""
    values = Designation.objects.filter(_in_force(as_of)).order_by().values_list("authority", flat=True).distinct()
    return sorted(set(values))


def sanctions_coverage(
    *,
    filters: AnalyticsFilters,
    attribution: str = "hq",
    unit: str = "units",
    foreign_only: bool = False,
    as_of: dt.date | None = None,
    items: QuerySet[RecoveredItem] | None = None,
    by: str = "manufacturer",
) -> dict[str, Any]:
    """Per manufacturer in the selection: its units, designations in force on `as_of`, who lists it, who not.

    `by` is accepted so that the breakdown's keyword arguments can be passed as they are; coverage is always
    per manufacturer.
    """
    _check_unit(unit)
    as_of = as_of or dt.date.today()
    plan = _Plan(by="manufacturer", attribution=attribution, foreign_only=foreign_only, as_of=as_of)
    qs = plan.restrict(_findings(filters, items))
    cols = plan.columns()
    counts: dict[int | None, int] = defaultdict(int)
    for row in qs.annotate(**cols).values(*cols).annotate(n=_unit_aggregate(unit)):
        key = plan.key(row)
        if key is not _SKIP:
            counts[key] += row["n"] or 0
    # Names and countries looked up afterwards (as the breakdown labels its rows): grouping 1M findings by the
    # joined name and country would cost several times the GROUP BY of the manufacturer id alone.
    rows = Manufacturer.objects.filter(pk__in=[k for k in counts if k is not None]).values_list("pk", "name", "country")
    makers = {pk: (name, country) for pk, name, country in rows}
    designations = designations_in_force(manufacturer_ids=makers, as_of=as_of)
    authorities = _authorities(as_of)
    rows = []
    summary = {a: {"listed": 0, "not_listed": 0, "maker_unknown": 0} for a in authorities}
    for key, count in counts.items():
        if not count:
            continue
        if key is None:
            rows.append(
                {"key": None, "label": gettext("unknown"), "country": None, "count": count, "designations": [],
                 "listed_by": [], "not_listed_by": []}
            )  # fmt: skip
            for totals in summary.values():
                totals["maker_unknown"] += count
            continue
        name, country = makers[key]
        found = designations.get(key, [])
        listed_by = sorted({d["authority"] for d in found})
        for authority, totals in summary.items():
            totals["listed" if authority in listed_by else "not_listed"] += count
        rows.append(
            {
                "key": name,
                "label": name,
                "country": country or None,
                "count": count,
                "designations": found,
                "listed_by": listed_by,
                "not_listed_by": [a for a in authorities if a not in listed_by],
            }
        )
    rows.sort(key=lambda r: (-r["count"], r["key"] is None, str(r["key"] or "")))
    return {
        "filters": filters.as_dict(),
        "by": "manufacturer",
        "unit": unit,
        "attribution": attribution,
        "foreign_only": foreign_only,
        "status": getattr(filters, "status", None) or "any",
        "as_of": as_of.isoformat(),
        "total": sum(r["count"] for r in rows),
        "authorities": authorities,
        "rows": rows,
        "summary": summary,
    }


def coverage_rule(result: dict[str, Any]) -> str:
    """The counting rule of a coverage result as one line: the breakdown's, the status and the as-of date."""
    rule = counting_rule({**result, "as_of": None})  # states the status too
    return gettext("{rule}; designations in force on {date}").format(rule=rule, date=result["as_of"])


def coverage_cell(designations: list[dict[str, Any]], authority: str) -> str:
    """One maker x authority cell: "since 2025-02-24 (listing, match)", "listed (no date)" or "not listed"."""
    found = [d for d in designations if d["authority"] == authority]
    if not found:
        return gettext("not listed")
    first = min(found, key=lambda d: d["listed_on"] or "9999")
    via = "/".join(via_label(code) for code in sorted({d["via"] for d in found}))
    if not first["listed_on"]:
        return gettext("listed (no date; %(via)s)") % {"via": via}
    return gettext("since %(date)s (%(kind)s; %(via)s)") % {
        "date": first["listed_on"],
        "kind": date_kind_label(first["date_kind"]),
        "via": via,
    }


def coverage_table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The maker x authority matrix with the per-authority summary rows below it."""
    authorities = result["authorities"]
    header = ["key", "label", "country", "count", *authorities]
    rows: list[list[Any]] = [
        [r["key"], r["label"], r["country"], r["count"],
         *((gettext("maker unknown") if r["key"] is None else coverage_cell(r["designations"], a))
           for a in authorities)]
        for r in result["rows"]
    ]  # fmt: skip
    measures = {
        "listed": gettext("units listed"),
        "not_listed": gettext("units not listed"),
        "maker_unknown": gettext("units maker unknown"),
    }
    for measure, label in measures.items():
        rows.append(["", label, "", None, *(result["summary"][a][measure] for a in authorities)])
    return header, rows
