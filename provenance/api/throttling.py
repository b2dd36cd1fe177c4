"""Rate limits per API key (not per IP address: one partner's keys must not starve another's).

The rate is `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"]`, read on every request so tests and
deployments can change it. Counters live in Django's default cache: with several gunicorn workers or
servers that cache must be shared (e.g. Redis), or each process counts on its own.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from provenance.models import OrganisationAPIKey

__all__ = ["PartnerKeyRateThrottle"]


class PartnerKeyRateThrottle(SimpleRateThrottle):
    """Throttles requests made with an organisation key; staff sessions are not throttled."""

    scope = "partner"

    def get_rate(self) -> str | None:
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope)

    def allow_request(self, request, view) -> bool:
        # The rate is looked up per request (SimpleRateThrottle reads it once, in __init__).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, OrganisationAPIKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
