"""Size limits of uploads through the admin: one message, and one guard that refuses an oversized upload from its
Content-Length before a byte of it is read or stored.

Each limit is a setting in bytes (`TEARDOWN_MAX_BYTES`, `SANCTIONS_UPLOAD_MAX_BYTES`), named in the message so
an operator knows which to raise. The form checks the file's size too (`upload_too_large`), for a request sent
without a Content-Length.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

__all__ = ["FORM_OVERHEAD", "size_limited_upload", "upload_too_large"]

FORM_OVERHEAD = 1_048_576  # multipart boundaries and the form's other fields
_MB = 1_048_576


def upload_too_large(size: int, setting: str) -> str | None:
    """The message for a file of `size` bytes over the limit of `setting`, or None when it is within."""
    limit = getattr(settings, setting)
    if size <= limit:
        return None
    return _("The file is %(size).1f MB, over the limit of %(limit).1f MB (%(setting)s).") % {
        "size": size / _MB,
        "limit": limit / _MB,
        "setting": setting,
    }


def size_limited_upload(setting: str, refused: Callable[[HttpRequest, str], HttpResponse]):
    """Decorate an upload view: a POST whose Content-Length is over the limit of `setting` (plus the form's
    overhead) gets `refused(request, message)` (which should answer 413) before its body is read; any other
    request goes to the view, CSRF-checked. The CSRF check reads the body, so it runs here, after the size
    check, and the decorated view is exempt from the middleware's (it still has a token to check)."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if request.method == "POST" and length > getattr(settings, setting) + FORM_OVERHEAD:
                return refused(request, upload_too_large(length, setting))
            return protected(request, *args, **kwargs)

        return csrf_exempt(guarded)

    return decorator
