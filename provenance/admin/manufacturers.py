"""Admin: the manufacturer list with how often each maker is found (findings are this app's, not theirs).

`manufacturers` knows nothing of findings; this module re-registers its ModelAdmin with the two counts.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from manufacturers.admin import ManufacturerAdmin
from manufacturers.models import Manufacturer
from provenance.selectors.items import manufacturers_with_finding_counts

__all__ = ["ManufacturerWithFindingsAdmin"]


class ManufacturerWithFindingsAdmin(ManufacturerAdmin):
    list_display = [*ManufacturerAdmin.list_display, "finding_count", "unit_count"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Manufacturer]:
        return manufacturers_with_finding_counts(super().get_queryset(request))

    @admin.display(description=_("findings"), ordering="finding_count")
    def finding_count(self, obj: Manufacturer) -> int:
        return obj.finding_count

    @admin.display(description=_("units"), ordering="unit_count")
    def unit_count(self, obj: Manufacturer) -> int:
        return obj.unit_count


if admin.site.is_registered(Manufacturer):
    admin.site.unregister(Manufacturer)
admin.site.register(Manufacturer, ManufacturerWithFindingsAdmin)
