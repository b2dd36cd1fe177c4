"""The analysts' admin for recovered items: one page per weapon sample with its findings and evidence inline.

Also weapon models (with aliases), strikes, sources and organisations. The admin stays thin: the rules for
a finding line (maker's country, category, date code) and for evidence files live in
`provenance.services.findings`; list counts and the per-item summary come from `provenance.selectors`.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from components.models import Part
from components.partnumbers import part_number_key
from config.common.admin import HistoryWithoutRevertAdmin
from manufacturers.admin import AliasInlineFormSet
from provenance import finding_rules as rules
from provenance.admin.findings_table import FindingLinesFormSet, finding_lookup_view
from provenance.admin.lists import FindingListMixin, FindingsCountryFilter, RecoveredItemSearchMixin
from provenance.admin.photos import EvidencePhotoAdminMixin, EvidenceThumbnailMixin
from provenance.admin.reports import briefing_for_items, briefing_for_weapon_models
from provenance.admin.teardown import TEARDOWN_EXPORT_ACTIONS
from provenance.admin.workflow import REVIEW_ACTIONS, ReviewWorkflowAdminMixin
from provenance.finding_columns import admin_fields
from provenance.finding_rules import QUANTITY_POSITIVE
from provenance.models import (
    EvidenceFile,
    Finding,
    Organisation,
    RecoveredItem,
    Source,
    Strike,
    WeaponAlias,
    WeaponModel,
)
from provenance.selectors.items import (
    finding_countries,
    item_country_summary,
    recovered_items_with_counts,
    weapon_models_with_item_counts,
)
from provenance.services.findings import (
    evidence_file_check,
    evidence_file_store,
    finding_attribution,
    findings_delete,
    findings_save,
    recovered_item_save,
)
from provenance.services.organisations import organisation_internal
from provenance.services.photos import evidence_public_set

# ---------------------------------------------------------------------------------------------------------
# Finding lines


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its selected value from an object already loaded with the row.

    The stock widget runs one query per rendered cell to label the selection; on an item with a hundred
    lines and three autocompletes per line that is three hundred queries. The finding form hands each
    widget the related object the inline's queryset already joined (`preloaded`); other values (a
    re-rendered POST) fall back to the query.
    """

    preloaded: dict[str, object] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not self.preloaded or not selected <= self.preloaded.keys():
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(self.preloaded[key])
            default[1].append(self.create_option(name, key, label, selected, len(default[1])))
        return [default]


def _part_typed(fields: list[str]) -> list[str]:
    """The form's fields: the part is typed as its number (quick entry), not picked from the catalogue."""
    return ["part_number" if name == "part" else name for name in fields]


class FindingForm(forms.ModelForm):
    """A finding line; the part number and country are typed and checked against the maker.

    The typed part number names the line's maker's part of that number (`provenance.finding_rules`, the rule the
    import applies); one the catalogue does not hold is created when the line is saved (`findings_save`).
    """

    part_number = forms.CharField(
        label=_("part number"),
        required=False,
        max_length=100,
        help_text=_("As printed; a number the catalogue does not hold is added for the manufacturer on save."),
    )

    country = forms.CharField(
        label=_("maker's country"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"size": 6}),
        help_text=_("Filled from the manufacturer when blank."),
    )
    quantity = forms.IntegerField(
        label=_("quantity"),
        initial=1,
        min_value=1,
        widget=forms.NumberInput(attrs={"style": "width: 5em"}),
        error_messages={"min_value": QUANTITY_POSITIVE},
    )

    class Meta:
        model = Finding
        fields = _part_typed(admin_fields("line"))
        widgets = {
            "line_no": forms.NumberInput(attrs={"style": "width: 4em"}),
            "marking": forms.TextInput(attrs={"size": 18}),
            "date_code": forms.TextInput(attrs={"size": 6}),
            "lot_code": forms.TextInput(attrs={"size": 8}),
            "origin_marking": forms.TextInput(attrs={"size": 10}),
            "module": forms.TextInput(attrs={"size": 14}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new line gets its number on save (the next free one), so the analyst may leave it blank.
        self.fields["line_no"].required = False
        if self.instance.pk is None:
            self.initial["line_no"] = None
        elif self.instance.part_id is not None:
            self.initial.setdefault("part_number", self.instance.part.part_number)
        for name in ("part", "manufacturer", "category", "item"):
            related = self.instance._state.fields_cache.get(name) if name in self.fields else None
            widget = getattr(self.fields[name].widget, "widget", None) if related is not None else None
            if isinstance(widget, PreloadedAutocompleteSelect):
                widget.preloaded = {str(related.pk): related}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors.get("part_number") or self.errors.get("manufacturer"):
            return cleaned
        try:
            self.instance.part = part = self._typed_part(cleaned)
            cleaned["manufacturer"], cleaned["country"] = finding_attribution(
                part=part, manufacturer=cleaned.get("manufacturer"), country=cleaned.get("country")
            )
        except ValidationError:
            self._validate_constraints = False  # the rule's message says it; the constraint would repeat it
            raise
        if cleaned.get("line_no") is None:
            cleaned["line_no"] = 0
        return cleaned

    def _typed_part(self, cleaned: dict) -> Part | None:
        """The part the typed number names: the chosen maker's (unsaved when new: `findings_save` creates it); with
        no maker chosen, the part of the one maker the catalogue holds that number under, as the import does."""
        number = " ".join((cleaned.get("part_number") or "").split())
        maker = cleaned.get("manufacturer")
        if number and maker is None:
            holders = Part.objects.filter(part_number_key=part_number_key(number)).select_related("manufacturer")[:2]
            if len(holders) == 1:
                return holders[0]
        key, problems = rules.part_key(part_number=number, has_maker=maker is not None)
        if problems:
            raise ValidationError({"part_number": [problem.message for problem in problems]})
        if not key:
            return None
        current = self.instance.part if self.instance.part_id else None
        if current is not None and current.manufacturer_id == maker.pk and current.part_number_key == key:
            return current
        known = Part.objects.filter(manufacturer=maker, part_number_key=key).select_related("manufacturer").first()
        return known or Part(manufacturer=maker, part_number=number, part_number_key=key)


class FindingInline(admin.TabularInline):
    """One page of the item's lines, editable, under the read-only table of all of them (findings_table)."""

    model = Finding
    form = FindingForm
    formset = FindingLinesFormSet
    template = "admin/provenance/recovereditem/findings_inline.html"
    fields = FindingForm.Meta.fields
    autocomplete_fields = ["manufacturer", "category"]
    extra = 3
    show_change_link = True

    class Media:
        css = {"all": ["provenance/admin/findings.css"]}
        js = ["provenance/admin/findings.js"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Finding]:
        # Row titles and autocomplete labels name the part (with its maker), the maker and the category.
        queryset = super().get_queryset(request).select_related("part__manufacturer", "manufacturer", "category")
        return queryset.order_by("line_no", "id")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.lines_page = request.GET.get("lines")  # a fresh class per request
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Add/change/delete/view icons under every cell of every line make the table unreadable;
        # makers and parts are added from their own pages.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        for option in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
            if hasattr(widget, option):
                setattr(widget, option, False)
        return field


class FindingEvidenceInline(EvidenceThumbnailMixin, admin.TabularInline):
    """Photos of one finding (on the finding's own page)."""

    model = EvidenceFile
    fk_name = "finding"
    extra = 1
    can_delete = False


class EvidenceFileForm(forms.ModelForm):
    """A new file is validated here and stored by the service; an existing one is never replaced."""

    class Meta:
        model = EvidenceFile
        fields = ["file", "description", "public"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["file"].disabled = True

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and not self.instance.pk:
            try:
                evidence_file_check(file=upload)
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from None
        return upload


class EvidenceFileInline(EvidenceThumbnailMixin, admin.TabularInline):
    model = EvidenceFile
    fk_name = "item"
    form = EvidenceFileForm
    fields = ["thumbnail", "file", "description", "public", "size", "sha256", "uploaded_by", "created_at"]
    readonly_fields = ["thumbnail", "size", "sha256", "uploaded_by", "created_at"]
    extra = 1
    can_delete = False  # evidence is kept; a wrong upload is described as such, not erased


FindingEvidenceInline.form = EvidenceFileForm
FindingEvidenceInline.fields = EvidenceFileInline.fields
FindingEvidenceInline.readonly_fields = EvidenceFileInline.readonly_fields


def _save_evidence_formset(formset: BaseInlineFormSet, request: HttpRequest, **attach) -> None:
    """New files go through evidence_file_store (hash, write-once); existing ones only change description."""
    # The admin's change message reads these three lists, as ModelFormSet.save() would have set them.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed():
            continue
        if form.instance.pk:
            form.instance.description = form.cleaned_data.get("description", "")
            form.instance.save(update_fields=["description", "updated_at"])
            formset.changed_objects.append((form.instance, form.changed_data))
        elif form.cleaned_data.get("file"):
            form.instance = evidence_file_store(
                file=form.cleaned_data["file"],
                uploaded_by=request.user,
                description=form.cleaned_data.get("description", ""),
                **attach,
            )
            formset.new_objects.append(form.instance)
        else:
            continue
        if "public" in form.changed_data:  # a public copy without metadata is made (or deleted) by the service
            evidence_public_set(evidence=form.instance, public=form.cleaned_data["public"], user=request.user)


# ---------------------------------------------------------------------------------------------------------
# Recovered items


class FindingCountryFilter(admin.SimpleListFilter):
    """Items with at least one finding from a given maker's country."""

    title = _("maker's country (of findings)")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return finding_countries()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(Exists(Finding.objects.filter(item=OuterRef("pk"), country=self.value())))


class RecoveredYearFilter(admin.SimpleListFilter):
    title = _("year recovered")
    parameter_name = "recovered_year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).order_by().dates("recovered_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(recovered_on__year=int(value))
        return queryset


@admin.register(RecoveredItem)
class RecoveredItemAdmin(RecoveredItemSearchMixin, ReviewWorkflowAdminMixin, HistoryWithoutRevertAdmin):
    list_display = [
        "reference",
        "weapon",
        "recovered_on",
        "place",
        "status",
        "tlp",
        "finding_count",
        "unit_count",
    ]
    list_filter = ["weapon_model", FindingCountryFilter, "status", "tlp", RecoveredYearFilter]
    actions = [*REVIEW_ACTIONS, briefing_for_items, *TEARDOWN_EXPORT_ACTIONS]
    # Searched by provenance.selectors.search (reference, serial number, and through the findings: part
    # number, marking, module, maker); the list here only turns the search box on.
    search_fields = ["reference", "serial_number"]
    autocomplete_fields = ["weapon_model", "strike", "sources", "shared_with"]
    readonly_fields = ["component_summary", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["reference", "weapon_model", "strike", "serial_number", "component_summary"]},
        ),
        (
            _("Recovery and analysis"),
            {
                "fields": [
                    ("recovered_on", "recovered_on_precision"),
                    ("analysed_on", "analysed_on_precision"),
                    "place",
                    "site_details",
                    "custody_notes",
                    "notes",
                ]
            },
        ),
        (_("Sharing"), {"fields": ["owner", "status", "tlp", "shared_with", "sources"]}),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [FindingInline, EvidenceFileInline]
    date_hierarchy = "recovered_on"

    def get_queryset(self, request: HttpRequest) -> QuerySet[RecoveredItem]:
        return recovered_items_with_counts(super().get_queryset(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "owner" in form.base_fields:
            form.base_fields["owner"].required = False
            form.base_fields["owner"].help_text = _("Blank means this instance's own (internal) organisation.")
        return form

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("owner", organisation_internal().pk)
        return initial

    @admin.display(description=_("weapon"), ordering="weapon_model__designation")
    def weapon(self, obj: RecoveredItem) -> str:
        return obj.weapon_model.designation

    @admin.display(description=_("findings"), ordering="finding_count")
    def finding_count(self, obj: RecoveredItem) -> int:
        return obj.finding_count

    @admin.display(description=_("units"), ordering="unit_count")
    def unit_count(self, obj: RecoveredItem) -> int:
        return obj.unit_count

    @admin.display(description=_("components by maker's country"))
    def component_summary(self, obj: RecoveredItem) -> str:
        if obj.pk is None:
            return "–"
        return item_country_summary(item=obj)

    def save_model(self, request, obj, form, change):
        recovered_item_save(item=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is Finding:
            findings = formset.save(commit=False)
            findings_delete(findings=formset.deleted_objects, user=request.user)
            findings_save(item=form.instance, findings=findings, user=request.user)
            formset.save_m2m()
        elif formset.model is EvidenceFile:
            _save_evidence_formset(formset, request, item=form.instance)
        else:
            super().save_formset(request, form, formset, change)


class FindingAdminForm(FindingForm):
    class Meta(FindingForm.Meta):
        fields = ["item", *_part_typed(admin_fields("line", "page"))]


@admin.register(Finding)
class FindingAdmin(FindingListMixin, HistoryWithoutRevertAdmin):
    """Single finding lines, for search across items and for attaching photos to one line.

    Newest first, searched and counted by `FindingListMixin` (index-served on a million lines).
    """

    form = FindingAdminForm
    list_display = ["item", "line_no", "part", "manufacturer", "country_code", "quantity", "date_code", "module"]
    list_select_related = ["item", "part__manufacturer", "manufacturer"]
    list_filter = ["confidence", FindingsCountryFilter]
    # Searched by provenance.selectors.search (item reference, part number, marking, maker, module).
    search_fields = ["marking"]
    sortable_by = ["line_no", "country_code", "quantity"]
    autocomplete_fields = ["item", "manufacturer", "category", "source"]
    readonly_fields = admin_fields("readonly")
    fields = [*FindingAdminForm.Meta.fields, *readonly_fields]
    inlines = [FindingEvidenceInline]

    def get_urls(self):
        lookup = path("lookup/", self.admin_site.admin_view(finding_lookup_view), name="provenance_finding_lookup")
        return [lookup, *super().get_urls()]

    def save_model(self, request, obj, form, change):
        findings_save(item=obj.item, findings=[obj], user=request.user)

    def delete_model(self, request, obj):
        findings_delete(findings=[obj], user=request.user)

    def delete_queryset(self, request, queryset):
        findings_delete(findings=queryset, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is EvidenceFile:
            _save_evidence_formset(formset, request, finding=form.instance)
        else:
            super().save_formset(request, form, formset, change)


class EvidenceFileAddForm(EvidenceFileForm):
    class Meta(EvidenceFileForm.Meta):
        fields = ["file", "item", "finding", "description"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(EvidencePhotoAdminMixin, HistoryWithoutRevertAdmin):
    """Evidence files are write-once: after upload only the description and whether a photo is public may
    change (kept in the history; old versions cannot be restored)."""

    list_display = ["thumbnail", "__str__", "item", "finding", "public", "size", "sha256", "uploaded_by", "created_at"]
    list_filter = ["public"]
    list_select_related = ["item", "finding", "uploaded_by"]
    search_fields = ["original_name", "sha256", "item__reference", "description"]
    autocomplete_fields = ["item", "finding"]
    stored_fields = ["file", "item", "finding", "original_name", "content_type", "size", "sha256", "uploaded_by"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return EvidenceFileAddForm.Meta.fields
        return ["thumbnail", *self.stored_fields, "description", "public"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["thumbnail", *self.stored_fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = EvidenceFileAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["description", "updated_at"])
            if "public" in form.changed_data:
                evidence_public_set(evidence=obj, public=form.cleaned_data["public"], user=request.user)
            return
        stored = evidence_file_store(
            file=form.cleaned_data["file"],
            item=obj.item,
            finding=obj.finding,
            uploaded_by=request.user,
            description=obj.description,
        )
        # The admin goes on to log and redirect with `obj`: make it the stored row.
        for field in EvidenceFile._meta.concrete_fields:
            setattr(obj, field.attname, getattr(stored, field.attname))
        obj._state.adding = False


# ---------------------------------------------------------------------------------------------------------
# Reference: weapon models, strikes, sources, organisations


class WeaponAliasInline(admin.TabularInline):
    model = WeaponAlias
    formset = AliasInlineFormSet
    fields = ["alias"]
    extra = 1


@admin.register(WeaponModel)
class WeaponModelAdmin(SimpleHistoryAdmin):
    list_display = ["designation", "name", "family", "kind", "origin_country", "item_count"]
    list_filter = ["kind", "family"]
    search_fields = ["designation", "name", "family", "aliases__alias"]
    actions = [briefing_for_weapon_models]
    inlines = [WeaponAliasInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WeaponModel]:
        return weapon_models_with_item_counts(super().get_queryset(request))

    @admin.display(description=_("recovered items"), ordering="item_count")
    def item_count(self, obj: WeaponModel) -> int:
        return obj.item_count


@admin.register(WeaponAlias)
class WeaponAliasAdmin(SimpleHistoryAdmin):
    list_display = ["alias", "weapon_model"]
    list_select_related = ["weapon_model"]
    search_fields = ["alias", "weapon_model__designation"]
    autocomplete_fields = ["weapon_model"]


@admin.register(Strike)
class StrikeAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_on", "place", "launched_summary", "launched_count", "intercepted_count"]
    search_fields = ["place", "description", "launched_summary"]
    autocomplete_fields = ["sources"]
    date_hierarchy = "occurred_on"


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "reliability"]
    list_filter = ["reliability"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "is_active", "named_as_owner"]
    list_filter = ["kind", "is_active", "named_as_owner"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
