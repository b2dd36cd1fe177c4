"""Shared REST API building blocks: pagination with a hard maximum and JSON error bodies.

The OpenAPI defaults are in `config.common.api_schema` (importing drf-spectacular here would be circular:
DRF imports this module while it is still loading its generic views)."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler

__all__ = [
    "BoundedSearchFilter",
    "CheckedOrderingFilter",
    "CountCachingPaginator",
    "DeferredJoinPagination",
    "ErrorSerializer",
    "StandardPagination",
    "ValidationErrorSerializer",
    "api_exception_handler",
    "query_params_check",
    "unknown_parameter_message",
]


class CountCachingPaginator(Paginator):
    """A paginator whose total count is kept in Django's cache under `count_key` (when one is given): paging
    through a broad filter then counts its rows once, not once a page (a COUNT over 300,000 visible findings
    costs more than the page itself). The key must change whenever the count can (see the views')."""

    def __init__(self, object_list, per_page, *, count_key: str | None = None, count_timeout: int = 0, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key, self.count_timeout = count_key, count_timeout

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return Paginator.count.func(self)
        count = cache.get(self.count_key)
        if count is None:
            count = Paginator.count.func(self)
            cache.set(self.count_key, count, self.count_timeout)
        return count


class StandardPagination(PageNumberPagination):
    """`?page=N&page_size=M`; M defaults to 50 and is capped at 500 whatever the client asks for. A view with
    `count_cache_key()` (returning a cache key, or None, and seconds) has its counts cached
    (`CountCachingPaginator`)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.check_depth(request)
        count_key, timeout = view.count_cache_key() if hasattr(view, "count_cache_key") else (None, 0)
        make_paginator = self.paginator_factory(view)

        def paginator(object_list, per_page, **kwargs):
            return make_paginator(object_list, per_page, count_key=count_key, count_timeout=timeout, **kwargs)

        self.django_paginator_class = paginator
        return super().paginate_queryset(queryset, request, view)

    def paginator_factory(self, view):
        return CountCachingPaginator

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]  # always sent; null on the first or last page
        return paginated

    def check_depth(self, request) -> None:
        """Refuse a page past `API_MAX_PAGE_DEPTH` rows: an OFFSET that deep costs seconds and no partner needs
        it (narrow the filter instead)."""
        page_size = self.get_page_size(request) or self.page_size
        try:
            page = int(request.query_params.get(self.page_query_param) or 1)
        except ValueError:
            return  # DRF answers an unreadable page number with its own 404
        if page * page_size > settings.API_MAX_PAGE_DEPTH:
            raise ValidationError(
                {
                    self.page_query_param: [
                        _("Pages reach at most %(n)d rows deep: narrow the filters instead of paging further.")
                        % {"n": settings.API_MAX_PAGE_DEPTH}
                    ]
                }
            )


class BoundedSearchFilter(SearchFilter):
    """DRF's search, with at most `API_MAX_SEARCH_TERMS` terms (each term adds a clause per search field: a
    thousand of them overflow SQLite's expression tree and cost PostgreSQL seconds)."""

    def get_search_terms(self, request):
        terms = super().get_search_terms(request)
        if len(terms) > settings.API_MAX_SEARCH_TERMS:
            raise ValidationError(
                {
                    self.search_param: [
                        _("At most %(n)d search terms.") % {"n": settings.API_MAX_SEARCH_TERMS},
                    ]
                }
            )
        return terms


class CheckedOrderingFilter(OrderingFilter):
    """DRF's `?ordering=` (one or more of the view's `ordering_fields`, comma-separated, `-` for descending), with
    those values listed in the schema (an enum) and any other refused with a 400, where DRF would quietly answer in
    the default order."""

    def allowed_orderings(self, view) -> list[str] | None:
        """Each ordering field, ascending and descending (None: the view lists none, DRF decides)."""
        fields = getattr(view, "ordering_fields", None)
        if not fields or fields == "__all__":
            return None
        return [value for field in fields for value in (field, f"-{field}")]

    def get_ordering(self, request, queryset, view):
        allowed = self.allowed_orderings(view)
        asked = request.query_params.get(self.ordering_param) or ""
        terms = [term.strip() for term in asked.split(",") if term.strip()]
        unknown = [term for term in terms if allowed is not None and term not in allowed]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Cannot order by “%(value)s”; order by one of: %(names)s.")
                        % {"value": unknown[0], "names": ", ".join(allowed)}
                    ]
                }
            )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        allowed = self.allowed_orderings(view)
        if allowed:
            parameters[0]["schema"]["enum"] = allowed
            parameters[0]["description"] = "Order by this field (`-` first: descending)."
        return parameters


class DeferredJoinPaginator(CountCachingPaginator):
    """Fetches a page as `rows.filter(pk__in=<the page's primary keys>)`, still one query: the filtered,
    ordered LIMIT/OFFSET runs as a subquery over the narrow rows only, and the relations are joined for the
    page's rows alone. PostgreSQL plans that faster than one query that both filters (visibility and filter
    subqueries) and joins every relation: planning, not execution, dominated the findings list
    (bench/api_load.py)."""

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

    def paginator_factory(self, view):
        rows = view.page_rows()

        def paginator(object_list, per_page, **kwargs):
            return DeferredJoinPaginator(object_list, per_page, rows=rows, **kwargs)

        return paginator


def query_params_check(params, *, allowed: set[str] | None) -> None:
    """Refuse (400) NUL characters anywhere in the query string, and any parameter outside `allowed` (None: any):
    a typo is reported rather than ignored, and junk parameters cannot multiply cache entries."""
    errors = {}
    for name, values in params.lists():
        label = name[:40]
        if "\x00" in name or any("\x00" in value for value in values):
            errors[label.replace("\x00", "")] = [_("Must not contain NUL characters.")]
        elif allowed is not None and name not in allowed:
            errors[label] = [unknown_parameter_message(allowed)]
    if errors:
        raise ValidationError(errors)


def unknown_parameter_message(allowed) -> str:
    """What a parameter outside `allowed` (a query parameter, a key of a request body) is told."""
    return _("Unknown parameter; this endpoint takes: %(names)s.") % {"names": ", ".join(sorted(allowed))}


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
        response.data = {"detail": _("Invalid request parameters."), "errors": errors}

    return response
