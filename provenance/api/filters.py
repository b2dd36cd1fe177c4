"""Query filters of the partner API (django-filter); weapon matching is the analytics selectors' own."""

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field

from components.models import Part
from manufacturers.models import Manufacturer
from provenance.filters import validate_country, validate_weapon
from provenance.models import Finding, RecoveredItem, Strike, WeaponModel
from provenance.models.items import TLP
from provenance.selectors.analytics import weapon_models_matching

__all__ = [
    "FindingFilter",
    "ManufacturerFilter",
    "PartFilter",
    "RecoveredItemFilter",
    "StrikeFilter",
    "WeaponModelFilter",
]


MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An object id: a whole number within range (out of range is a 400, never a database overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 9999})
class YearFilter(filters.NumberFilter):
    """A year (production year from date codes)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, min_value=0, max_value=9999, **kwargs)


def _weapon(prefix: str):
    """A filter method: `?weapon=9M727` or an alias (`Geran-2`) matches that weapon model."""

    def method(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{prefix}__in": weapon_models_matching(value).values("pk")})

    return method


class WeaponModelFilter(filters.FilterSet):
    designation = filters.CharFilter(lookup_expr="iexact")
    family = filters.CharFilter(lookup_expr="iexact")
    kind = filters.ChoiceFilter(choices=WeaponModel.Kind.choices)
    origin_country = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = WeaponModel
        fields = ["designation", "family", "kind", "origin_country"]


class StrikeFilter(filters.FilterSet):
    occurred_from = filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_to = filters.DateFilter(field_name="occurred_on", lookup_expr="lte")
    place = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Strike
        fields = ["occurred_from", "occurred_to", "place"]


class RecoveredItemFilter(filters.FilterSet):
    weapon = filters.CharFilter(
        method=_weapon("weapon_model"),
        label=gettext_lazy("weapon (designation or alias)"),
        validators=[validate_weapon],
    )
    family = filters.CharFilter(field_name="weapon_model__family", lookup_expr="iexact")
    reference = filters.CharFilter()
    strike = IdFilter(field_name="strike_id")
    recovered_from = filters.DateFilter(field_name="recovered_on", lookup_expr="gte")
    recovered_to = filters.DateFilter(field_name="recovered_on", lookup_expr="lte")
    tlp = filters.ChoiceFilter(choices=TLP.choices)
    status = filters.ChoiceFilter(choices=RecoveredItem.Status.choices)

    class Meta:
        model = RecoveredItem
        fields = ["weapon", "family", "reference", "strike", "recovered_from", "recovered_to", "tlp", "status"]


class FindingFilter(filters.FilterSet):
    weapon = filters.CharFilter(
        method=_weapon("item__weapon_model"),
        label=gettext_lazy("weapon (designation or alias)"),
        validators=[validate_weapon],
    )
    family = filters.CharFilter(field_name="item__weapon_model__family", lookup_expr="iexact")
    item = filters.CharFilter(field_name="item__reference", label=gettext_lazy("recovered item (reference)"))
    recovered_from = filters.DateFilter(field_name="item__recovered_on", lookup_expr="gte")
    recovered_to = filters.DateFilter(field_name="item__recovered_on", lookup_expr="lte")
    country = filters.CharFilter(
        lookup_expr="iexact", label=gettext_lazy("maker's country (ISO alpha-2)"), validators=[validate_country]
    )
    origin_country = filters.CharFilter(lookup_expr="iexact", validators=[validate_country])
    manufacturer = IdFilter(field_name="manufacturer_id")
    part_number = filters.CharFilter(field_name="part__part_number", lookup_expr="iexact")
    category = filters.CharFilter(field_name="category__name", lookup_expr="iexact")
    module = filters.CharFilter(lookup_expr="icontains")
    confidence = filters.ChoiceFilter(choices=Finding.Confidence.choices)
    produced_from = YearFilter(
        field_name="produced_year", lookup_expr="gte", label=gettext_lazy("produced in or after")
    )
    produced_to = YearFilter(field_name="produced_year", lookup_expr="lte", label=gettext_lazy("produced in or before"))

    class Meta:
        model = Finding
        fields = [
            "weapon",
            "family",
            "item",
            "recovered_from",
            "recovered_to",
            "country",
            "origin_country",
            "manufacturer",
            "part_number",
            "category",
            "module",
            "confidence",
            "produced_from",
            "produced_to",
        ]


class ManufacturerFilter(filters.FilterSet):
    country = filters.CharFilter(lookup_expr="iexact", validators=[validate_country])

    class Meta:
        model = Manufacturer
        fields = ["country"]


class PartFilter(filters.FilterSet):
    manufacturer = IdFilter(field_name="manufacturer_id")
    part_number = filters.CharFilter(lookup_expr="iexact")
    category = filters.CharFilter(field_name="category__name", lookup_expr="iexact")
    hs_code = filters.CharFilter(field_name="hs_code__code")

    class Meta:
        model = Part
        fields = ["manufacturer", "part_number", "category", "hs_code"]
