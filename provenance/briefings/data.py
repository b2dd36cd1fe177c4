"""The data a briefing shows, computed by the analytics selectors, and the SHA-256 digest of that data.

Every number comes from `provenance.selectors.analytics` (aggregate queries in the database); this module
only chooses which breakdowns a briefing needs, lists the recovered items and findings of the selection,
and fingerprints all of it so that a report can be checked against the data it was made from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import CharField, Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import Cast

from provenance.models import Finding, RecoveredItem, Source
from provenance.models.items import TLP

from .params import BriefingParams
from .sanctions import sanctions_tables

CHUNK = 5000
DIGEST_CHUNK = 20000


def annex_limit() -> int:
    """How many findings the HTML/PDF annex lists before it says "see the CSV" (setting BRIEFING_ANNEX_LIMIT)."""
    return int(getattr(settings, "BRIEFING_ANNEX_LIMIT", 400))


def items_limit() -> int:
    """How many recovered items the HTML/PDF lists (setting BRIEFING_ITEMS_LIMIT); the CSV lists all."""
    return int(getattr(settings, "BRIEFING_ITEMS_LIMIT", 50))


@dataclasses.dataclass
class BriefingData:
    """Everything a briefing shows. `tables` are the selectors' own JSON results, unchanged."""

    params: BriefingParams
    tlp: str
    tables: dict[str, Any]
    key_figures: dict[str, Any]
    items: list[dict[str, Any]]
    items_total: int
    annex: list[dict[str, Any]]
    annex_total: int
    weapons: list[dict[str, str]]
    selected_items: QuerySet = dataclasses.field(repr=False)
    digest: str = ""


def selected_items(*, params: BriefingParams, organisation=None) -> QuerySet[RecoveredItem]:
    """The recovered items a briefing covers: the filters, the chosen items, and the caller's visibility.

    The filters mean what they mean to the analytics selectors (weapon by designation or alias, family,
    item reference, recovery dates), so the items listed are exactly the items counted.
    """
    from provenance.selectors.analytics import items_matching

    visible = None
    if organisation is not None:
        from provenance.selectors.visibility import items_visible_to

        visible = items_visible_to(organisation=organisation)
    queryset = items_matching(filters=params.filters(), items=visible)
    if params.items:
        queryset = queryset.filter(reference__in=params.items)
    return queryset


def briefing_data(*, params: BriefingParams, organisation=None) -> BriefingData:
    """Compute every table of a briefing for `params`, restricted to what `organisation` may see."""
    from provenance.selectors.analytics import breakdown, produced_after, shift

    items_qs = selected_items(params=params, organisation=organisation)
    # The selectors take the item queryset only when the selection is not expressible as filters,
    # so the common case (a weapon, all data) runs the selectors' fastest plan.
    restrict = items_qs if (organisation is not None or params.items) else None
    filters = params.filters()
    rules = {"attribution": params.attribution, "unit": params.unit, "as_of": params.as_of, "items": restrict}
    tables = {
        "country": breakdown(filters=filters, by="country", foreign_only=params.foreign_only, **rules),
        "foreign": breakdown(filters=filters, by="country", foreign_only=True, **rules),
        "manufacturer": breakdown(
            filters=filters, by="manufacturer", foreign_only=params.foreign_only, **{**rules, "attribution": "hq"}
        ),
        "parent": breakdown(
            filters=filters, by="manufacturer", foreign_only=params.foreign_only, **{**rules, "attribution": "parent"}
        ),
        "chpl": breakdown(filters=filters, by="chpl-tier", foreign_only=params.foreign_only, **rules),
        "shift": shift(filters=filters, by="country", period=params.period, foreign_only=params.foreign_only, **rules),
        "produced_after": produced_after(
            filters=filters, after=params.produced_after, by="country", foreign_only=params.foreign_only, **rules
        ),
    }
    tables.update(
        sanctions_tables(
            filters=filters, unit=params.unit, foreign_only=params.foreign_only, as_of=params.as_of, items=restrict
        )
    )
    findings_qs = findings_of(items_qs)
    counts = items_qs.aggregate(n=Count("id"))
    lines = findings_qs.aggregate(n=Count("id"), units=Sum("quantity"))
    tlp = TLP.highest(items_qs.order_by().values_list("tlp", flat=True).distinct())

    item_rows = list_items(items_qs=items_qs, limit=items_limit())
    annex_rows = list(annex_rows_iter(findings_qs=findings_qs, limit=annex_limit()))
    data = BriefingData(
        params=params,
        tlp=str(tlp.value),
        tables=tables,
        key_figures=_key_figures(tables, items=counts["n"], lines=lines["n"]),
        items=item_rows,
        items_total=counts["n"],
        annex=annex_rows,
        annex_total=lines["n"],
        weapons=list(
            items_qs.order_by()
            .values(
                "weapon_model__designation",
                "weapon_model__name",
                "weapon_model__name_uk",
                "weapon_model__origin_country",
            )
            .distinct()
            .order_by("weapon_model__designation")
        ),
        selected_items=items_qs,
    )
    data.digest = data_digest(data=data, findings_qs=findings_qs)
    return data


def findings_of(items_qs: QuerySet[RecoveredItem]) -> QuerySet[Finding]:
    """Every finding of the selected items: the annex lists them all, also when the tables count foreign parts
    only."""
    return Finding.objects.filter(item__in=items_qs.order_by().values("pk"))


def all_items(data: BriefingData) -> list[dict[str, Any]]:
    """Every recovered item of the briefing, as `list_items` rows (the CSV lists them all)."""
    return list_items(items_qs=data.selected_items, limit=None)


def all_findings(data: BriefingData) -> Iterator[dict[str, Any]]:
    """Every finding of the briefing, as annex rows, streamed in chunks (the CSV lists them all)."""
    return annex_rows_iter(findings_qs=findings_of(data.selected_items), limit=None)


def _key_figures(tables: dict[str, Any], *, items: int, lines: int) -> dict[str, Any]:
    country = tables["country"]
    known_countries = [r for r in country["rows"] if r["key"] is not None]
    makers = tables["manufacturer"]
    after = tables["produced_after"]
    chpl_priority = sum(r["count"] for r in tables["chpl"]["rows"] if r["key"] in ("1", "2"))
    return {
        "items": items,
        "lines": lines,
        "total": country["total"],
        "foreign": tables["foreign"]["total"],
        "foreign_share": (tables["foreign"]["total"] / country["total"]) if country["total"] else 0.0,
        "countries": len(known_countries),
        "manufacturers": sum(1 for r in makers["rows"] if r["key"] is not None),
        "chpl_priority": chpl_priority,
        "produced_after": after["produced_after"],
        "dated": after["dated"],
    }


def list_items(*, items_qs: QuerySet[RecoveredItem], limit: int | None) -> list[dict[str, Any]]:
    """The recovered items with their weapon, place, counts and sources (first `limit`, newest first)."""
    from provenance.selectors.items import recovered_items_with_counts

    queryset = (
        recovered_items_with_counts(items_qs)
        .select_related("strike")
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("published_on", "title")))
        .order_by(F("recovered_on").desc(nulls_last=True), "reference")
    )
    if limit is not None:
        queryset = queryset[:limit]
    return [
        {
            "reference": item.reference,
            "weapon": item.weapon_model.designation,
            "weapon_name": item.weapon_model.name,
            "recovered_on": item.recovered_on,
            "recovered_on_precision": item.recovered_on_precision,
            "analysed_on": item.analysed_on,
            "place": item.place,
            "strike": str(item.strike) if item.strike else "",
            "strike_on": item.strike.occurred_on if item.strike else None,
            "strike_place": item.strike.place if item.strike else "",
            "status": item.get_status_display(),
            "tlp": item.tlp,
            "lines": item.finding_count,
            "units": item.unit_count,
            "sources": [
                {
                    "publisher": s.publisher,
                    "title": s.title,
                    "url": s.url,
                    "published_on": s.published_on,
                    "reliability": s.reliability,
                }
                for s in item.sources.all()
            ],
        }
        for item in queryset
    ]


# The annex's columns: the finding's value (a `values()` lookup) and its header in the CSV.
ANNEX_COLUMNS = (
    ("item__reference", "item"),
    ("line_no", "line"),
    ("part__part_number", "part number"),
    ("manufacturer__name", "manufacturer"),
    ("country", "country"),
    ("origin_country", "origin country"),
    ("quantity", "quantity"),
    ("marking", "marking"),
    ("date_code", "date code"),
    ("produced_year", "produced year"),
    ("produced_week", "produced week"),
    ("module", "module"),
    ("category__name", "category"),
    ("confidence", "confidence"),
)
ANNEX_FIELDS = tuple(lookup for lookup, _header in ANNEX_COLUMNS)


def annex_rows_iter(*, findings_qs: QuerySet[Finding], limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Yield the findings as plain rows, in item and line order (all of them when `limit` is None)."""
    queryset = findings_qs.order_by("item__reference", "line_no", "id").values(*ANNEX_FIELDS)
    if limit is not None:
        yield from queryset[:limit]
    else:
        yield from queryset.iterator(chunk_size=CHUNK)


def data_digest(*, data: BriefingData, findings_qs: QuerySet[Finding]) -> str:
    """SHA-256 of the computed tables plus the ids and last changes of every included item and finding.

    Title and note are left out: they are words about the data, not data. Regenerating a briefing from
    unchanged data gives the same digest; editing any included finding or item changes it.
    """
    selection = {k: v for k, v in data.params.to_json().items() if k not in ("title", "note")}
    payload = {"selection": selection, "tlp": data.tlp, "tables": data.tables, "key_figures": data.key_figures}
    digest = hashlib.sha256(canonical_json(payload).encode())
    sources = Source.objects.filter(pk__in=data.selected_items.order_by().values("sources"))
    for name, queryset in (("items", data.selected_items), ("sources", sources), ("findings", findings_qs)):
        digest.update(f"\n{name}\n".encode())
        _fingerprint(digest, queryset)
    return digest.hexdigest()


def _fingerprint(digest, queryset: QuerySet) -> None:
    """Feed `id:updated_at` of every row, in id order, into `digest`.

    The timestamp is read as text in the database: building a million datetime objects would take most
    of a briefing's time. The text differs between database engines, not between runs on one database.
    """
    rows = (
        queryset.order_by("id")
        .annotate(changed=Cast("updated_at", CharField()))
        .values_list("id", "changed")
        .iterator(chunk_size=DIGEST_CHUNK)
    )
    batch: list[str] = []
    for pk, changed in rows:
        batch.append(f"{pk}:{changed}\n")
        if len(batch) >= DIGEST_CHUNK:
            digest.update("".join(batch).encode())
            batch.clear()
    digest.update("".join(batch).encode())


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces and dates as ISO strings: equal data gives equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, QuerySet):
        return None
    return str(value)
