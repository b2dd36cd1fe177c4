"""Admin for manufacturers: names and aliases, ownership, sanctions designations, and how often they are found."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from config.common.countries import country_name
from config.common.text import name_key

from .models import Manufacturer, ManufacturerAlias, ManufacturerIdentifier, Ownership
from .sanctions.list_admin import ManualDesignationInline
from .services import manufacturers_mark_reviewed


class AliasInlineFormSet(BaseInlineFormSet):
    """Refuses two aliases in one submission that differ only in case or spacing.

    The model's clean() checks against aliases already saved; this catches those typed together,
    which would otherwise reach the database's unique index and fail with a server error.
    """

    alias_field = "alias"

    def clean(self) -> None:
        super().clean()
        seen: dict[str, str] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            alias = form.cleaned_data.get(self.alias_field)
            if not alias:
                continue
            key = name_key(alias)
            if key in seen:
                form.add_error(
                    self.alias_field,
                    _("The alias '%(alias)s' is entered twice (ignoring case and spaces: '%(first)s').")
                    % {"alias": alias, "first": seen[key]},
                )
                raise ValidationError(_("Each alias may be entered only once."))
            seen[key] = alias


class ManufacturerAliasInline(admin.TabularInline):
    model = ManufacturerAlias
    formset = AliasInlineFormSet
    fields = ["alias"]
    extra = 1


class IdentifierInline(admin.TabularInline):
    """INN, OGRN, registration number...: the matcher takes an identical one as the same company, a different
    one of the same kind as another company."""

    model = ManufacturerIdentifier
    fields = ["kind", "value", "source"]
    extra = 0


class OwnershipInline(admin.TabularInline):
    """Who owned this manufacturer and when (this manufacturer is the child)."""

    model = Ownership
    fk_name = "child"
    fields = ["parent", "start_on", "end_on", "notes"]
    autocomplete_fields = ["parent"]
    extra = 0
    verbose_name = _("owner")
    verbose_name_plural = _("owners (parent companies)")


class CountryInUseFilter(admin.SimpleListFilter):
    """Manufacturers by HQ country, offering only the countries that manufacturers have (not all ~250)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Manufacturer.objects.exclude(country="").order_by().values_list("country", flat=True).distinct()
        return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


@admin.register(Manufacturer)
class ManufacturerAdmin(SimpleHistoryAdmin):
    # The finding counts are added by provenance.admin.manufacturers (findings are provenance's, not ours).
    list_display = ["name", "country_code", "reviewed"]
    list_filter = ["reviewed", CountryInUseFilter]
    search_fields = ["name", "aliases__alias", "=identifiers__value"]
    fields = ["name", "country", "website", "reviewed", "notes"]
    inlines = [ManufacturerAliasInline, IdentifierInline, OwnershipInline, ManualDesignationInline]
    actions = ["mark_reviewed"]

    @admin.display(description=_("country"), ordering="country")
    def country_code(self, obj: Manufacturer) -> str:
        # The code, not the stock column's lookup in ~250 translated choices per row.
        return obj.country.code or "–"

    @admin.action(description=_("Mark selected manufacturers as reviewed"))
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Manufacturer]) -> None:
        changed = manufacturers_mark_reviewed(manufacturers=queryset)
        self.message_user(
            request,
            ngettext("%d manufacturer marked as reviewed.", "%d manufacturers marked as reviewed.", changed) % changed,
            messages.SUCCESS,
        )


@admin.register(ManufacturerAlias)
class ManufacturerAliasAdmin(SimpleHistoryAdmin):
    list_display = ["alias", "manufacturer"]
    list_select_related = ["manufacturer"]
    search_fields = ["alias", "manufacturer__name"]
    autocomplete_fields = ["manufacturer"]


@admin.register(Ownership)
class OwnershipAdmin(SimpleHistoryAdmin):
    list_display = ["child", "parent", "start_on", "end_on"]
    list_select_related = ["child", "parent"]
    search_fields = ["child__name", "parent__name"]
    autocomplete_fields = ["parent", "child"]


from manufacturers.sanctions import admin as _sanction_matches_admin  # noqa: E402, F401  (the review queue)
