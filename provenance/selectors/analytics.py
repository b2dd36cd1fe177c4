"""Analytics: per-country / per-manufacturer breakdowns, year-over-year shifts, production-date evidence.

Every figure is aggregated in the database (GROUP BY with SUM / COUNT(DISTINCT)). Python only folds the
grouped rows, which number at most a few thousand (one per manufacturer, country, module, ...), never
one per finding.

Counting rules (stated in every output):
- unit `units`: the sum of `Finding.quantity`; unit `parts`: distinct part types per recovered item (a part
  found in two items counts twice, a line without a catalogued part counts as a type of its own), so that
  the breakdown of two disjoint sets of items adds up to the breakdown of their union;
- attribution `hq` (the maker's HQ country, `Finding.country`), `parent` (the HQ country of the maker's
  ultimate parent on `as_of`, following `Ownership` chains valid on that date; country-only lines keep their
  country) or `origin` (the country-of-origin marking on the package);
- `foreign_only` leaves out lines attributed to the weapon model's own origin country; lines whose
  attributed country is unknown stay in;
- the total is the sum of the rows; unknown values are counted under key `null`, never dropped.

Parent attribution: the ultimate parent of each manufacturer is resolved in Python from the ownerships
valid on `as_of` (a few thousand rows at most: one dict manufacturer_id -> root), and findings are grouped
by manufacturer in the database; the grouped rows (at most one per manufacturer) are then rolled up to
their root. This keeps the 1M-row scan a plain GROUP BY (no per-row CASE with thousands of branches, no
recursive CTE per query) and is exact for both units because a part has exactly one manufacturer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple

from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from components.models import Category, ChplTier
from config.common.countries import country_name
from config.common.text import name_key
from manufacturers.models import Manufacturer, Ownership
from provenance.models import Finding, RecoveredItem, WeaponModel

__all__ = [
    "ATTRIBUTIONS",
    "ATTRIBUTION_RULES",
    "DIMENSIONS",
    "PERIODS",
    "PERIOD_RULES",
    "PRODUCED_AFTER_RULE",
    "SCOPE_RULES",
    "STATUSES",
    "STATUS_RULES",
    "UNITS",
    "UNIT_RULES",
    "UNKNOWN_RULE",
    "AnalyticsFilters",
    "CountingChoice",
    "breakdown",
    "counting_rule",
    "direct_parents",
    "items_matching",
    "ownerships_in_effect",
    "parents_from",
    "produced_after",
    "rule_label",
    "shift",
    "ultimate_parents",
    "weapon_models_matching",
]

DIMENSIONS = ("country", "manufacturer", "category", "chpl-tier", "module")
ATTRIBUTIONS = ("hq", "parent", "origin")
UNITS = ("units", "parts")
PERIODS = ("recovered", "analysed", "produced")
# The lowest review status an item must have to count (`verified` counts verified and published items).
STATUSES = ("any", "submitted", "verified", "published")
RUSSIAN_INVASION = dt.date(2022, 2, 24)
_PAIR_BASE = 2**32  # part ids stay below this; item_id * 2**32 + part_id fits in a signed 64-bit integer


@dataclass(frozen=True)
class AnalyticsFilters:
    """Which findings an analysis covers: by weapon (designation or alias), family, item, recovery dates."""

    weapon: str | None = None
    family: str | None = None
    item: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = "any"

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")

    def as_dict(self) -> dict[str, str]:
        """The `filters` object of the JSON outputs: only the filters that are set, as strings (the status is a
        key of its own, part of the counting rule)."""
        pairs = {
            "weapon": self.weapon,
            "family": self.family,
            "item": self.item,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: str(value) for key, value in pairs.items() if value not in (None, "")}

    def item_q(self, prefix: str = "") -> Q:
        """The filters as a condition on recovered items (`prefix="item__"` to apply it to findings)."""
        conditions = {
            "weapon_model__in": weapon_models_matching(self.weapon).values("pk") if self.weapon else None,
            "weapon_model__family__iexact": self.family.strip() if self.family else None,
            "reference": self.item.strip() if self.item else None,
            "recovered_on__gte": self.date_from,
            "recovered_on__lte": self.date_to,
            "status__in": None if self.status == "any" else RecoveredItem.Status.at_least(self.status),
        }
        return Q(**{f"{prefix}{lookup}": value for lookup, value in conditions.items() if value is not None})


def weapon_models_matching(text: str) -> QuerySet[WeaponModel]:
    """Weapon models whose designation (case-insensitive) or one of whose aliases is `text`."""
    key = name_key(text)
    return WeaponModel.objects.filter(Q(designation__iexact=text.strip()) | Q(aliases__alias_key=key)).distinct()


def _findings(filters: AnalyticsFilters, items: QuerySet[RecoveredItem] | None) -> QuerySet[Finding]:
    qs = Finding.objects.filter(filters.item_q(prefix="item__"))
    if items is not None:
        qs = qs.filter(item__in=items.order_by().values("pk"))
    return qs.order_by()


def items_matching(
    *, filters: AnalyticsFilters, items: QuerySet[RecoveredItem] | None = None
) -> QuerySet[RecoveredItem]:
    """The recovered items an analysis with `filters` covers (within `items` when given)."""
    base = RecoveredItem.objects.all() if items is None else items
    return base.filter(filters.item_q())


def ownerships_in_effect(as_of: dt.date) -> QuerySet[Ownership]:
    """Our ownerships in effect on `as_of`: started on or before that day and not ended before it."""
    return Ownership.objects.filter(start_on__lte=as_of).filter(Q(end_on__isnull=True) | Q(end_on__gte=as_of))


def parents_from(edges: Iterable[tuple[int, int, dt.date]]) -> dict[int, int]:
    """child_id -> parent_id from (child_id, parent_id, start_on) edges in effect on one day: when two
    overlap, the most recent acquisition wins (on the same day, the lowest parent id)."""
    parent_of: dict[int, int] = {}
    for child_id, parent_id, _start in sorted(edges, key=lambda e: (e[0], -e[2].toordinal(), e[1])):
        parent_of.setdefault(child_id, parent_id)
    return parent_of


def direct_parents(as_of: dt.date) -> dict[int, int]:
    """manufacturer_id -> id of its parent on `as_of` (one query; `parents_from` says which owner wins)."""
    return parents_from(ownerships_in_effect(as_of).order_by().values_list("child_id", "parent_id", "start_on"))


def ultimate_parents(as_of: dt.date) -> dict[int, int]:
    """manufacturer_id -> id of its ultimate parent on `as_of`, for manufacturers owned on that date.

    An ownership counts when it started on or before `as_of` and had not ended before it. When two
    owners overlap, the most recent acquisition wins. A cycle in the data stops at the last new company.
    """
    parent_of = direct_parents(as_of)
    roots: dict[int, int] = {}
    for child_id in parent_of:
        seen = {child_id}
        node = child_id
        while node in parent_of and parent_of[node] not in seen:
            node = parent_of[node]
            seen.add(node)
        roots[child_id] = node
    return roots


def _unit_aggregate(unit: str):
    if unit == "units":
        return Sum("quantity")
    # One distinct type per (item, part), encoded in one 64-bit integer so that COUNT(DISTINCT) compares
    # integers, not text; a line without a catalogued part is a type of its own (its negative id).
    return Count(
        Case(
            # A 64-bit parameter: bound by the server as a plain int it would be sent as int4 and wrap to 0.
            When(part__isnull=False, then=F("item_id") * Value(_PAIR_BASE, BigIntegerField()) + F("part_id")),
            default=-F("id"),
            output_field=BigIntegerField(),
        ),
        distinct=True,
    )


# The year of each period, stored on the finding (the item's years are copied onto its lines): a shift over
# 1,000,000 lines groups one table instead of joining and extracting the year of every line's item.
_PERIOD_COLUMN = {"recovered": "recovered_year", "analysed": "analysed_year", "produced": "produced_year"}


class _Plan:
    """How one analysis maps to a GROUP BY and how each grouped row folds into a key."""

    def __init__(self, *, by: str, attribution: str, foreign_only: bool, as_of: dt.date | None) -> None:
        if by not in DIMENSIONS:
            raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}")
        if attribution not in ATTRIBUTIONS:
            raise ValueError(f"attribution must be one of {', '.join(ATTRIBUTIONS)}")
        self.by = by
        self.attribution = attribution
        self.foreign_only = foreign_only
        self.as_of = as_of or dt.date.today()
        self.roots: dict[int, int] = ultimate_parents(self.as_of) if attribution == "parent" else {}
        self.root_country: dict[int, str] = {}
        if self.roots:
            self.root_country = dict(
                Manufacturer.objects.filter(pk__in=set(self.roots.values())).values_list("pk", "country")
            )

    def columns(self) -> dict[str, Any]:
        """The GROUP BY columns (name -> expression)."""
        cols: dict[str, Any] = {}
        needs_country = self.by == "country" or (self.foreign_only and self.attribution != "origin")
        if self.attribution == "parent":
            cols["_m"] = F("manufacturer_id")
            if needs_country:
                cols["_c"] = F("country")
        elif self.attribution == "hq" and self.by == "country":
            cols["_c"] = F("country")
        if self.attribution == "origin" and self.by == "country":
            cols["_c"] = F("origin_country")
        if self.by == "manufacturer" and "_m" not in cols:
            cols["_m"] = F("manufacturer_id")
        elif self.by == "category":
            cols["_k"] = F("category_id")
        elif self.by == "chpl-tier":
            cols["_k"] = Coalesce(
                NullIf(F("part__hs_code__chpl_tier"), Value("")),
                NullIf(F("category__hs_code__chpl_tier"), Value("")),
            )
        elif self.by == "module":
            cols["_k"] = F("module")
        if self.foreign_only and self.attribution == "parent":
            cols["_w"] = F("item__weapon_model__origin_country")
        return cols

    def restrict(self, qs: QuerySet[Finding]) -> QuerySet[Finding]:
        """Foreign-only as a WHERE clause when attribution is a column of the finding."""
        if not self.foreign_only:
            return qs
        if self.attribution == "hq":
            return qs.exclude(country=F("item__weapon_model__origin_country"))
        if self.attribution == "origin":
            return qs.exclude(origin_country=F("item__weapon_model__origin_country"))
        return qs

    def attributed_country(self, row: dict) -> str | None:
        manufacturer_id = row.get("_m")
        root = self.roots.get(manufacturer_id) if manufacturer_id is not None else None
        if root is not None:
            return self.root_country.get(root) or None
        return row.get("_c") or None

    def key(self, row: dict) -> Any | None:
        """The dimension key of a grouped row (None when unknown), or `_SKIP` when foreign-only drops it."""
        if self.foreign_only and self.attribution == "parent":
            country = self.attributed_country(row)
            if country and country == row.get("_w"):
                return _SKIP
        if self.by == "country":
            return self.attributed_country(row) if self.attribution == "parent" else (row.get("_c") or None)
        if self.by == "manufacturer":
            manufacturer_id = row.get("_m")
            if manufacturer_id is None:
                return None
            return self.roots.get(manufacturer_id, manufacturer_id) if self.attribution == "parent" else manufacturer_id
        return row.get("_k") or None

    def labels(self, keys: Iterable[Any]) -> dict[Any, tuple[Any, str]]:
        """Raw key -> (JSON key, label)."""
        keys = [k for k in keys if k is not None]
        out: dict[Any, tuple[Any, str]] = {None: (None, gettext("unknown"))}
        if self.by == "country":
            language = get_language()
            out.update({k: (k, _country_label(k, language)) for k in keys})
        elif self.by == "manufacturer":
            names = dict(Manufacturer.objects.filter(pk__in=keys).values_list("pk", "name"))
            out.update({k: (names.get(k, str(k)), names.get(k, str(k))) for k in keys})
        elif self.by == "category":
            names = dict(Category.objects.filter(pk__in=keys).values_list("pk", "name"))
            out.update({k: (names.get(k, str(k)), names.get(k, str(k))) for k in keys})
        elif self.by == "chpl-tier":
            tiers = dict(ChplTier.choices)
            out.update({k: (k, str(tiers.get(k, k))) for k in keys})
        else:
            out.update({k: (k, k) for k in keys})
        return out

    def rule(self, unit: str) -> dict[str, Any]:
        rule: dict[str, Any] = {"by": self.by, "unit": unit, "attribution": self.attribution}
        if self.attribution == "parent":
            rule["as_of"] = self.as_of.isoformat()
        return rule


_SKIP = object()


@lru_cache(maxsize=2048)
def _country_label(code: str, language: str | None) -> str:
    # country_name() rebuilds django-countries' table on each call; a breakdown labels dozens of rows.
    return country_name(code)


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}")


def _sort_key(row: dict) -> tuple:
    return (-row["count"], row["key"] is None, str(row["key"] or ""))


def breakdown(
    *,
    filters: AnalyticsFilters,
    by: str = "country",
    attribution: str = "hq",
    unit: str = "units",
    foreign_only: bool = False,
    as_of: dt.date | None = None,
    items: QuerySet[RecoveredItem] | None = None,
) -> dict:
    """One breakdown (the JSON shape of the spec): counts per key, shares of the total, the counting rule."""
    _check_unit(unit)
    plan = _Plan(by=by, attribution=attribution, foreign_only=foreign_only, as_of=as_of)
    qs = plan.restrict(_findings(filters, items))
    cols = plan.columns()
    grouped = qs.annotate(**cols).values(*cols).annotate(n=_unit_aggregate(unit))
    counts: dict[Any, int] = defaultdict(int)
    for row in grouped:
        key = plan.key(row)
        if key is _SKIP:
            continue
        counts[key] += row["n"] or 0
    labels = plan.labels(counts)
    total = sum(counts.values())
    rows = [
        {
            "key": labels[k][0],
            "label": labels[k][1],
            "count": n,
            "share": round(n / total, 4) if total else 0.0,
        }
        for k, n in counts.items()
        if n
    ]
    rows.sort(key=_sort_key)
    return {
        **plan.rule(unit),
        "status": filters.status,
        "filters": filters.as_dict(),
        "total": total,
        "foreign_only": foreign_only,
        "rows": rows,
    }


def shift(
    *,
    filters: AnalyticsFilters,
    by: str = "country",
    attribution: str = "hq",
    unit: str = "units",
    period: str = "recovered",
    foreign_only: bool = False,
    as_of: dt.date | None = None,
    items: QuerySet[RecoveredItem] | None = None,
) -> dict:
    """Year-over-year shift: counts and shares per period, and the change in share (pp) from the period before.

    Lines whose period is unknown (item without that date, part without a date code) are not in any period;
    their count is reported as `undated`. Rows are sorted by their count in the latest period, then by their
    count over all periods, then by key.
    """
    _check_unit(unit)
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    plan = _Plan(by=by, attribution=attribution, foreign_only=foreign_only, as_of=as_of)
    qs = plan.restrict(_findings(filters, items))
    cols = {**plan.columns(), "_p": F(_PERIOD_COLUMN[period])}
    grouped = qs.annotate(**cols).values(*cols).annotate(n=_unit_aggregate(unit))
    counts: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    undated = 0
    for row in grouped:
        key = plan.key(row)
        if key is _SKIP:
            continue
        if row["_p"] is None:
            undated += row["n"] or 0
            continue
        counts[key][int(row["_p"])] += row["n"] or 0
    totals: dict[int, int] = defaultdict(int)
    for per_period in counts.values():
        for year, n in per_period.items():
            totals[year] += n
    years = sorted(y for y, n in totals.items() if n)
    labels = plan.labels(counts)
    rows = []
    for k, per_period in counts.items():
        if not any(per_period.values()):
            continue
        exact = {y: per_period.get(y, 0) / totals[y] for y in years}
        change = {str(y): round((exact[y] - exact[prev]) * 100, 2) for prev, y in pairwise(years)}
        rows.append(
            {
                "key": labels[k][0],
                "label": labels[k][1],
                "counts": {str(y): per_period.get(y, 0) for y in years},
                "shares": {str(y): round(exact[y], 4) for y in years},
                "change_pp": change,
                "_last": per_period.get(years[-1], 0) if years else 0,
                "count": sum(per_period.values()),
            }
        )
    rows.sort(key=lambda r: (-r["_last"], *_sort_key(r)))
    for row in rows:
        del row["_last"], row["count"]
    return {
        **plan.rule(unit),
        "status": filters.status,
        "period": period,
        "filters": filters.as_dict(),
        "foreign_only": foreign_only,
        "periods": [{"period": y, "total": totals[y]} for y in years],
        "undated": undated,
        "rows": rows,
    }


def produced_after(
    *,
    filters: AnalyticsFilters,
    by: str = "country",
    attribution: str = "hq",
    unit: str = "units",
    after: dt.date = RUSSIAN_INVASION,
    foreign_only: bool = False,
    as_of: dt.date | None = None,
    items: QuerySet[RecoveredItem] | None = None,
) -> dict:
    """Production-date evidence: per key, how many dated parts were produced after `after`.

    A part counts as produced after the date when its whole production week (ISO year and week of the
    date code) lies after it; a code giving only a year counts when that year is later than the date's.
    Lines without a readable date code are reported as `undated`, per row and in total.
    """
    _check_unit(unit)
    plan = _Plan(by=by, attribution=attribution, foreign_only=foreign_only, as_of=as_of)
    qs = plan.restrict(_findings(filters, items))
    iso_year, iso_week, _weekday = after.isocalendar()
    week_after = Q(produced_year__gt=iso_year) | Q(produced_year=iso_year, produced_week__gt=iso_week)
    later = (Q(produced_week__isnull=False) & week_after) | Q(produced_week__isnull=True, produced_year__gt=after.year)
    cols = {
        **plan.columns(),
        "_d": Case(
            When(later, then=Value(2)),
            When(produced_year__isnull=False, then=Value(1)),
            default=Value(0),
        ),
    }
    grouped = qs.annotate(**cols).values(*cols).annotate(n=_unit_aggregate(unit))
    per_key: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])  # undated, dated before/ambiguous, after
    for row in grouped:
        key = plan.key(row)
        if key is _SKIP:
            continue
        per_key[key][row["_d"]] += row["n"] or 0
    labels = plan.labels(per_key)
    rows = []
    for k, (undated, before, later_n) in per_key.items():
        dated = before + later_n
        if not (dated or undated):
            continue
        rows.append(
            {
                "key": labels[k][0],
                "label": labels[k][1],
                "dated": dated,
                "undated": undated,
                "produced_after": later_n,
                "share_after": round(later_n / dated, 4) if dated else None,
                "count": later_n,
            }
        )
    rows.sort(key=lambda r: (-r["produced_after"], -r["dated"], r["key"] is None, str(r["key"] or "")))
    for row in rows:
        del row["count"]
    dated_total = sum(r["dated"] for r in rows)
    after_total = sum(r["produced_after"] for r in rows)
    return {
        **plan.rule(unit),
        "status": filters.status,
        "after": after.isoformat(),
        "filters": filters.as_dict(),
        "foreign_only": foreign_only,
        "dated": dated_total,
        "undated": sum(r["undated"] for r in rows),
        "produced_after": after_total,
        "share_after": round(after_total / dated_total, 4) if dated_total else None,
        "rows": rows,
    }


class CountingChoice(NamedTuple):
    """One choice of a counting rule, worded once: a short label (form choices, the one-line counting rule)
    and the sentence a briefing prints."""

    label: str
    rule: str


UNIT_RULES = {
    "units": CountingChoice(_("component units"), _("the sum of the quantities recorded on each teardown line")),
    "parts": CountingChoice(
        _("distinct part types"),
        _("distinct part types per recovered item (a part found in two items counts twice)"),
    ),
}
ATTRIBUTION_RULES = {
    "hq": CountingChoice(_("maker's HQ country"), _("the country of the maker's headquarters")),
    "parent": CountingChoice(
        _("ultimate parent's HQ country"),
        _("the headquarters country of the maker's ultimate parent company on {as_of}"),
    ),
    "origin": CountingChoice(_("origin marking"), _("the country-of-origin marking printed on the package")),
}
STATUS_RULES = {
    "any": CountingChoice(
        _("working view: all statuses"), _("every item, whatever its review status (drafts included)")
    ),
    "submitted": CountingChoice(
        _("submitted, verified or published items"), _("items submitted for review, verified or published")
    ),
    "verified": CountingChoice(
        _("verified or published items"), _("items verified by a second person (four eyes) or published")
    ),
    "published": CountingChoice(_("published items only"), _("published items only")),
}
PERIOD_RULES = {
    "recovered": CountingChoice(_("year recovered"), _("the year the item was recovered")),
    "analysed": CountingChoice(_("year analysed"), _("the year the item was analysed")),
    "produced": CountingChoice(_("year produced (date codes)"), _("the production year read from the date code")),
}
# The denominator, by `foreign_only`: the short label of the one-line rule, and the briefing's sentence.
SCOPE_RULES = {
    False: CountingChoice(
        _("all findings"), _("all {total} {unit} found, including those made in the weapon's country of origin")
    ),
    True: CountingChoice(
        _("foreign parts only (weapon's origin country left out)"),
        _("{total} {unit} made outside the weapon's country of origin (foreign-made only)"),
    ),
}
PRODUCED_AFTER_RULE = CountingChoice(
    _("produced after: {date} (whole production week after the date)"),
    _(
        "Read from date codes printed on the parts; a part counts as produced after "
        "{date} when its whole production week lies after that date."
    ),
)
UNKNOWN_RULE = _("Parts whose maker or country is not known are counted as “unknown”, never dropped.")


def counting_rule_sentences(*, unit: str, attribution: str, as_of: str = "") -> list[tuple[str, str]]:
    """How parts are counted, as (label, sentence): the unit, the attribution and the unknown values, worded
    from the tables above (a briefing adds its status, denominator and periods; the catalogue its scope)."""
    unit_name, unit_rule = UNIT_RULES[unit]
    return [
        (gettext("Unit"), f"{unit_name}: {unit_rule}."),
        (
            gettext("Attribution"),
            gettext("A part counts for {attribution}.").format(
                attribution=ATTRIBUTION_RULES[attribution].rule.format(as_of=as_of)
            ),
        ),
        (gettext("Unknown values"), str(UNKNOWN_RULE)),
    ]


# The dimensions in words (the counting rule's "by:"; the keys stay in JSON and the API).
DIMENSION_LABELS = {
    "country": _("maker's country"),
    "manufacturer": _("manufacturer"),
    "category": _("category"),
    "chpl-tier": _("CHPL tier"),
    "module": _("module"),
}


def _label(rules: dict[str, CountingChoice], key: str) -> str:
    return str(rules[key].label) if key in rules else key


def rule_label(kind: str, key: str) -> str:
    """A counting option in words, in the active language: `rule_label("by", "country")` is "maker's country";
    kinds `by`, `unit`, `attribution`, `status`, `period`."""
    if kind == "by":
        return str(DIMENSION_LABELS.get(key, key))
    rules = {"unit": UNIT_RULES, "attribution": ATTRIBUTION_RULES, "status": STATUS_RULES, "period": PERIOD_RULES}
    return _label(rules[kind], key)


def counting_rule(result: dict) -> str:
    """The counting rule of a `breakdown`, `shift` or `produced_after` result, as one line of text."""
    parts = [
        _("by: {by}").format(by=rule_label("by", result["by"])),
        _("unit: {unit}").format(unit=_label(UNIT_RULES, result["unit"])),
        _("attribution: {attribution}").format(attribution=_label(ATTRIBUTION_RULES, result["attribution"])),
    ]
    if result.get("as_of"):
        parts[-1] += " " + _("on {date}").format(date=result["as_of"])
    scope = SCOPE_RULES[bool(result.get("foreign_only"))].label
    if "total" in result:
        parts.append(_("denominator: {scope}, total {total}").format(scope=scope, total=result["total"]))
    elif "periods" in result:
        parts.append(
            _("denominator: {scope}, per period; {undated} without a period left out").format(
                scope=scope, undated=result.get("undated", 0)
            )
        )
    else:
        parts.append(
            _("denominator: dated lines of {scope}; {undated} undated").format(
                scope=scope, undated=result.get("undated", 0)
            )
        )
    if "status" in result:
        parts.append(_("status: {status}").format(status=_label(STATUS_RULES, result["status"])))
    if "period" in result:
        parts.append(_("period: {period}").format(period=_label(PERIOD_RULES, result["period"])))
    if "after" in result:
        parts.append(PRODUCED_AFTER_RULE.label.format(date=result["after"]))
    filters = result.get("filters") or {}
    parts.append(
        _("filters: {filters}").format(
            filters=", ".join(f"{k}={v}" for k, v in filters.items()) if filters else _("none")
        )
    )
    return "; ".join(parts)
