"""Cacheable public pages, keyed by the data version the partner API already keeps.

A public page is a function of the evidence (the data version: `provenance.models.data_version`), the day
(owners are resolved as of today) and the absolute URL (which holds the language). From those comes:
- an `ETag`: a browser or a proxy revalidates (`Cache-Control: public, max-age=CATALOGUE_MAX_AGE`) and gets a
  304 for one small query while nothing changed;
- the rendered page, kept in Django's cache for `CATALOGUE_CACHE_SECONDS` (0 turns it off); `X-Cache: hit`
  or `miss` tells which one answered;
- `version_cached`: parts shared by many pages (the filters' option lists, a filter's total count), kept under
  the same version;
- `content_cached`: what depends on a few inputs only (a weapon page's charts), kept under a digest of them,
  so a change elsewhere in the data does not make it again.
Before anything else, once per version: whether a line is flagged public that the visibility rule hides (a
write that bypassed the services, see `provenance.services.public_flag`); then every page answers 503 until the
flags are repaired, rather than show what it must not.
Any change to the evidence (publishing, unpublishing, a new TLP, a photo withdrawn) gives a new version, so no
page is served stale by this server; entries are never invalidated, just never asked for again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from provenance.selectors.data_version import data_version
from provenance.selectors.visibility import findings_public_flag_leaks

__all__ = ["content_cached", "public_page", "version_cached"]

KEY_PREFIX = "catalogue"
logger = logging.getLogger(__name__)


def _key(kind: str, version: int, what: str) -> str:
    digest = hashlib.sha256(f"{version}:{timezone.localdate().isoformat()}:{what}".encode()).hexdigest()
    return f"{KEY_PREFIX}:{kind}:{version}:{digest}"


def version_cached(request: HttpRequest, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, kept under the data version read at the start of this request (computed when none)."""
    version = getattr(request, "catalogue_version", None)
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if version is None or not seconds:
        return compute()
    key = _key("part", version, name)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def content_cached(name: str, inputs: Any, compute: Callable[[], Any]) -> Any:
    """`compute()`, kept under a digest of everything it depends on (`inputs`, JSON; the language is added).

    For what is slow to make and depends on a few numbers only, such as a chart: it is made again only when its
    own numbers or labels change, not whenever the data version does."""
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if not seconds:
        return compute()
    text = json.dumps([name, get_language(), inputs], sort_keys=True, default=str)
    key = f"{KEY_PREFIX}:{name}:{hashlib.sha256(text.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a public page's view: ETag and Cache-Control from the data version, and the rendered page cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Read before the data: whatever the view then reads is at least this new.
        version = data_version()
        request.catalogue_version = version
        if version_cached(request, "flag-leaks", findings_public_flag_leaks):
            # A write bypassed the services that keep the public flag: show nothing rather than too much.
            logger.error("Public flags disagree with the visibility rule; run `manage.py public_flags`.")
            response = HttpResponse(_("The catalogue is being updated; please try again in a few minutes."), status=503)
            patch_cache_control(response, no_cache=True)
            return response
        if version is None or request.method not in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, no_cache=True)
            return response
        url = request.build_absolute_uri()
        etag = quote_etag(_key("etag", version, url).rsplit(":", 1)[1][:32])
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return _headers(not_modified, etag)
        seconds = settings.CATALOGUE_CACHE_SECONDS
        key = _key("page", version, url)
        hit = cache.get(key) if seconds else None
        if hit is not None:
            content, status = hit
            response = HttpResponse(content, status=status)
            response["X-Cache"] = "hit"
            return _headers(response, etag)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200 and seconds and not response.streaming:  # a CSV download is streamed
            cache.set(key, (response.content, response.status_code), seconds)
        response["X-Cache"] = "miss"
        return _headers(response, etag)

    return wrapper


def _headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.CATALOGUE_MAX_AGE)
    return response
