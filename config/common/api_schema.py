"""OpenAPI defaults for every API view: the JSON error responses each operation can return."""

from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .api import ErrorSerializer, ValidationErrorSerializer

__all__ = ["ApiAutoSchema"]

_ERRORS = {
    "400": OpenApiResponse(
        ValidationErrorSerializer, description=gettext_lazy("Invalid parameters (messages per parameter).")
    ),
    "401": OpenApiResponse(ErrorSerializer, description=gettext_lazy("No key, or an invalid, expired or revoked key.")),
    "403": OpenApiResponse(
        ErrorSerializer, description=gettext_lazy("Authenticated but not allowed (e.g. a write with a key).")
    ),
    "404": OpenApiResponse(ErrorSerializer, description=gettext_lazy("No such object, or not visible to the caller.")),
    "429": OpenApiResponse(ErrorSerializer, description=gettext_lazy("Too many requests; see the Retry-After header.")),
}


class ApiAutoSchema(AutoSchema):
    """Documents the JSON error responses every API operation can return."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for code, response in _ERRORS.items():
            responses.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        return responses
