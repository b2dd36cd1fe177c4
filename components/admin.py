"""Admin for components: parts (number per manufacturer), categories, HS codes and CHPL tiers."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Category, HSCode, Part
from .partnumbers import part_number_key


@admin.register(HSCode)
class HSCodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "description", "chpl_tier"]
    list_filter = ["chpl_tier"]
    search_fields = ["code", "description"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "hs_code"]
    list_select_related = ["hs_code"]
    search_fields = ["name"]
    autocomplete_fields = ["hs_code"]


@admin.register(Part)
class PartAdmin(SimpleHistoryAdmin):
    list_display = ["part_number", "manufacturer", "category", "hs_code", "eccn"]
    list_select_related = ["manufacturer", "category", "hs_code"]
    list_filter = ["category", "hs_code__chpl_tier"]
    search_fields = ["part_number", "part_number_key", "manufacturer__name", "description"]
    autocomplete_fields = ["manufacturer", "category", "hs_code"]
    fields = ["manufacturer", "part_number", "category", "description", "hs_code", "eccn", "datasheet_url"]

    def get_search_results(self, request, queryset, search_term):
        """Also match the normalised number, so `tms320f28335-pgfa` finds `TMS320F28335PGFA`."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = part_number_key(search_term)
        if key:
            results |= queryset.filter(part_number_key__contains=key)
        return results, may_have_duplicates
