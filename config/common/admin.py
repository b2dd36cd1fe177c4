"""Shared admin building blocks."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

__all__ = ["HistoryWithoutRevertAdmin"]


class HistoryWithoutRevertAdmin(SimpleHistoryAdmin):
    """History pages to read, never to restore: for records an old version must not come back to (a revoked
    API key, a write-once evidence file). simple-history's `revert_disabled` only hides the button, so a
    POST to a version's page is refused here."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(_("Old versions of this record cannot be restored."))
        return super().history_form_view(request, object_id, version_id, extra_context)
