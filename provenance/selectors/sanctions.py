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
Two statements whatever the selection: the findings grouped by manufacturer, with each maker's name and
country joined to the grouped rows; and one UNION of every designation in force that reaches a manufacturer
(manual, match, through a listed owner), the authorities with a designation in force, and our ownerships
in effect. Designations reaching any maker are few (hundreds) beside the makers of a selection (thousands):
they are read whole rather than sending thousands of ids to the database. Python only assembles the
per-maker rows (at most one per manufacturer).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, DateField, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce
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
    ownerships_in_effect,
    parents_from,
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
# The columns of the one UNION (`_reach`), in order, each with the type of its NULL where a part has no value.
_REACH = {
    "_m": IntegerField(),
    "_via": CharField(),
    "_owner": CharField(),
    "_share": FloatField(),
    "_id": IntegerField(),
    "_authority": CharField(),
    "_programme": CharField(),
    "_measure": CharField(),
    "_listed_on": DateField(),
    "_date_kind": CharField(),
    "_source_url": CharField(),
    "_entity": CharField(),
}
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
# The rows of `_reach` that are not designations: an authority with a designation in force; an ownership of ours.
_AUTHORITY, _PARENT = "authority", "parent"
_AUTHORITY_COLUMN, _SINCE_COLUMN = list(_REACH).index("_authority"), list(_REACH).index("_listed_on")


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


def _reach_row(**given: Any) -> dict[str, Any]:
    """One part's columns of the UNION, in its order; a typed NULL where the part has no value (PostgreSQL
    takes an untyped NULL met before a value for text)."""
    return {name: given.get(name, Cast(Value(None), field)) for name, field in _REACH.items()}


def _reach(as_of: dt.date) -> QuerySet:
    """One statement: the designations in force on `as_of` reaching a manufacturer directly (`manual`,
    `match`) or through a listed owner (`owner`), the authorities with any designation in force, and our
    ownerships in effect on `as_of` (`parent`: the owner's id in `_id`, its name in `_owner`, since when in
    `_listed_on`)."""
    base = Designation.objects.filter(_in_force(as_of)).order_by()
    # Entered by hand on the maker, or on a listed entity a maker is confirmed to be (one LEFT JOIN to the matches).
    confirmed = Q(listed_entity__matches__decision=SanctionMatch.Decision.CONFIRMED)
    direct = base.filter(Q(manufacturer__isnull=False) | confirmed).values(
        **_reach_row(
            _m=Coalesce("manufacturer_id", "listed_entity__matches__manufacturer_id"),
            _via=Case(When(manufacturer__isnull=False, then=Value("manual")), default=Value("match")),
            **_COLUMNS,
        )
    )
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
    through_owner = base.filter(owned).values(
        **_reach_row(
            _m=F(f"{hold}asset__matches__manufacturer_id"),
            _via=Value("owner"),
            _owner=F("listed_entity__caption"),
            _share=Cast(f"{hold}percentage", FloatField()),
            **_COLUMNS,
        )
    )
    authorities = base.values(**_reach_row(_via=Value(_AUTHORITY), _authority=F("authority"))).distinct()
    parents = (
        ownerships_in_effect(as_of)
        .order_by()
        .values(
            **_reach_row(
                _m=F("child_id"), _via=Value(_PARENT), _id=F("parent_id"), _owner=F("parent__name"),
                _listed_on=F("start_on"),
            )
        )
    )  # fmt: skip
    # Ordered so that of two equal designations reaching a maker the same way, the first by id is kept. Tuples:
    # most rows are ownerships, for which dicts would cost more than the query.
    return direct.union(through_owner, authorities, parents, all=True).order_by("_via", "_id").values_list(*_REACH)


def _designations_and_authorities(
    manufacturer_ids: Iterable[int], as_of: dt.date
) -> tuple[dict[int, list[dict[str, Any]]], list[str]]:
    """manufacturer_id -> its designations in force on `as_of` (each once; manual, then match, then owner),
    and every authority with a designation in force (those a maker is `not_listed_by`), from one query."""
    direct: dict[int, list[dict]] = defaultdict(list)
    through_owner: dict[int, list[dict]] = defaultdict(list)
    edges: list[tuple[int, int, dt.date]] = []
    names: dict[int, str] = {}
    authorities: set[str] = set()
    for values in _reach(as_of):
        manufacturer_id, via, owner, share, key = values[:5]
        if via == _AUTHORITY:
            authorities.add(values[_AUTHORITY_COLUMN])
        elif via == _PARENT:
            edges.append((manufacturer_id, key, values[_SINCE_COLUMN]))
            names[key] = owner
        elif via == "owner":
            row = dict(zip(_REACH, values, strict=True))
            through_owner[manufacturer_id].append(_designation(row, "owner", owner=owner, share=share))
        else:
            direct[manufacturer_id].append(_designation(dict(zip(_REACH, values, strict=True)), via))
    parent_of = parents_from(edges)
    result: dict[int, list[dict]] = {}
    for manufacturer_id in manufacturer_ids:
        if manufacturer_id not in direct and manufacturer_id not in through_owner and manufacturer_id not in parent_of:
            result[manufacturer_id] = []
            continue
        found = direct.get(manufacturer_id, []) + through_owner.get(manufacturer_id, [])
        chain, node = [], manufacturer_id
        while node in parent_of and parent_of[node] not in chain and parent_of[node] != manufacturer_id:
            node = parent_of[node]
            chain.append(node)
            found += [{**d, "via": "owner", "owner": names[node]} for d in direct.get(node, [])]
        seen: set[tuple] = set()
        unique = []
        for designation in found:
            marker = (designation["authority"], designation["programme"], designation["listed_on"], designation["via"])
            if marker not in seen:
                seen.add(marker)
                unique.append(designation)
        unique.sort(key=lambda d: (d["authority"], d["listed_on"] or "", VIA.index(d["via"]), d["programme"]))
        result[manufacturer_id] = unique
    return result, sorted(authorities)


def designations_in_force(*, manufacturer_ids: Iterable[int], as_of: dt.date) -> dict[int, list[dict[str, Any]]]:
    """manufacturer_id -> its designations in force on `as_of` (each once; manual, then match, then owner)."""
    return _designations_and_authorities(manufacturer_ids, as_of)[0]


_NAMED = (
    "SELECT g.*, m.{name} AS _name, m.{country} AS _country FROM ({grouped}) g LEFT JOIN {table} m ON m.{pk} = g._m"
)


def _grouped_with_names(grouped: QuerySet) -> list[dict[str, Any]]:
    """The grouped rows (with `_m`), each with its maker's `_name` and `_country`, in one statement: joined
    after grouping, since grouping 1M findings by the joined name and country would cost several times the
    GROUP BY of the manufacturer id alone."""
    sql, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    table = Manufacturer._meta.db_table
    named = _NAMED.format(
        name=quote("name"),
        country=quote("country"),
        grouped=sql,
        table=quote(table),
        pk=quote(Manufacturer._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(named, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


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
    named: dict[int, tuple[str, str]] = {}
    for row in _grouped_with_names(qs.annotate(**cols).values(*cols).annotate(n=_unit_aggregate(unit))):
        key = plan.key(row)
        if key is not _SKIP:
            counts[key] += row["n"] or 0
            named[row["_m"]] = (row["_name"], row["_country"])
    # Under `parent` attribution a key is an ultimate parent, which may have no findings of its own.
    missing = [key for key in counts if key is not None and key not in named]
    if missing:
        named.update(
            (pk, (n, c))
            for pk, n, c in Manufacturer.objects.filter(pk__in=missing).values_list("pk", "name", "country")
        )
    makers = {key: named[key] for key in counts if key is not None}
    designations, authorities = _designations_and_authorities(makers, as_of)
    rows = []
    listed = dict.fromkeys(authorities, 0)
    known = unknown = 0
    for key, count in counts.items():
        if not count:
            continue
        if key is None:
            rows.append(
                {"key": None, "label": gettext("unknown"), "country": None, "count": count, "designations": [],
                 "listed_by": [], "not_listed_by": []}
            )  # fmt: skip
            unknown += count
            continue
        known += count
        name, country = makers[key]
        found = designations.get(key) or []
        listed_by = sorted({d["authority"] for d in found}) if found else []
        for authority in listed_by:
            listed[authority] += count
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
    summary = {a: {"listed": n, "not_listed": known - n, "maker_unknown": unknown} for a, n in listed.items()}
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
