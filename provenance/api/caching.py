"""Rendered responses of the read endpoints, kept in Django's cache and keyed by what decides them.

A response is a function of the evidence (the data version: `provenance.models.data_version`), of who
asks (the organisation, or "staff": every staff user sees the same), of the day (ownership `as_of`
defaults to today), and of the absolute URL (path, query string, and the host the pagination links are
built from). Any change to the evidence gives a new version, so a stale response is never served: not
after an item is unpublished, turned RED, or shared with one more organisation; not after a bulk import
or a raw SQL update. Entries are never invalidated, they are just never asked for again, and expire.

Authentication, key revocation, throttling and the access log all still run on every request: only the
handler's work (queries, serialisation, rendering) is skipped. Only 200 responses to GET are kept. A
list's total count is kept too, under the same version and scope and the query without `page` and
`page_size`: paging through a broad filter counts its rows once.
`API_RESPONSE_CACHE_SECONDS = 0` turns the cache off; `X-Cache: hit` / `miss` tells which one answered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from rest_framework.response import Response

from provenance.selectors.data_version import data_version
from provenance.selectors.visibility import is_staff_user

__all__ = ["CachedResponseMixin"]

KEY_PREFIX = "api"


class CachedResponseMixin:
    """For the partner API's read views (they give `caller()` and `records_returned`)."""

    _cache_entry: tuple[str, int] | None = None
    _cache_context: tuple[int, str, int] | None = None  # version, scope, seconds

    def _cache_scope(self) -> str | None:
        caller = self.caller()
        if is_staff_user(caller["user"]):
            return "staff"
        if caller["organisation"] is not None:
            return f"org{caller['organisation'].pk}"
        return None

    def cached(self, handler: Callable, request, *args, **kwargs):
        """`handler(request, ...)`'s response, from the cache when the same response was rendered before."""
        seconds = settings.API_RESPONSE_CACHE_SECONDS
        scope = self._cache_scope() if seconds and request.method == "GET" else None
        # The version is read before the data: whatever the handler then reads is at least that new.
        version = data_version() if scope else None
        if version is None:
            return handler(request, *args, **kwargs)
        self._cache_context = (version, scope, seconds)
        key = self._cache_key("response", request.build_absolute_uri())
        hit = cache.get(key)
        if hit is not None:
            content, content_type, self.records_returned = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
            return response
        self._cache_entry = (key, seconds)
        response = handler(request, *args, **kwargs)
        response["X-Cache"] = "miss"
        return response

    def count_cache_key(self) -> tuple[str | None, int]:
        """Where the pagination keeps this list's total count (config.common.api.CountCachingPaginator)."""
        if self._cache_context is None:
            return None, 0
        params = sorted((k, v) for k, v in self.request.query_params.lists() if k not in ("page", "page_size"))
        return self._cache_key("count", repr((self.request.path, params))), self._cache_context[2]

    def _cache_key(self, kind: str, what: str) -> str:
        """`kind` ("response" or "count") of `what` (a URL, a query) at this version, for this scope, today
        (responses also per language: country names and messages follow Accept-Language)."""
        version, scope, _seconds = self._cache_context
        digest = hashlib.sha256(what.encode()).hexdigest()
        language = translation.get_language() if kind == "response" else ""
        return f"{KEY_PREFIX}:{kind}:{version}:{scope}:{timezone.localdate().isoformat()}:{language}:{digest}"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._cache_entry is not None and isinstance(response, Response) and response.status_code == 200:
            key, seconds = self._cache_entry
            response.render()
            cache.set(key, (response.content, response["Content-Type"], self.records_returned), seconds)
        return response
