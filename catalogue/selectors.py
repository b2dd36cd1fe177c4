"""Reads of the public catalogue: only what `provenance.selectors.visibility` makes public, nothing else.

Every queryset here starts from `items_public`, `findings_public` or `evidence_public`; the filters' option
lists, the counts and the weapon pages' breakdowns are computed over those same querysets, so a draft,
non-CLEAR or RED item can reach no page, no option list and no number. Internal fields (notes, site
details, custody, owners, the people who entered or uploaded) are never selected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from components.models import Category
from components.partnumbers import part_number_key
from config.common.countries import country_name
from config.common.text import localized
from manufacturers.models import Manufacturer, Ownership
from provenance.models import EvidenceFile, Finding, Source, WeaponModel
from provenance.selectors.analytics import AnalyticsFilters, breakdown, shift, ultimate_parents
from provenance.selectors.items import recovered_items_with_counts
from provenance.selectors.visibility import evidence_public, findings_public, items_public

__all__ = [
    "CatalogueFilters",
    "FilterOptions",
    "catalogue_component",
    "catalogue_filter_options",
    "catalogue_findings",
    "catalogue_manufacturer",
    "catalogue_parents",
    "catalogue_photo",
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


@dataclass(frozen=True)
class CatalogueFilters:
    """The list page's filters; each one optional."""

    manufacturer: int | None = None
    country: str | None = None
    weapon: int | None = None
    category: int | None = None
    search: str = ""


@dataclass(frozen=True)
class FilterOptions:
    """(value, label) pairs of each filter, taken only from public findings, and their number."""

    manufacturers: list[tuple[int, str]]
    countries: list[tuple[str, str]]
    weapons: list[tuple[int, str]]
    categories: list[tuple[int, str]]
    total: int  # public findings in all


def _public_photos(**lookup) -> Prefetch:
    return Prefetch(
        "evidence",
        queryset=evidence_public().filter(**lookup).only(*PHOTO_FIELDS).order_by("created_at", "pk"),
        to_attr="public_photos",
    )


def catalogue_findings(*, filters: CatalogueFilters) -> QuerySet[Finding]:
    """Public findings matching `filters`, newest first, with their public photos (`public_photos`)."""
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
        .prefetch_related(_public_photos(finding__isnull=False))
        .order_by("-id")
    )


_FACETS_SQL = """
WITH s(m, c, k, w) AS ({public})
SELECT 1, m, NULL, COUNT(*) FROM s GROUP BY m
UNION ALL SELECT 2, NULL, c, COUNT(*) FROM s GROUP BY c
UNION ALL SELECT 3, k, NULL, COUNT(*) FROM s GROUP BY k
UNION ALL SELECT 4, w, NULL, COUNT(*) FROM s GROUP BY w
"""


def catalogue_filter_options() -> FilterOptions:
    """The values each filter offers, only those some public finding has, and the number of public findings.

    One scan of the public findings gives all four lists and the total (a UNION of four GROUP BYs over one
    common table expression, which PostgreSQL computes once); three small queries then name the values.
    """
    public = (
        findings_public().order_by().values_list("manufacturer_id", "country", "category_id", "item__weapon_model_id")
    )
    sql, params = public.query.sql_with_params()
    present: dict[int, set] = {1: set(), 2: set(), 3: set(), 4: set()}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(_FACETS_SQL.format(public=sql), params)
        for kind, number, text, count in cursor.fetchall():
            present[kind].add(text if kind == 2 else number)
            total += count if kind == 1 else 0
    manufacturers = Manufacturer.objects.filter(pk__in=present[1] - {None}).order_by("name").values_list("pk", "name")
    categories = Category.objects.filter(pk__in=present[3] - {None}).order_by("name").values_list("pk", "name")
    weapons = WeaponModel.objects.filter(pk__in=present[4]).order_by("designation").values_list("pk", "designation")
    countries = sorted(((code, country_name(code)) for code in present[2] - {None, ""}), key=lambda pair: pair[1])
    return FilterOptions(
        manufacturers=list(manufacturers),
        countries=countries,
        weapons=list(weapons),
        categories=list(categories),
        total=total,
    )


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
