"""Who may call the API: a valid organisation key (read-only) or a staff user's session with the admin's
view permissions for what the endpoint shows."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from provenance.models import BriefingReport, OrganisationAPIKey, RecoveredItem
from provenance.selectors.visibility import internal_user_may_view, is_staff_user

__all__ = ["IsPartnerOrStaff", "MayRequestBriefings"]


class IsPartnerOrStaff(BasePermission):
    """Partner keys may read; staff users may use the API with their session when they hold the view
    permissions of the endpoint's models (`view.permission_models`), exactly as the admin asks; nobody else."""

    message = _("This API is for partner keys (read-only) and staff accounts with the view permission.")

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, OrganisationAPIKey):
            return request.method in SAFE_METHODS
        if not is_staff_user(request.user):
            return False
        return all(internal_user_may_view(request.user, model) for model in getattr(view, "permission_models", ()))


class MayRequestBriefings(BasePermission):
    """Partner keys may read and request briefings (not change or delete them); staff sessions may too, with
    the admin's permissions: view briefing reports to read them, add one (and view the items) to request one.
    Requesting a report is the one write a partner key may make: it changes no data, it only issues a document
    from what the partner can already read."""

    message = _("Briefings are for partner keys and staff accounts with the briefing permissions.")

    def has_permission(self, request, view) -> bool:
        if request.method not in ("GET", "HEAD", "OPTIONS", "POST"):
            return False
        if isinstance(request.auth, OrganisationAPIKey):
            return True
        if request.method == "POST":
            return internal_user_may_view(request.user, RecoveredItem) and request.user.has_perm(
                "provenance.add_briefingreport"
            )
        return internal_user_may_view(request.user, BriefingReport)
