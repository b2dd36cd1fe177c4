"""Shared REST API building blocks: pagination with a hard maximum and JSON error bodies.

The OpenAPI defaults are in `config.common.api_schema` (importing drf-spectacular here would be circular:
DRF imports this module while it is still loading its generic views)."""

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler

__all__ = ["ErrorSerializer", "StandardPagination", "ValidationErrorSerializer", "api_exception_handler"]


class StandardPagination(PageNumberPagination):
    """`?page=N&page_size=M`; M defaults to 50 and is capped at 500 whatever the client asks for."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ErrorSerializer(serializers.Serializer):
    """Every error: `{"detail": "..."}`."""

    detail = serializers.CharField()


class ValidationErrorSerializer(ErrorSerializer):
    """A 400: the summary in `detail`, the messages per parameter in `errors`."""

    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def api_exception_handler(exc, context):
    """DRF's handler, with validation errors reshaped to `{"detail": ..., "errors": {field: [...]}}`."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        errors = {key: value if isinstance(value, list) else [value] for key, value in errors.items()}
        response.data = {"detail": "Invalid request parameters.", "errors": errors}
    return response
