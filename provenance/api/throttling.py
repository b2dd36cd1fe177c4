"""Rate limits per API key (not per IP address: one partner's keys must not starve another's).

The rate is `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"]` ("600/minute"), read on every request so
tests and deployments can change it. Counting is a fixed window per key: at most N requests per calendar
window (minute, hour...), and a refused request is told, in Retry-After, when the window ends.

The counter is one integer in Django's default cache, raised with the cache's atomic `incr`. DRF's own
SimpleRateThrottle reads the key's whole request history, appends to it and writes it back: two workers
answering the same key at once both read the old history and one append is lost, so a partner spreading
requests over workers got past its limit; and the history (one timestamp per request of the window) is
unpickled and pickled again on every request. With several gunicorn workers or servers the cache must be
shared (Redis: `CACHE_URL`), or each process counts on its own (`check --deploy` warns).
"""

import math

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from provenance.models import BriefingReport, Organisation, OrganisationAPIKey

__all__ = ["PartnerKeyRateThrottle", "briefing_queue_check"]


class PartnerKeyRateThrottle(SimpleRateThrottle):
    """Throttles requests made with an organisation key; staff sessions are not throttled."""

    scope = "partner"
    cache_format = "throttle:%(scope)s:%(ident)s:%(window)d"

    def __init__(self) -> None:  # The rate is read per request, in allow_request.
        self.rate = None

    def get_rate(self) -> str | None:
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, OrganisationAPIKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix, "window": self.window}

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        self.now = self.timer()
        self.window = int(self.now // self.duration)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        return self._count(key) <= self.num_requests

    def _count(self, key: str) -> int:
        """Add this request to `key`'s counter (created for one window), atomically; the new count."""
        for _attempt in range(3):
            cache.add(key, 0, timeout=self.duration + 1)
            try:
                return cache.incr(key)
            except ValueError:  # Expired between add and incr: create it again.
                continue
        raise RuntimeError(f"could not count a request in the cache ({key})")

    def wait(self) -> float:
        """Seconds until the window ends (at least 1: Retry-After is a whole number)."""
        return max(1, math.ceil((self.window + 1) * self.duration - self.now))


def briefing_queue_check(organisation: Organisation) -> None:
    """One organisation may have at most BRIEFING_QUEUE_PER_ORGANISATION reports waiting or rendering: past that
    a request is a 429 (Retry-After), so one partner cannot fill the worker's queue ahead of the others."""
    limit = settings.BRIEFING_QUEUE_PER_ORGANISATION
    pending = BriefingReport.objects.filter(
        organisation=organisation, state__in=[BriefingReport.State.QUEUED, BriefingReport.State.RUNNING]
    )
    if pending.count() >= limit:
        raise Throttled(
            wait=settings.BRIEFING_QUEUE_RETRY_AFTER,
            detail=_("%(n)d briefings of your organisation are still being prepared: wait for one to finish.")
            % {"n": limit},
        )
