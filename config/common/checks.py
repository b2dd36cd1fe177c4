"""Deployment checks of our own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

__all__ = ["check_shared_cache"]

_PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[Warning]:
    """The partner API's throttle counts per key in the default cache: a per-process cache multiplies the
    rate by the number of workers."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in _PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The default cache is local to each process, so API rate limits count per worker, not per key.",
            hint="Set CACHE_URL to a shared cache, e.g. CACHE_URL=redis://127.0.0.1:6379/1.",
            id="common.W001",
        )
    ]
