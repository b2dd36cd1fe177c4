"""The review queue of sanctions matches: a person confirms or rejects each candidate the matcher proposed.

Imported by `manufacturers.admin` (so the admin's autodiscovery registers it).
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from manufacturers.models import SanctionMatch
from manufacturers.sanctions.matches import sanction_matches_decide
from manufacturers.sanctions.reasons import reasons_text

ALL = "all"


class DecisionFilter(admin.SimpleListFilter):
    """Pending candidates by default: the queue; the other decisions and all on request."""

    title = _("decision")
    parameter_name = "decision"

    def lookups(self, request, model_admin):
        return [*SanctionMatch.Decision.choices, (ALL, _("All"))]

    def choices(self, changelist):
        value = self.value() or SanctionMatch.Decision.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or SanctionMatch.Decision.PENDING
        return queryset if value == ALL else queryset.filter(decision=value)


@admin.register(SanctionMatch)
class SanctionMatchAdmin(SimpleHistoryAdmin):
    list_display = ["manufacturer", "listed_entity_name", "score", "strong", "reason_list", "decision",
                    "decided_by", "decided_at", "decided_via"]  # fmt: skip
    list_filter = [DecisionFilter, "strong", "listed_entity__schema"]
    list_select_related = ["manufacturer", "listed_entity", "decided_by"]
    search_fields = ["manufacturer__name", "listed_entity__caption", "listed_entity__source_id"]
    ordering = ["-strong", "-score", "manufacturer__name"]
    readonly_fields = ["manufacturer", "listed_entity", "score", "strong", "reason_list", "decision", "decided_by",
                       "decided_at", "decided_via", "created_at", "updated_at"]  # fmt: skip
    fields = readonly_fields
    actions = ["confirm", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates come from `match_sanctions`

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a decision is kept

    @admin.display(description=_("listed entity"), ordering="listed_entity__caption")
    def listed_entity_name(self, obj: SanctionMatch) -> str:
        return f"{obj.listed_entity.caption} ({obj.listed_entity.source_id})"

    @admin.display(description=_("reasons"))
    def reason_list(self, obj: SanctionMatch) -> str:
        return format_html_join("", "<div>{}</div>", ((reason,) for reason in reasons_text(obj.reasons)))

    def _decide(self, request: HttpRequest, queryset: QuerySet[SanctionMatch], decision: str) -> int:
        return sanction_matches_decide(matches=queryset, decision=decision, user=request.user)

    @admin.action(description=_("Confirm: the maker is this listed entity"), permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[SanctionMatch]) -> None:
        n = self._decide(request, queryset, SanctionMatch.Decision.CONFIRMED)
        self.message_user(request, ngettext("%d match confirmed.", "%d matches confirmed.", n) % n, messages.SUCCESS)

    @admin.action(description=_("Reject: another company"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[SanctionMatch]) -> None:
        n = self._decide(request, queryset, SanctionMatch.Decision.REJECTED)
        self.message_user(request, ngettext("%d match rejected.", "%d matches rejected.", n) % n, messages.SUCCESS)
