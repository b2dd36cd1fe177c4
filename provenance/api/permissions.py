"""Who may call the API: a valid organisation key (read-only) or a staff user's session."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from provenance.models import OrganisationAPIKey
from provenance.selectors.visibility import is_staff_user

__all__ = ["IsPartnerOrStaff"]


class IsPartnerOrStaff(BasePermission):
    """Partner keys may read; staff users may use the API with their session; nobody else."""

    message = "This API is for partner keys (read-only) and staff accounts."

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, OrganisationAPIKey):
            return request.method in SAFE_METHODS
        return is_staff_user(request.user)
