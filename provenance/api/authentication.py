"""`Authorization: Bearer <key>`: an organisation's API key, checked with djangorestframework-api-key's hashing."""

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled

from config.common.client_ip import client_ip
from provenance.models import OrganisationAPIKey
from provenance.services.sharing import api_key_touch

__all__ = ["BearerAPIKeyAuthentication", "bearer_key_presented"]

KEYWORD = b"bearer"


def bearer_key_presented(request) -> bool:
    """True when the request carries `Authorization: Bearer ...` (a partner key, valid or not)."""
    parts = get_authorization_header(request).split()
    return bool(parts) and parts[0].lower() == KEYWORD


def _failures_key(request) -> str:
    window = int(time.time() // 60)
    return f"throttle:badkey:{client_ip(request)}:{window}"


def _refuse_guessing(request) -> None:
    """Past API_BAD_KEY_PER_MINUTE refused keys from one address in this minute: 429 until the minute ends,
    before any key is checked (the right key included), so secrets cannot be guessed at speed."""
    failures = cache.get(_failures_key(request)) or 0
    if failures >= settings.API_BAD_KEY_PER_MINUTE:
        raise Throttled(
            wait=max(1, 60 - int(time.time()) % 60), detail=_("Too many refused API keys from your address.")
        )


def _count_failure(request) -> None:
    key = _failures_key(request)
    cache.add(key, 0, timeout=61)
    try:
        cache.incr(key)
    except ValueError:  # expired in between: this failure starts the next window
        cache.set(key, 1, timeout=61)


class BearerAPIKeyAuthentication(BaseAuthentication):
    """Authenticates a partner: `request.user` stays anonymous, `request.auth` is the OrganisationAPIKey.

    Refused keys are counted per client address (the access log records each one); past
    `API_BAD_KEY_PER_MINUTE` in a minute the address gets 429s."""

    def authenticate(self, request):
        if not bearer_key_presented(request):
            return None  # Not ours: let session authentication (staff) have a go.
        _refuse_guessing(request)
        try:
            return self._authenticate(request)
        except AuthenticationFailed:
            _count_failure(request)
            raise

    def _authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid Authorization header: expected 'Bearer <key>'."))
        try:
            raw_key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid API key.")) from None
        api_key = self._lookup(raw_key)
        api_key_touch(api_key=api_key)
        return AnonymousUser(), api_key

    @staticmethod
    def _lookup(raw_key: str) -> OrganisationAPIKey:
        prefix, dot, _secret = raw_key.partition(".")
        if not dot:
            raise AuthenticationFailed(_("Invalid API key."))
        # One query for the key and its organisation; the hash check is the library's (SHA-512, constant time).
        api_key = OrganisationAPIKey.objects.select_related("organisation").filter(prefix=prefix, revoked=False).first()
        if api_key is None or not api_key.is_valid(raw_key):
            raise AuthenticationFailed(_("Invalid API key."))
        if api_key.has_expired:
            raise AuthenticationFailed(_("API key has expired."))
        if not api_key.organisation.is_active:
            raise AuthenticationFailed(_("The organisation of this API key is not active."))
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
