"""Partner API views: thin viewsets whose querysets all start from `provenance.selectors.visibility`."""

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from components.models import Part
from config.common.api import DeferredJoinPagination, StandardPagination, query_params_check
from config.common.client_ip import client_ip
from config.common.exports import CONTENT_TYPES
from manufacturers.models import Manufacturer
from manufacturers.selectors import manufacturers_with_designations
from provenance.filters import AnalyticsParamsForm
from provenance.media import briefing_file_response
from provenance.models import Finding, OrganisationAPIKey, RecoveredItem, Strike, WeaponModel
from provenance.selectors.analytics import ATTRIBUTIONS, DIMENSIONS, PERIODS, STATUSES, UNITS, breakdown, shift
from provenance.selectors.sanctions import sanctions_coverage
from provenance.selectors.visibility import (
    briefing_reports_visible_to,
    findings_visible_to,
    internal_user_may_view,
    items_visible_to,
    manufacturers_visible_to,
    parts_visible_to,
    strikes_visible_to,
    weapon_models_visible_to,
)
from provenance.services.briefings import FORMATS, briefing_request
from provenance.services.sharing import access_log_record
from provenance.services.statement_timeout import is_statement_timeout, partner_statement_timeout

from . import filters, serializers
from .authentication import BearerAPIKeyAuthentication, bearer_key_presented
from .caching import CachedResponseMixin
from .permissions import IsPartnerOrStaff, MayRequestBriefings
from .throttling import PartnerKeyRateThrottle, briefing_queue_check

# The columns a partner's finding needs: loading only these keeps internal text (notes) out of the
# process and makes the 100s of rows of a teardown list cheaper to build.
FINDING_COLUMNS = ("item_id", *serializers.FINDING_LINE_COLUMNS)
FINDING_RELATIONS = ("part", "manufacturer", "category", "source")


class PartnerAPIMixin:
    """Authentication, permission, throttling and the access log shared by every partner endpoint."""

    authentication_classes = [BearerAPIKeyAuthentication, SessionAuthentication]
    permission_classes = [IsPartnerOrStaff]
    throttle_classes = [PartnerKeyRateThrottle]
    records_returned: int | None = None
    # A staff session needs these models' view permissions, as in the admin (`permissions.IsPartnerOrStaff`).
    permission_models: tuple = (RecoveredItem, Finding)

    def caller(self) -> dict:
        """The visibility selectors' arguments for this request: the key's organisation or the user."""
        api_key = self.request.auth if isinstance(self.request.auth, OrganisationAPIKey) else None
        return {"organisation": api_key.organisation if api_key else None, "user": self.request.user}

    def allowed_query_params(self) -> set[str] | None:
        """The query parameters this endpoint reads (None: not checked)."""
        return None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        query_params_check(request.query_params, allowed=self.allowed_query_params())
        if isinstance(request.auth, OrganisationAPIKey):
            partner_statement_timeout(milliseconds=settings.API_PARTNER_STATEMENT_TIMEOUT_MS)

    def handle_exception(self, exc):
        if is_statement_timeout(exc):
            return Response({"detail": _("The request took too long and was stopped: narrow the filters.")}, status=503)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)  # partner data: never kept by a browser or a proxy
        api_key = request.auth if isinstance(getattr(request, "auth", None), OrganisationAPIKey) else None
        # Partner requests, and every request with a key that was refused (a guess): each one in the log.
        if api_key is not None or bearer_key_presented(request):
            ok = 200 <= response.status_code < 300
            access_log_record(
                api_key=api_key,
                method=request.method,
                path=request.path,
                query=request.META.get("QUERY_STRING", ""),
                status=response.status_code,
                records=self.records_returned if ok and api_key is not None else 0,
                client_ip=client_ip(request),
            )
        return response


class ReadOnlyViewSet(CachedResponseMixin, PartnerAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve (responses cached: `caching`); subclasses give `scoped_queryset()`, never an unscoped
    `queryset`."""

    pagination_class = StandardPagination

    def scoped_queryset(self) -> QuerySet:
        raise NotImplementedError

    def allowed_query_params(self) -> set[str]:
        allowed = {"ordering", "page", "page_size", *self.filterset_class.base_filters}
        return allowed | {"search"} if getattr(self, "search_fields", None) else allowed

    def get_queryset(self) -> QuerySet:
        return self.scoped_queryset()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.records_returned = len(page) if page is not None else None
        return page

    def list(self, request, *args, **kwargs):
        return self.cached(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        self.records_returned = 1
        return self.cached(super().retrieve, request, *args, **kwargs)


class ReferenceDataViewSet(ReadOnlyViewSet):
    """Reference data (weapon models, strikes, manufacturers, parts): what the caller may see of it
    (`visible`, a selector of `provenance.selectors.visibility`), with `related()` loaded."""

    visible = None

    def related(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def scoped_queryset(self) -> QuerySet:
        return self.related(type(self).visible(**self.caller()))


class WeaponModelViewSet(ReferenceDataViewSet):
    """Weapon models (designation, family, kind, aliases)."""

    permission_models = (WeaponModel,)
    visible = weapon_models_visible_to

    serializer_class = serializers.WeaponModelSerializer
    filterset_class = filters.WeaponModelFilter
    search_fields = ["designation", "name", "family", "aliases__alias"]
    ordering_fields = ["designation", "name", "family", "id"]
    ordering = ["designation"]

    def related(self, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("aliases")


class StrikeViewSet(ReferenceDataViewSet):
    """Attack events as publicly reported."""

    permission_models = (Strike,)
    visible = strikes_visible_to

    serializer_class = serializers.StrikeSerializer
    filterset_class = filters.StrikeFilter
    search_fields = ["place", "description", "launched_summary"]
    ordering_fields = ["occurred_on", "id"]
    ordering = ["-occurred_on", "id"]

    def related(self, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("sources")


class ManufacturerViewSet(ReferenceDataViewSet):
    """Manufacturers with their aliases and sanctions designations."""

    permission_models = (Manufacturer,)
    visible = manufacturers_visible_to

    serializer_class = serializers.ManufacturerSerializer
    filterset_class = filters.ManufacturerFilter
    search_fields = ["name", "aliases__alias"]
    ordering_fields = ["name", "country", "id"]
    ordering = ["name"]

    def related(self, queryset: QuerySet) -> QuerySet:
        return manufacturers_with_designations(queryset)


class PartViewSet(ReferenceDataViewSet):
    """Catalogued parts with their HS code and CHPL tier."""

    permission_models = (Part,)
    visible = parts_visible_to

    serializer_class = serializers.PartSerializer
    filterset_class = filters.PartFilter
    search_fields = ["part_number", "description", "manufacturer__name"]
    ordering_fields = ["part_number", "id"]
    ordering = ["part_number", "id"]

    def related(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("manufacturer", "category__hs_code", "hs_code")


class RecoveredItemViewSet(ReadOnlyViewSet):
    """Recovered weapon samples the caller may see; the detail includes the whole teardown list."""

    filterset_class = filters.RecoveredItemFilter
    permission_models = (RecoveredItem,)
    search_fields = ["reference", "place", "serial_number", "weapon_model__designation"]
    ordering_fields = ["recovered_on", "analysed_on", "reference", "id"]
    ordering = ["-recovered_on", "reference"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.RecoveredItemDetailSerializer
        return serializers.RecoveredItemSerializer

    def scoped_queryset(self) -> QuerySet:
        # A correlated subquery, evaluated for the page's rows only; Count("findings") would aggregate the
        # findings of every visible item before the LIMIT.
        findings_count = (
            Finding.objects.filter(item=OuterRef("pk")).order_by().values("item").annotate(n=Count("pk")).values("n")
        )
        qs = (
            items_visible_to(**self.caller())
            .select_related("weapon_model", "owner")
            .annotate(findings_count=Coalesce(Subquery(findings_count), 0))
        )
        if self.action == "retrieve":
            # The findings are not prefetched: the detail serializer reads `item.findings` as plain rows
            # (`serializers.finding_lines`), one query all the same.
            qs = qs.prefetch_related("sources")
        return qs


class FindingViewSet(ReadOnlyViewSet):
    """Teardown lines of the items the caller may see."""

    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilter
    search_fields = ["marking", "module", "part__part_number", "manufacturer__name"]
    ordering_fields = ["id", "line_no", "quantity", "country", "produced_year", "item__recovered_on"]
    # item_id, not item: ordering by the relation would sort by RecoveredItem's ordering (a join and a sort).
    ordering = ["item_id", "line_no", "id"]
    # The page's keys come from the scoped, filtered queryset; its rows are then fetched with page_rows().
    pagination_class = DeferredJoinPagination

    @staticmethod
    def _with_columns(queryset: QuerySet) -> QuerySet:
        """The columns and relations a finding is rendered from."""
        return queryset.select_related("item__weapon_model", *FINDING_RELATIONS).only(
            *FINDING_COLUMNS,
            "item__id",
            "item__reference",
            "item__weapon_model__id",
            "item__weapon_model__designation",
        )

    def page_rows(self) -> QuerySet:
        """A list page's rows, as plain values (rendered by `serializers.finding_rows`): no filters of their own,
        the pagination picks their keys from the scoped queryset."""
        return Finding.objects.values_list(*serializers.FINDING_ROW_COLUMNS)

    def scoped_queryset(self) -> QuerySet:
        visible = findings_visible_to(**self.caller())
        # A list only selects keys from it (page_rows() loads the columns); a detail loads them directly.
        return visible if self.action == "list" else self._with_columns(visible)


def _param(name: str, type_=OpenApiTypes.STR, enum=None, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, enum=enum, description=description)


_ANALYTICS_PARAMS = [
    _param("weapon", description=gettext_lazy("Weapon designation or alias, e.g. 9M727.")),
    _param("family", description=gettext_lazy("Weapon family, e.g. Iskander.")),
    _param("item", description=gettext_lazy("Recovered item reference.")),
    _param("from", OpenApiTypes.DATE, description=gettext_lazy("Recovered on or after.")),
    _param("to", OpenApiTypes.DATE, description=gettext_lazy("Recovered on or before.")),
    _param("by", enum=list(DIMENSIONS), description=gettext_lazy("Dimension (default country).")),
    _param("attribution", enum=list(ATTRIBUTIONS), description=gettext_lazy("hq (default), parent or origin.")),
    _param("unit", enum=list(UNITS), description=gettext_lazy("units (default) or parts.")),
    _param("foreign_only", OpenApiTypes.BOOL, description=gettext_lazy("Leave out parts of the weapon's own country.")),
    _param("as_of", OpenApiTypes.DATE, description=gettext_lazy("Reference date for ownership (default today).")),
    _param(
        "status",
        enum=list(STATUSES),
        description=gettext_lazy(
            "Lowest review status counted: any (default for staff); partners always count published items."
        ),
    ),
]


class AnalyticsView(CachedResponseMixin, PartnerAPIMixin, APIView):
    """Shared by the statistics endpoints: one parser (AnalyticsParamsForm), only the caller's items; responses
    cached (`caching`). Subclasses give `analyse(request)`."""

    def get(self, request):
        return self.cached(self.analyse, request)

    def allowed_query_params(self) -> set[str]:
        return set(AnalyticsParamsForm().fields)

    def analyse(self, request) -> Response:
        raise NotImplementedError

    def analysis_kwargs(self, request) -> tuple[AnalyticsParamsForm, dict]:
        caller = self.caller()
        staff = internal_user_may_view(caller["user"], RecoveredItem)
        # A partner sees published items only, and the counting rule says so (`status: published`).
        form = AnalyticsParamsForm(request.query_params, least_status="any" if staff else "published")
        valid = form.is_valid()
        errors = form.error_dict() if not valid else {}
        # Staff see everything: no restriction (None) rather than an IN over every item.
        items = None if staff else items_visible_to(**caller)
        if valid:
            errors.update(serializers.hidden_item_errors(form.cleaned_data.get("item") or "", items))
        if errors:
            raise ValidationError(errors)
        return form, items

    def respond(self, result: dict) -> Response:
        self.records_returned = len(result.get("rows", []))
        return Response(result)


class BreakdownView(AnalyticsView):
    """Counts per country / manufacturer / category / CHPL tier / module over the caller's visible items."""

    @extend_schema(parameters=_ANALYTICS_PARAMS, responses=serializers.BreakdownSerializer)
    def get(self, request):
        return super().get(request)

    def analyse(self, request) -> Response:
        form, items = self.analysis_kwargs(request)
        return self.respond(breakdown(**form.breakdown_kwargs(), items=items))


class ShiftView(AnalyticsView):
    """Year-over-year shift over the caller's visible items."""

    @extend_schema(
        parameters=[
            *_ANALYTICS_PARAMS,
            _param("period", enum=list(PERIODS), description=gettext_lazy("recovered (default).")),
        ],
        responses=serializers.ShiftSerializer,
    )
    def get(self, request):
        return super().get(request)

    def analyse(self, request) -> Response:
        form, items = self.analysis_kwargs(request)
        return self.respond(shift(**form.shift_kwargs(), items=items))


class SanctionsCoverageView(AnalyticsView):
    """Per maker in the caller's visible findings: designations in force on `as_of`, who lists it, who not."""

    @extend_schema(parameters=_ANALYTICS_PARAMS, responses=serializers.SanctionsCoverageSerializer)
    def get(self, request):
        return super().get(request)

    def analyse(self, request) -> Response:
        form, items = self.analysis_kwargs(request)
        return self.respond(sanctions_coverage(**form.breakdown_kwargs(), items=items))


_REPORT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The report's id.")


class BriefingViewSet(PartnerAPIMixin, viewsets.GenericViewSet):
    """Briefing reports: request one over what the caller may see, read the caller's reports, download their files.

    A partner's report counts only `items_visible_to(organisation=...)` (published items) and is marked with the
    highest TLP among them; a partner sees its own organisation's reports (`briefing_reports_visible_to`)."""

    permission_classes = [MayRequestBriefings]
    filter_backends = []
    pagination_class = None
    lookup_value_regex = r"[0-9]+"
    list_limit = 100

    def get_queryset(self) -> QuerySet:
        return briefing_reports_visible_to(**self.caller())

    def get_serializer_class(self):
        return serializers.BriefingRequestSerializer if self.action == "create" else serializers.BriefingSerializer

    def get_serializer_context(self) -> dict:
        organisation = self.caller()["organisation"]
        visible = items_visible_to(organisation=organisation) if organisation is not None else None
        return {**super().get_serializer_context(), "organisation": organisation, "visible_items": visible}

    @extend_schema(description="The caller's briefing reports, newest first (at most 100).")
    def list(self, request):
        reports = list(self.get_queryset().order_by("-created_at", "-pk")[: self.list_limit])
        self.records_returned = len(reports)
        return Response(self.get_serializer(reports, many=True).data)

    @extend_schema(
        description="One of the caller's briefing reports: its state, TLP, parameters, digests and files.",
        parameters=[_REPORT_ID],
    )
    def retrieve(self, request, pk: str):
        report = self.get_object()
        self.records_returned = 1
        return Response(self.get_serializer(report).data)

    @extend_schema(
        description="Request a briefing report. With the embedded task backend it is rendered at once (state "
        "`done`); otherwise it is `queued`: poll the report until it is `done` or `failed`. A partner organisation "
        "may have at most a few reports queued or rendering (then 429, with Retry-After).",
        request=serializers.BriefingRequestSerializer,
        responses={201: serializers.BriefingSerializer},
    )
    def create(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = self.caller()["organisation"]
        if organisation is not None:
            briefing_queue_check(organisation)
        report = briefing_request(
            params=body.validated_data["params"],
            requested_by=None if organisation is not None else request.user,
            organisation=organisation,
            formats=body.validated_data["formats"],
        )
        self.records_returned = 1
        context = self.get_serializer_context()
        return Response(serializers.BriefingSerializer(report, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="briefings_file_retrieve",
        description="A rendered file of one of the caller's reports (HTML opens in a browser, PDF and CSV download).",
        parameters=[_REPORT_ID, OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=[*FORMATS])],
        # One 200 per format served, by its media type (without the charset parameter).
        responses={
            (200, CONTENT_TYPES[fmt].split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
            for fmt in FORMATS
        },
    )
    @action(detail=True, url_path=r"(?P<fmt>[^/.]+)", url_name="file")
    def file(self, request, pk: str, fmt: str):
        self.records_returned = 1
        return briefing_file_response(request, int(pk), fmt, organisation=self.caller()["organisation"])
