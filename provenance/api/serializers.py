"""Partner serializers: every field listed explicitly; internal fields (analyst notes, custody, exact site,
people, evidence file paths, who else an item is shared with) are never serialised."""

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.db.models.manager import BaseManager
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from components.models import Part
from config.common.api import unknown_parameter_message
from manufacturers.models import Designation, Manufacturer
from provenance import finding_columns
from provenance.briefings.params import LANGUAGES, BriefingParams, active_language, params_from_query
from provenance.models import BriefingReport, Finding, RecoveredItem, Source, Strike, WeaponModel
from provenance.selectors.analytics import ATTRIBUTIONS, PERIODS, STATUSES, UNITS
from provenance.services.briefings import FORMATS
from provenance.services.workflow import FACT_FIELDS

__all__ = [
    "BriefingRequestSerializer",
    "BriefingSerializer",
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
    return serializers.CharField(read_only=True, help_text=gettext_lazy("ISO 3166-1 alpha-2 code ('' when unknown)."))


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
    key = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("ISO code, manufacturer name, tier...; null = unknown.")
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()


class BreakdownSerializer(serializers.Serializer):
    """The JSON of `manage.py breakdown --format json` (documentation only)."""

    by = serializers.CharField()
    unit = serializers.CharField()
    attribution = serializers.CharField()
    as_of = serializers.DateField(required=False, help_text=gettext_lazy("With attribution=parent."))
    status = serializers.CharField(help_text=gettext_lazy("The lowest review status counted (partners: published)."))
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
    counts = serializers.DictField(child=serializers.IntegerField(), help_text=gettext_lazy("Per period (year)."))
    shares = serializers.DictField(child=serializers.FloatField())
    change_pp = serializers.DictField(
        child=serializers.FloatField(), help_text=gettext_lazy("Change in percentage points.")
    )


class ShiftSerializer(serializers.Serializer):
    """The JSON of `manage.py shift --format json` (documentation only)."""

    by = serializers.CharField()
    period = serializers.CharField()
    unit = serializers.CharField()
    attribution = serializers.CharField()
    as_of = serializers.DateField(required=False, help_text=gettext_lazy("With attribution=parent."))
    status = serializers.CharField(help_text=gettext_lazy("The lowest review status counted (partners: published)."))
    filters = serializers.DictField(child=serializers.CharField())
    foreign_only = serializers.BooleanField()
    periods = ShiftPeriodSerializer(many=True)
    undated = serializers.IntegerField(help_text=gettext_lazy("Counted in no period: the period (date) is unknown."))
    rows = ShiftRowSerializer(many=True)


class CoverageDesignationSerializer(serializers.Serializer):
    authority = serializers.CharField(help_text=gettext_lazy("EU or an ISO 3166-1 alpha-2 code."))
    programme = serializers.CharField()
    measure = serializers.CharField()
    listed_on = serializers.DateField(allow_null=True)
    date_kind = serializers.CharField(help_text=gettext_lazy("listing, entry into force, first seen or unknown."))
    via = serializers.ChoiceField(choices=["match", "manual", "owner"])
    listed_entity = serializers.CharField(allow_null=True, help_text=gettext_lazy("The list's entity id."))
    source_url = serializers.CharField()


class CoverageRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text=gettext_lazy("null: the maker is unknown."))
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
    by = serializers.CharField(help_text=gettext_lazy("Always manufacturer: one row per maker."))
    unit = serializers.CharField()
    attribution = serializers.CharField()
    foreign_only = serializers.BooleanField()
    status = serializers.CharField()
    as_of = serializers.DateField()
    total = serializers.IntegerField()
    authorities = serializers.ListField(child=serializers.CharField())
    rows = CoverageRowSerializer(many=True)
    summary = serializers.DictField(child=CoverageSummarySerializer(), help_text=gettext_lazy("Units per authority."))


def hidden_item_errors(reference: str, items: QuerySet[RecoveredItem] | None) -> dict[str, list[str]]:
    """`{"item": [message]}` when `items` (what a partner may see; None: everything) lacks the item `reference`: the
    message of an item that does not exist, so that a partner cannot probe for hidden items."""
    if reference and items is not None and not items.filter(reference=reference).exists():
        return {"item": [_("No recovered item “{item}”.").format(item=reference)]}
    return {}


# --- Briefing reports ---------------------------------------------------------------------------------------


class _Text(serializers.CharField):
    """An optional string parameter, passed on as sent: its rules (length, NUL characters) are `params_from_query`'s,
    with the messages the admin's form and `manage.py briefing` give."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, allow_blank=True, trim_whitespace=False, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class _Choice(serializers.ChoiceField):
    """A string whose allowed values the schema lists (an enum); `params_from_query` checks the value."""

    def __init__(self, choices, **kwargs) -> None:
        super().__init__(choices=choices, required=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return data


class _Date(serializers.DateField):
    """A date (YYYY-MM-DD) in the schema; `params_from_query` parses and checks it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DD")
        return value


class BriefingRequestSerializer(serializers.Serializer):
    """What a briefing covers and how it counts: the filters and counting rules of the breakdown, a title, a note,
    the language and the formats. Every field is optional; a key not listed here is refused."""

    # The fields check the JSON types; the values are checked by `params_from_query`, the rules of the admin's request
    # form and `manage.py briefing`, and every message comes back in one 400. The context gives `organisation` (a
    # partner's request: it counts the published items the partner may see, `visible_items`) or None (staff).

    def get_fields(self) -> dict[str, serializers.Field]:
        # `from` is a Python keyword: the fields are listed here rather than as attributes.
        return {
            "weapon": _Text(help_text=gettext_lazy("Weapon designation or alias, e.g. 9M727.")),
            "family": _Text(help_text=gettext_lazy("Weapon family, e.g. Iskander.")),
            "item": _Text(help_text=gettext_lazy("Recovered item reference.")),
            "from": _Date(help_text=gettext_lazy("Recovered on or after.")),
            "to": _Date(help_text=gettext_lazy("Recovered on or before.")),
            "attribution": _Choice(ATTRIBUTIONS, help_text=gettext_lazy("hq (default), parent or origin.")),
            "unit": _Choice(UNITS, help_text=gettext_lazy("units (default) or parts.")),
            "foreign_only": serializers.BooleanField(
                required=False, help_text=gettext_lazy("Leave out parts of the weapon's own country.")
            ),
            "as_of": _Date(help_text=gettext_lazy("Reference date for ownership (default today).")),
            "period": _Choice(
                PERIODS, help_text=gettext_lazy("Year-over-year by: recovered (default), analysed or produced.")
            ),
            "produced_after": _Date(
                help_text=gettext_lazy("Cut-off of the produced-after chapter (default 2022-02-24).")
            ),
            "status": _Choice(
                STATUSES, help_text=gettext_lazy("Lowest review status counted; partners always count published items.")
            ),
            "title": _Text(help_text=gettext_lazy("At most 300 characters; default: from the selection.")),
            "note": _Text(help_text=gettext_lazy("Printed on the cover, as typed; at most 4000 characters.")),
            "language": _Choice(LANGUAGES, help_text=gettext_lazy("The report's language (default: Accept-Language).")),
            "formats": serializers.MultipleChoiceField(
                choices=FORMATS, required=False, help_text=gettext_lazy("The files to render (default: all).")
            ),
        }

    def to_internal_value(self, data) -> dict:
        """`{"params": BriefingParams, "formats": [...]}`, or a 400 with the messages of every field at once."""
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's "expected a dictionary"
        errors = {name: [unknown_parameter_message(self.fields)] for name in data if name not in self.fields}
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as error:
            errors.update(error.detail)
            values = super().to_internal_value({name: v for name, v in data.items() if name not in errors})
        organisation = self.context["organisation"]
        query = {name: _as_query(value) for name, value in values.items() if name != "formats"}
        query.setdefault("language", active_language())
        try:
            params = params_from_query(query, least_status="any" if organisation is None else "published")
        except DjangoValidationError as error:
            errors.update({name: messages for name, messages in error.message_dict.items() if name not in errors})
        else:
            visible = None if organisation is None else self.context["visible_items"]
            errors.update(hidden_item_errors(params.item or "", visible))
        if errors:
            raise serializers.ValidationError(errors)
        formats = [fmt for fmt in FORMATS if fmt in values.get("formats", ())] or list(FORMATS)
        return {"params": params, "formats": formats}


def _as_query(value) -> str:
    """A typed body value as the query text `params_from_query` parses."""
    if isinstance(value, bool):
        return "1" if value else ""
    return value.isoformat() if isinstance(value, dt.date) else value


class BriefingParametersSerializer(serializers.Serializer):
    """The selection and counting rules a report was issued with (`BriefingParams`), and its formats."""

    title = serializers.CharField()
    note = serializers.CharField()
    weapon = serializers.CharField(allow_null=True)
    family = serializers.CharField(allow_null=True)
    item = serializers.CharField(allow_null=True)
    items = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("Items chosen one by one (the admin).")
    )
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    attribution = serializers.ChoiceField(choices=ATTRIBUTIONS)
    unit = serializers.ChoiceField(choices=UNITS)
    foreign_only = serializers.BooleanField()
    as_of = serializers.DateField(allow_null=True)
    period = serializers.ChoiceField(choices=PERIODS)
    produced_after = serializers.DateField()
    language = serializers.ChoiceField(choices=LANGUAGES)
    status = serializers.ChoiceField(choices=STATUSES)
    formats = serializers.ListField(child=serializers.ChoiceField(choices=FORMATS))


class BriefingFileSerializer(serializers.Serializer):
    url = serializers.URLField(help_text=gettext_lazy("The file: `/api/v1/briefings/{id}/{fmt}/`."))
    sha256 = serializers.CharField()


class BriefingFilesSerializer(serializers.Serializer):
    """The rendered files by format; a format not rendered (not asked for, or not yet) is absent."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {fmt: BriefingFileSerializer(required=False) for fmt in FORMATS}


class BriefingSerializer(serializers.ModelSerializer):
    """A briefing report: its state, TLP label (as items carry it), parameters, digests and files."""

    requested_at = serializers.DateTimeField(source="created_at", read_only=True)
    parameters = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = BriefingReport
        fields = [
            "id",
            "title",
            "state",
            "error",
            "tlp",
            "parameters",
            "requested_at",
            "finished_at",
            "data_digest",
            "files",
        ]
        read_only_fields = fields

    @extend_schema_field(BriefingParametersSerializer)
    def get_parameters(self, report: BriefingReport) -> dict:
        """Every parameter, also of reports stored before one existed (`BriefingParams.from_json` fills it in)."""
        stored = report.parameters or {}
        params = {**BriefingParams.from_json(stored).to_json(), "formats": stored.get("formats") or list(FORMATS)}
        return BriefingParametersSerializer(params).data

    @extend_schema_field(BriefingFilesSerializer)
    def get_files(self, report: BriefingReport) -> dict:
        request = self.context["request"]
        files = {
            fmt: {
                "url": request.build_absolute_uri(reverse("api:briefing-file", args=[report.pk, fmt])),
                "sha256": getattr(report, f"{fmt}_sha256"),
            }
            for fmt in FORMATS
            if getattr(report, fmt)
        }
        return BriefingFilesSerializer(files).data
