"""Shared REST API building blocks: pagination with a hard maximum and JSON error bodies.

The OpenAPI defaults are in `config.common.api_schema` (importing drf-spectacular here would be circular:
DRF imports this module while it is still loading its generic views)."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler

__all__ = [
    "DeferredJoinPagination",
    "ErrorSerializer",
    "StandardPagination",
    "ValidationErrorSerializer",
    "api_exception_handler",
]


class StandardPagination(PageNumberPagination):
    """`?page=N&page_size=M`; M defaults to 50 and is capped at 500 whatever the client asks for."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class DeferredJoinPaginator(Paginator):
    """Fetches a page as `rows.filter(pk__in=<the page's primary keys>)`, still one query: the filtered,
    ordered LIMIT/OFFSET runs as a subquery over the narrow rows only, and the relations are joined for the
    page's rows alone. PostgreSQL plans that in half the time of one query that both filters (visibility and
    filter subqueries) and joins every relation: planning, not execution, dominated the findings list."""

    def __init__(self, object_list, per_page, *, rows: QuerySet, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            page_keys = object_list.values("pk")
            rows = self.rows.filter(pk__in=page_keys)
            # The same order as the subquery's (without an explicit one both use the model's default).
            if object_list.query.order_by:
                rows = rows.order_by(*object_list.query.order_by)
            object_list = rows
        return super()._get_page(object_list, number, paginator)


class DeferredJoinPagination(StandardPagination):
    """`StandardPagination` whose page query is a deferred join (`DeferredJoinPaginator`): the view gives the
    rows to fetch, `view.page_rows()` (relations joined, no filters: the keys come from the filtered queryset)."""

    def paginate_queryset(self, queryset, request, view=None):
        rows = view.page_rows()

        def paginator(object_list, per_page, **kwargs):
            return DeferredJoinPaginator(object_list, per_page, rows=rows, **kwargs)

        self.django_paginator_class = paginator
        return super().paginate_queryset(queryset, request, view)


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
