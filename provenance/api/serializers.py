"""Partner serializers: every field listed explicitly; internal fields (analyst notes, custody, exact site,
people, evidence file paths, who else an item is shared with) are never serialised."""

from django.db.models import QuerySet
from django.db.models.manager import BaseManager
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from components.models import Part
from manufacturers.models import Designation, Manufacturer
from provenance import finding_columns
from provenance.models import Finding, RecoveredItem, Source, Strike, WeaponModel
from provenance.services.workflow import FACT_FIELDS

__all__ = [
    "FindingSerializer",
    "ManufacturerSerializer",
    "PartSerializer",
    "RecoveredItemDetailSerializer",
    "RecoveredItemSerializer",
    "StrikeSerializer",
    "WeaponModelSerializer",
]


def _country() -> serializers.CharField:
    """An ISO 3166-1 alpha-2 code ('' when unknown); CountryField values render as their code."""
    return serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2 code ('' when unknown).")


class OptionalURLField(serializers.URLField):
    """A URL, or null when none is recorded (a blank string is not a valid `uri`)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class SourceSerializer(serializers.ModelSerializer):
    url = OptionalURLField()

    class Meta:
        model = Source
        fields = ["publisher", "title", "url", "published_on", "reliability"]
        read_only_fields = fields


class ManufacturerRefSerializer(serializers.ModelSerializer):
    country = _country()

    class Meta:
        model = Manufacturer
        fields = ["id", "name", "country"]
        read_only_fields = fields


class PartRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Part
        fields = ["id", "part_number"]
        read_only_fields = fields


class WeaponModelRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = WeaponModel
        fields = ["id", "designation", "name"]
        read_only_fields = fields


class ItemRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecoveredItem
        fields = ["id", "reference"]
        read_only_fields = fields


# The values a teardown line is built from (`finding_columns`), and the builder.
FINDING_LINE_COLUMNS = finding_columns.api_lookups()
_line = finding_columns.api_row_builder()


def finding_lines(findings: QuerySet[Finding]) -> list[dict]:
    """`FindingInItemSerializer(findings, many=True).data`, built from plain rows (`values_list`) instead of
    model instances: a teardown list has hundreds of lines, and each would cost five instances (the finding,
    its part, manufacturer, category and source). `tests/provenance/test_api_serializers.py` checks both agree."""
    return [_line(values) for values in findings.values_list(*FINDING_LINE_COLUMNS)]


# The values of a finding with its item, in the order `finding_rows` unpacks them.
FINDING_ROW_COLUMNS = ("item_id", "item__reference", "item__weapon_model__designation", *FINDING_LINE_COLUMNS)


def finding_rows(rows) -> list[dict]:
    """`FindingSerializer(findings, many=True).data` from the findings' `values_list(*FINDING_ROW_COLUMNS)`."""
    return [
        _with_item(_line(values), item_id=item_id, reference=reference, weapon_model=weapon_model)
        for item_id, reference, weapon_model, *values in rows
    ]


def _with_item(line: dict, *, item_id: int, reference: str, weapon_model: str) -> dict:
    """A finding line with the item (and weapon model) it was found in, after its id."""
    return {"id": line["id"], "item": {"id": item_id, "reference": reference}, "weapon_model": weapon_model, **line}


class FindingRowsSerializer(serializers.ListSerializer):
    """A list of findings given as rows of `FINDING_ROW_COLUMNS` (tuples: see the findings list's pagination)
    is rendered by `finding_rows`; anything else (model instances) goes through the child serializer."""

    def to_representation(self, data):
        if isinstance(data, list) and data and isinstance(data[0], tuple):
            return finding_rows(data)
        return super().to_representation(data)


class FindingLinesSerializer(serializers.ListSerializer):
    """An item's teardown list: an unevaluated queryset (`item.findings`, not prefetched) is rendered by
    `finding_lines` in one query, ordered by line number; anything else goes through the child serializer."""

    def to_representation(self, data):
        if isinstance(data, BaseManager):
            data = data.all()
        if isinstance(data, QuerySet) and data._result_cache is None:
            return finding_lines(data.order_by("line_no", "id"))
        return super().to_representation(data)


class FindingInItemSerializer(serializers.ModelSerializer):
    """A finding as a line of its item's teardown list."""

    part = PartRefSerializer(read_only=True, allow_null=True)
    manufacturer = ManufacturerRefSerializer(read_only=True, allow_null=True)
    country = _country()
    origin_country = _country()
    category = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    source = SourceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = finding_columns.api_fields()
        read_only_fields = fields
        list_serializer_class = FindingLinesSerializer

    def to_representation(self, finding: Finding) -> dict:
        """The declared fields, built directly by the columns' own builders (`finding_columns`): a teardown list
        has hundreds of lines, and DRF's generic per-field path costs several times more.
        `tests/provenance/test_api_serializers.py` checks both agree."""
        return _line(finding_columns.values_of(finding))


class FindingSerializer(FindingInItemSerializer):
    """A finding with the item (and weapon model) it was found in."""

    item = ItemRefSerializer(read_only=True)
    weapon_model = serializers.CharField(source="item.weapon_model.designation", read_only=True)

    class Meta(FindingInItemSerializer.Meta):
        fields = ["id", "item", "weapon_model", *FindingInItemSerializer.Meta.fields[1:]]
        read_only_fields = fields
        list_serializer_class = FindingRowsSerializer

    def to_representation(self, finding: Finding) -> dict:
        item = finding.item
        line = super().to_representation(finding)
        return _with_item(line, item_id=item.id, reference=item.reference, weapon_model=item.weapon_model.designation)


class RecoveredItemSerializer(serializers.ModelSerializer):
    weapon_model = WeaponModelRefSerializer(read_only=True)
    strike = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    owner = serializers.SerializerMethodField()
    findings_count = serializers.IntegerField(read_only=True)

    def get_owner(self, item: RecoveredItem) -> str | None:
        """The owner's name, to staff, to the owner itself, and to others when the owner chose to be named."""
        view = self.context.get("view")
        organisation = view.caller()["organisation"] if view is not None else None
        if organisation is None or organisation.pk == item.owner_id or item.owner.named_as_owner:
            return item.owner.name
        return None

    class Meta:
        model = RecoveredItem
        fields = ["id", *FACT_FIELDS, "owner", "status", "tlp", "findings_count"]
        read_only_fields = fields


class RecoveredItemDetailSerializer(RecoveredItemSerializer):
    """An item with its sources and its whole teardown list."""

    sources = SourceSerializer(many=True, read_only=True)
    findings = FindingInItemSerializer(many=True, read_only=True)

    class Meta(RecoveredItemSerializer.Meta):
        fields = [*RecoveredItemSerializer.Meta.fields, "sources", "findings"]
        read_only_fields = fields


class StrikeSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Strike
        fields = [
            "id",
            "occurred_on",
            "place",
            "description",
            "launched_summary",
            "launched_count",
            "intercepted_count",
            "sources",
        ]
        read_only_fields = fields


class WeaponModelSerializer(serializers.ModelSerializer):
    origin_country = _country()
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="alias")

    class Meta:
        model = WeaponModel
        fields = ["id", "designation", "name", "family", "kind", "origin_country", "aliases"]
        read_only_fields = fields


class DesignationSerializer(serializers.ModelSerializer):
    """A designation of a manufacturer: entered by hand (`via: manual`) or on a listed entity it is matched to
    by a confirmed match (`via: match`, with the list's entity id)."""

    source_url = OptionalURLField()
    via = serializers.SerializerMethodField()
    listed_entity = serializers.SerializerMethodField()

    class Meta:
        model = Designation
        fields = [
            "authority",
            "program",
            "measure",
            "listed_on",
            "date_kind",
            "delisted_on",
            "reference",
            "source_url",
            "via",
            "listed_entity",
        ]
        read_only_fields = fields

    def get_via(self, obj: Designation) -> str:
        return "manual" if obj.listed_entity_id is None else "match"

    def get_listed_entity(self, obj: Designation) -> str | None:
        return self.context.get("listed_ids", {}).get(obj.listed_entity_id)


class ManufacturerSerializer(serializers.ModelSerializer):
    country = _country()
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="alias")
    designations = serializers.SerializerMethodField()
    website = OptionalURLField()

    class Meta:
        model = Manufacturer
        fields = ["id", "name", "country", "website", "aliases", "designations"]
        read_only_fields = fields

    @extend_schema_field(DesignationSerializer(many=True))
    def get_designations(self, obj: Manufacturer) -> list[dict]:
        """Its own designations and those of the listed entities it is confirmed to be (prefetched by the view:
        `manufacturers.selectors.manufacturers_with_designations`)."""
        designations = list(obj.designations.all())
        listed_ids = {}
        for match in getattr(obj, "confirmed_matches", ()):
            listed_ids[match.listed_entity_id] = match.listed_entity.source_id
            designations.extend(match.listed_entity.designations.all())
        context = {**self.context, "listed_ids": listed_ids}
        return DesignationSerializer(designations, many=True, context=context).data


class PartSerializer(serializers.ModelSerializer):
    manufacturer = ManufacturerRefSerializer(read_only=True)
    category = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    hs_code = serializers.CharField(source="hs_code.code", read_only=True, allow_null=True)
    chpl_tier = serializers.SerializerMethodField()
    datasheet_url = OptionalURLField()

    class Meta:
        model = Part
        fields = [
            "id",
            "part_number",
            "manufacturer",
            "category",
            "description",
            "hs_code",
            "chpl_tier",
            "eccn",
            "datasheet_url",
        ]
        read_only_fields = fields

    def get_chpl_tier(self, part: Part) -> str | None:
        """The part's own HS code's CHPL tier, else its category's (None when neither has one)."""
        for hs_code in (part.hs_code, part.category.hs_code if part.category else None):
            if hs_code is not None and hs_code.chpl_tier:
                return hs_code.chpl_tier
        return None


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="ISO code, manufacturer name, tier...; null = unknown.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()


class BreakdownSerializer(serializers.Serializer):
    """The JSON of `manage.py breakdown --format json` (documentation only)."""

    by = serializers.CharField()
    unit = serializers.CharField()
    attribution = serializers.CharField()
    as_of = serializers.DateField(required=False, help_text="With attribution=parent.")
    status = serializers.CharField(help_text="The lowest review status counted (partners: published).")
    filters = serializers.DictField(child=serializers.CharField())
    total = serializers.IntegerField()
    foreign_only = serializers.BooleanField()
    rows = BreakdownRowSerializer(many=True)


class ShiftPeriodSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    total = serializers.IntegerField()


class ShiftRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Per period (year).")
    shares = serializers.DictField(child=serializers.FloatField())
    change_pp = serializers.DictField(child=serializers.FloatField(), help_text="Change in percentage points.")


class ShiftSerializer(serializers.Serializer):
    """The JSON of `manage.py shift --format json` (documentation only)."""

    by = serializers.CharField()
    period = serializers.CharField()
    unit = serializers.CharField()
    attribution = serializers.CharField()
    as_of = serializers.DateField(required=False, help_text="With attribution=parent.")
    status = serializers.CharField(help_text="The lowest review status counted (partners: published).")
    filters = serializers.DictField(child=serializers.CharField())
    foreign_only = serializers.BooleanField()
    periods = ShiftPeriodSerializer(many=True)
    undated = serializers.IntegerField(help_text="Counted in no period: the period (date) is unknown.")
    rows = ShiftRowSerializer(many=True)


class CoverageDesignationSerializer(serializers.Serializer):
    authority = serializers.CharField(help_text="EU or an ISO 3166-1 alpha-2 code.")
    programme = serializers.CharField()
    measure = serializers.CharField()
    listed_on = serializers.DateField(allow_null=True)
    date_kind = serializers.CharField(help_text="listing, entry into force, first seen or unknown.")
    via = serializers.ChoiceField(choices=["match", "manual", "owner"])
    listed_entity = serializers.CharField(allow_null=True, help_text="The list's entity id.")
    source_url = serializers.CharField()


class CoverageRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="null: the maker is unknown.")
    label = serializers.CharField()
    country = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()
    designations = CoverageDesignationSerializer(many=True)
    listed_by = serializers.ListField(child=serializers.CharField())
    not_listed_by = serializers.ListField(child=serializers.CharField())


class CoverageSummarySerializer(serializers.Serializer):
    listed = serializers.IntegerField()
    not_listed = serializers.IntegerField()
    maker_unknown = serializers.IntegerField()


class SanctionsCoverageSerializer(serializers.Serializer):
    """The JSON of `manage.py sanctions_coverage --format json` (documentation only)."""

    filters = serializers.DictField(child=serializers.CharField())
    unit = serializers.CharField()
    attribution = serializers.CharField()
    foreign_only = serializers.BooleanField()
    status = serializers.CharField()
    as_of = serializers.DateField()
    total = serializers.IntegerField()
    authorities = serializers.ListField(child=serializers.CharField())
    rows = CoverageRowSerializer(many=True)
    summary = serializers.DictField(child=CoverageSummarySerializer(), help_text="Units per authority.")
