"""Anything under /api/ that no route matched: a JSON 404, as every other API error (not Django's HTML page)."""

from django.http import JsonResponse
from django.urls import re_path
from django.utils.translation import gettext as _


def api_not_found(request, path: str = "") -> JsonResponse:
    response = JsonResponse(
        {"detail": _("Not found. The API lives under /api/v1/: see /api/docs/ for its endpoints.")}, status=404
    )
    response["Cache-Control"] = "no-store"
    return response


# Only paths ending in "/": "/api/v1/findings" still gets CommonMiddleware's redirect to "/api/v1/findings/".
urlpatterns = [re_path(r"^(?P<path>(?:.*/)?)$", api_not_found)]
