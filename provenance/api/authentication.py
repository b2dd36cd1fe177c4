"""`Authorization: Bearer <key>`: an organisation's API key, checked with djangorestframework-api-key's hashing."""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from provenance.models import OrganisationAPIKey
from provenance.services.sharing import api_key_touch

__all__ = ["BearerAPIKeyAuthentication"]

KEYWORD = b"bearer"


class BearerAPIKeyAuthentication(BaseAuthentication):
    """Authenticates a partner: `request.user` stays anonymous, `request.auth` is the OrganisationAPIKey."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None  # Not ours: let session authentication (staff) have a go.
        if len(parts) != 2:
            raise AuthenticationFailed("Invalid Authorization header: expected 'Bearer <key>'.")
        try:
            raw_key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid API key.") from None
        api_key = self._lookup(raw_key)
        api_key_touch(api_key=api_key)
        return AnonymousUser(), api_key

    @staticmethod
    def _lookup(raw_key: str) -> OrganisationAPIKey:
        prefix, dot, _secret = raw_key.partition(".")
        if not dot:
            raise AuthenticationFailed("Invalid API key.")
        # One query for the key and its organisation; the hash check is the library's (SHA-512, constant time).
        api_key = OrganisationAPIKey.objects.select_related("organisation").filter(prefix=prefix, revoked=False).first()
        if api_key is None or not api_key.is_valid(raw_key):
            raise AuthenticationFailed("Invalid API key.")
        if api_key.has_expired:
            raise AuthenticationFailed("API key has expired.")
        if not api_key.organisation.is_active:
            raise AuthenticationFailed("The organisation of this API key is not active.")
        return api_key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request with no credentials.
        return 'Bearer realm="api"'


class BearerAPIKeyScheme(OpenApiAuthenticationExtension):
    """Documents the bearer key in the OpenAPI schema."""

    target_class = "provenance.api.authentication.BearerAPIKeyAuthentication"
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "API key (prefix.secret)",
            "description": "An organisation's API key: `Authorization: Bearer <key>`.",
        }
