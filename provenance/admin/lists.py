"""List pages of the admin that stay fast on a million findings.

- Searches go through `provenance.selectors.search` (index-served, `IN (subquery)` instead of a join +
  DISTINCT); the admin's own `icontains` over joined columns would scan every finding.
- Counts of the findings list are exact up to 10,000 and estimated above (said so on the page).
- Filters list only the values in use, read from an index or a small table.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.common.paginators import EstimatedCountPaginator
from provenance.selectors.items import finding_countries
from provenance.selectors.search import findings_search, recovered_items_search

__all__ = ["FindingListMixin", "FindingsCountryFilter", "RecoveredItemSearchMixin", "country_code_column"]


def country_code_column(field: str, description: str):
    """A list column showing a country field's code ("US"). The stock column looks the value up in the
    ~250 translated country choices for every row: most of the time of a 100-row findings page."""

    @admin.display(description=description, ordering=field)
    def column(model_admin, obj) -> str:
        return getattr(getattr(obj, field), "code", None) or "–"

    return column


class FindingsCountryFilter(admin.SimpleListFilter):
    """Findings by maker's country, offering only the countries that findings hold (not all ~250)."""

    title = _("maker's country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return finding_countries()

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class FindingListMixin:
    """The findings list: newest lines first (the primary key's index), index-served search, cheap count."""

    ordering = ["-pk"]
    country_code = country_code_column("country", _("maker's country"))
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return findings_search(queryset, search_term), False


class RecoveredItemSearchMixin:
    """The items list's search: an item matches by its own fields or through any of its findings."""

    def get_search_results(self, request, queryset, search_term):
        return recovered_items_search(queryset, search_term), False
