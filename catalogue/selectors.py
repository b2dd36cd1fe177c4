"""Reads of the public catalogue: only what `provenance.selectors.visibility` makes public, nothing else.

Every queryset here starts from `items_public`, `findings_public` or `evidence_public`; the filters' option
lists, the counts and the weapon pages' breakdowns are computed over those same querysets, so a draft,
non-CLEAR or RED item can reach no page, no option list and no number. Internal fields (notes, site
details, custody, owners, the people who entered or uploaded) are never selected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from components.models import Category
from components.partnumbers import part_number_key
from config.common.countries import country_name
from config.common.text import localized
from manufacturers.models import Manufacturer, Ownership
from provenance.models import EvidenceFile, Finding, RecoveredItem, Source, WeaponModel
from provenance.selectors.analytics import AnalyticsFilters, breakdown, shift, ultimate_parents
from provenance.selectors.items import recovered_items_with_counts
from provenance.selectors.sanctions import designations_in_force
from provenance.selectors.visibility import evidence_public, findings_public, items_public

__all__ = [
    "EXPORT_FIELDS",
    "SORTS",
    "CatalogueFilters",
    "FilterOptions",
    "catalogue_component",
    "catalogue_designations",
    "catalogue_export",
    "catalogue_filter_options",
    "catalogue_findings",
    "catalogue_manufacturer",
    "catalogue_parents",
    "catalogue_photo",
    "catalogue_sample_components",
    "catalogue_weapon",
]

# The columns a public page shows; everything else of a finding or item stays in the database.
FINDING_FIELDS = (
    "id",
    "item_id",
    "line_no",
    "quantity",
    "marking",
    "date_code",
    "produced_year",
    "produced_week",
    "country",
    "manufacturer_id",
    "part_id",
    "category_id",
    "module",
    "item__reference",
    "item__weapon_model_id",
    "item__weapon_model__designation",
    "item__weapon_model__name",
    "manufacturer__name",
    "manufacturer__country",
    "part__part_number",
    "category__name",
)
PHOTO_FIELDS = ("id", "item_id", "finding_id", "public_image", "public_thumbnail")


# The list's orders: a key of the `sort` filter -> its ORDER BY (the first is the default; each ends on the id,
# so a page never repeats or skips a line). The default one walks the partial index of the public lines.
SORTS = {
    "new": ("-id",),
    "produced": (F("produced_year").desc(nulls_last=True), F("produced_week").desc(nulls_last=True), "-id"),
    "produced-old": (F("produced_year").asc(nulls_last=True), F("produced_week").asc(nulls_last=True), "id"),
    "maker": (F("manufacturer__name").asc(nulls_last=True), "id"),
    "part": (F("part__part_number").asc(nulls_last=True), "id"),
}
DEFAULT_SORT = "new"


@dataclass(frozen=True)
class CatalogueFilters:
    """The list page's filters; each one optional; `sort` orders the rows and changes no count."""

    manufacturer: int | None = None
    country: str | None = None
    weapon: int | None = None
    category: int | None = None
    search: str = ""
    sort: str = DEFAULT_SORT

    def selection(self) -> CatalogueFilters:
        """The same filters in the default order: what the count depends on."""
        return replace(self, sort=DEFAULT_SORT)


@dataclass(frozen=True)
class FilterOptions:
    """(value, label, public lines) of each filter, taken only from public findings, and their number."""

    manufacturers: list[tuple[int, str, int]]
    countries: list[tuple[str, str, int]]
    weapons: list[tuple[int, str, int]]
    categories: list[tuple[int, str, int]]
    total: int  # public findings in all


def _public_photos(**lookup) -> Prefetch:
    return Prefetch(
        "evidence",
        queryset=evidence_public().filter(**lookup).only(*PHOTO_FIELDS).order_by("created_at", "pk"),
        to_attr="public_photos",
    )


def _selected(filters: CatalogueFilters) -> QuerySet[Finding]:
    qs = findings_public()
    if filters.manufacturer is not None:
        qs = qs.filter(manufacturer_id=filters.manufacturer)
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.weapon is not None:
        qs = qs.filter(item__weapon_model_id=filters.weapon)
    if filters.category is not None:
        qs = qs.filter(category_id=filters.category)
    text = filters.search.strip()
    if text:
        match = Q(marking__icontains=text)
        key = part_number_key(text)
        if key:
            match |= Q(part__part_number_key__startswith=key)
        qs = qs.filter(match)
    return (
        qs.select_related("item__weapon_model", "manufacturer", "part", "category")
        .only(*FINDING_FIELDS)
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


def catalogue_findings(*, filters: CatalogueFilters) -> QuerySet[Finding]:
    """Public findings matching `filters`, in the order `filters.sort` names, with their public photos
    (`public_photos`)."""
    return _selected(filters).prefetch_related(_public_photos(finding__isnull=False))


# The columns of the CSV export: the list's own public columns, nothing else.
EXPORT_FIELDS = (
    "id",
    "part__part_number",
    "marking",
    "category__name",
    "quantity",
    "manufacturer_id",
    "manufacturer__name",
    "country",
    "item__weapon_model__designation",
    "item__reference",
    "date_code",
    "produced_year",
    "produced_week",
    "module",
)


def catalogue_export(*, filters: CatalogueFilters) -> Iterator[dict]:
    """Every public finding matching `filters` (`EXPORT_FIELDS`), in its order, streamed from the database in
    chunks (the CSV download)."""
    return _selected(filters).values(*EXPORT_FIELDS).iterator(chunk_size=2000)


def catalogue_sample_components(*, finding: Finding, limit: int = 200) -> list[Finding]:
    """The other public lines of `finding`'s sample, in teardown order (at most `limit`)."""
    return list(
        findings_public()
        .filter(item_id=finding.item_id)
        .exclude(pk=finding.pk)
        .select_related("manufacturer", "part", "category")
        .only(*(name for name in FINDING_FIELDS if not name.startswith("item__")))
        .order_by("line_no", "id")[:limit]
    )


def catalogue_filter_options() -> FilterOptions:
    """The values each filter offers, only those some public finding has, with the number of public findings
    of each, and the number of public findings in all.

    One query: four GROUP BYs of the public findings, each an index-only scan of a small partial index
    (`Finding.Meta.indexes`; the weapon's through the lines per item), joined by UNION ALL; three small
    queries then name the values.
    """
    public = findings_public().order_by()
    parts = [
        public.values_list("manufacturer_id").annotate(n=Count("*")),
        public.values_list("country").annotate(n=Count("*")),
        public.values_list("category_id").annotate(n=Count("*")),
        public.values_list("item_id").annotate(n=Count("*")),
    ]
    sqls, params = [], []
    for part in parts:
        sql, part_params = part.query.sql_with_params()
        sqls.append(sql)
        params.extend(part_params)
    items = connection.ops.quote_name(RecoveredItem._meta.db_table)
    query = (
        f"SELECT 1, s.manufacturer_id, NULL, s.n FROM ({sqls[0]}) s "  # noqa: S608 - our own SQL and a table name
        f"UNION ALL SELECT 2, NULL, s.country, s.n FROM ({sqls[1]}) s "
        f"UNION ALL SELECT 3, s.category_id, NULL, s.n FROM ({sqls[2]}) s "
        f"UNION ALL SELECT 4, i.weapon_model_id, NULL, SUM(s.n) FROM ({sqls[3]}) s JOIN {items} i ON i.id = s.item_id "
        "GROUP BY i.weapon_model_id"
    )
    counts: dict[int, dict] = {1: {}, 2: {}, 3: {}, 4: {}}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for kind, number, text, count in cursor.fetchall():
            counts[kind][text if kind == 2 else number] = int(count)
    total = sum(counts[1].values())

    def named(model, field: str, found: dict) -> list[tuple[int, str, int]]:
        rows = model.objects.filter(pk__in=set(found) - {None}).order_by(field).values_list("pk", field)
        return [(pk, label, found[pk]) for pk, label in rows]

    countries = sorted(((code, country_name(code), n) for code, n in counts[2].items() if code), key=lambda row: row[1])
    return FilterOptions(
        manufacturers=named(Manufacturer, "name", counts[1]),
        countries=countries,
        weapons=named(WeaponModel, "designation", counts[4]),
        categories=named(Category, "name", counts[3]),
        total=total,
    )


def catalogue_designations(*, manufacturer_ids) -> dict[int, list[dict]]:
    """manufacturer id -> its sanctions designations in force today (official lists: authority, programme,
    start date, and whether through an owner); makers without one are left out."""
    found = designations_in_force(manufacturer_ids=set(manufacturer_ids) - {None}, as_of=timezone.localdate())
    return {maker: rows for maker, rows in found.items() if rows}


def catalogue_parents(*, manufacturer_ids, as_of: dt.date | None = None) -> dict[int, Manufacturer]:
    """manufacturer id -> its ultimate parent today (for the "Maxim Integrated (Analog Devices)" labels);
    makers without a parent are left out."""
    roots = ultimate_parents(as_of or timezone.localdate())
    wanted = {m: roots[m] for m in manufacturer_ids if m in roots and roots[m] != m}
    if not wanted:
        return {}
    parents = Manufacturer.objects.only("pk", "name", "country").in_bulk(set(wanted.values()))
    return {m: parents[root] for m, root in wanted.items() if root in parents}


def catalogue_component(*, pk: int) -> Finding | None:
    """One public finding with its item, strike, source and photos (the finding's and the item's own)."""
    return (
        findings_public()
        .select_related("item__weapon_model", "item__strike", "manufacturer", "part", "category", "source")
        .defer("notes", "item__notes", "item__site_details", "item__custody_notes", "source__notes")
        .prefetch_related(
            _public_photos(finding__isnull=False),
            Prefetch("item__sources", queryset=Source.objects.defer("notes")),
            Prefetch(
                "item__evidence",
                queryset=evidence_public().filter(finding__isnull=True).only(*PHOTO_FIELDS),
                to_attr="public_photos",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def catalogue_weapon(*, designation: str) -> dict | None:
    """A weapon model's public page: its public samples, the breakdown by maker's country and the shift;
    None when the model has no public sample."""
    weapon = WeaponModel.objects.filter(designation__iexact=designation).first()
    if weapon is None:
        return None
    items = items_public()
    samples = list(
        recovered_items_with_counts(items.filter(weapon_model=weapon))
        .select_related("strike")
        .defer("notes", "site_details", "custody_notes")
        .order_by("-recovered_on", "reference")
    )
    if not samples:
        return None
    filters = AnalyticsFilters(weapon=weapon.designation)
    return {
        "weapon": weapon,
        "samples": samples,
        "breakdown": breakdown(filters=filters, by="country", items=items),
        "shift": shift(filters=filters, by="country", items=items),
    }


def catalogue_manufacturer(*, pk: int) -> dict | None:
    """A maker's public page: country, owners, its public components by part and by weapon, its designations;
    None unless it (or a company it owns) made a public finding."""
    manufacturer = Manufacturer.objects.filter(pk=pk).only("pk", "name", "country", "website").first()
    if manufacturer is None:
        return None
    today = timezone.localdate()
    roots = ultimate_parents(today)
    subsidiaries = [child for child, root in roots.items() if root == pk]
    public = findings_public().order_by()
    mine = public.filter(manufacturer=manufacturer)
    if not mine.exists() and not public.filter(manufacturer_id__in=subsidiaries).exists():
        return None
    current_owners = (
        Ownership.objects.filter(child=manufacturer, start_on__lte=today)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
        .select_related("parent")
        .only("start_on", "parent__id", "parent__name", "parent__country")
        .order_by("-start_on")
    )
    owned = (
        Manufacturer.objects.filter(pk__in=subsidiaries)
        .filter(Exists(public.filter(manufacturer=OuterRef("pk"))))
        .only("pk", "name", "country")
        .order_by("name")
    )
    parts = list(
        mine.values("part__part_number", "category__name")
        .annotate(lines=Count("pk"), units=Sum("quantity"))
        .order_by("-units", "part__part_number")[:200]
    )
    weapons = [
        row
        | {"item__weapon_model__name": localized(row["item__weapon_model__name"], row["item__weapon_model__name_uk"])}
        for row in mine.values(
            "item__weapon_model__designation", "item__weapon_model__name", "item__weapon_model__name_uk"
        )
        .annotate(samples=Count("item", distinct=True), units=Sum("quantity"))
        .order_by("-units", "item__weapon_model__designation")
    ]
    totals = mine.aggregate(lines=Count("pk"), units=Sum("quantity"))
    return {
        "manufacturer": manufacturer,
        "parent": catalogue_parents(manufacturer_ids=[pk], as_of=today).get(pk),
        "owners": list(current_owners),
        "subsidiaries": list(owned),
        "parts": parts,
        "weapons": weapons,
        "lines": totals["lines"] or 0,
        "units": totals["units"] or 0,
        "designations": _designations(manufacturer),
    }


def _designations(manufacturer: Manufacturer) -> list | None:
    """The maker's sanctions designations, or None where this installation keeps none (guarded: the
    sanctions model is being widened in parallel, and the page must work without it)."""
    related = getattr(manufacturer, "designations", None)
    if related is None:
        return None
    return list(related.all())


def catalogue_photo(*, pk: int) -> EvidenceFile | None:
    """A public photo's row (its copies' names), or None when it is not public (or its item is not)."""
    return evidence_public().only(*PHOTO_FIELDS).filter(pk=pk).first()
