"""Admin: partner API keys (raw key shown once on creation, revocation, expiry, last use) and the access log."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from config.common.admin import HistoryWithoutRevertAdmin
from provenance.models import AccessLog, OrganisationAPIKey
from provenance.services.sharing import api_key_revoke

# The library's own (organisation-less) key model is unused here; its admin page would only confuse.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(OrganisationAPIKey)
class OrganisationAPIKeyAdmin(HistoryWithoutRevertAdmin, APIKeyModelAdmin):
    """Creating a key shows the raw key once (a message); only the prefix and a hash are stored.

    *History* shows who created, renamed, extended or revoked a key and when; old versions cannot be restored,
    so a revoked key never comes back."""

    list_display = [
        "prefix",
        "name",
        "organisation",
        "created",
        "expiry_date",
        "_has_expired",
        "revoked",
        "last_used_at",
    ]
    list_filter = ["organisation", "revoked", "expiry_date", "created"]
    list_select_related = ["organisation"]
    search_fields = ["name", "prefix", "organisation__name"]
    fields = ["organisation", "name", "prefix", "expiry_date", "revoked", "created", "last_used_at"]
    actions = ["revoke_keys"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = ["prefix", "created", "last_used_at", "revoked"]
        if obj is not None:
            readonly.append("organisation")  # A key never moves to another organisation.
            if obj.revoked:
                readonly += ["name", "expiry_date"]
        return readonly

    @admin.action(description=_("Revoke the selected API keys (cannot be undone)"))
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[OrganisationAPIKey]) -> None:
        count = 0
        for api_key in queryset.filter(revoked=False):
            api_key_revoke(api_key=api_key)
            count += 1
        self.message_user(request, _("%(count)d API key(s) revoked.") % {"count": count}, messages.SUCCESS)


class EndpointFilter(admin.SimpleListFilter):
    """The API resource a request was for (the path without the object id)."""

    title = _("endpoint")
    parameter_name = "endpoint"
    endpoints = [
        "weapon-models",
        "strikes",
        "recovered-items",
        "findings",
        "manufacturers",
        "parts",
        "stats/breakdown",
        "stats/shift",
    ]

    def lookups(self, request, model_admin):
        return [(e, e) for e in self.endpoints]

    def queryset(self, request, queryset):
        if self.value() in self.endpoints:
            return queryset.filter(path__startswith=f"/api/v1/{self.value()}/")
        return queryset


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: who called what, with which result. Rows are written by the API only."""

    list_display = ["at", "organisation", "api_key", "method", "path", "query", "status", "records"]
    list_filter = ["organisation", "status", EndpointFilter, "at"]
    list_select_related = ["organisation", "api_key"]
    search_fields = ["path", "query", "organisation__name", "api_key__prefix"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
