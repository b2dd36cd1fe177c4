"""Partner API for briefing reports: request one over what the caller may see, poll it, download its files.

POST /api/v1/briefings/             {"weapon": "9M727", "foreign_only": true, "formats": ["pdf"]} -> 201
GET  /api/v1/briefings/             the caller's reports (a partner sees its organisation's only)
GET  /api/v1/briefings/<id>/        state, TLP, digests, links
GET  /api/v1/briefings/<id>/<fmt>/  the rendered file (html, pdf or csv)

A partner's report is restricted to `items_visible_to(organisation=...)` when it is computed, and is
marked with the highest TLP among those items. Requesting a report is the one write a partner key may
make: it changes no data, it only issues a document from what the partner can already read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from config.common.exports import CONTENT_TYPES
from provenance.briefings.params import params_from_query
from provenance.models import BriefingReport, OrganisationAPIKey, RecoveredItem
from provenance.selectors.visibility import internal_user_may_view, items_visible_to
from provenance.services.briefings import FORMATS, briefing_request

from .views import PartnerAPIMixin

PARAMETER_NAMES = (
    "status",
    "weapon",
    "family",
    "item",
    "from",
    "to",
    "attribution",
    "unit",
    "foreign_only",
    "as_of",
    "period",
    "produced_after",
    "title",
    "note",
)


class MayRequestBriefings(BasePermission):
    """Partner keys may read and request briefings (not change or delete them); staff sessions may too, with
    the admin's permissions: view briefing reports to read them, add one (and view the items) to request one."""

    message = _("Briefings are for partner keys and staff accounts with the briefing permissions.")

    def has_permission(self, request, view) -> bool:
        if request.method not in ("GET", "HEAD", "OPTIONS", "POST"):
            return False
        if isinstance(request.auth, OrganisationAPIKey):
            return True
        if request.method == "POST":
            return internal_user_may_view(request.user, RecoveredItem) and request.user.has_perm(
                "provenance.add_briefingreport"
            )
        return internal_user_may_view(request.user, BriefingReport)


def _check_queue_quota(organisation) -> None:
    """One organisation may have at most BRIEFING_QUEUE_PER_ORGANISATION reports waiting or rendering: past that
    a request is a 429 (Retry-After), so one partner cannot fill the worker's queue ahead of the others."""
    limit = settings.BRIEFING_QUEUE_PER_ORGANISATION
    pending = BriefingReport.objects.filter(
        organisation=organisation, state__in=[BriefingReport.State.QUEUED, BriefingReport.State.RUNNING]
    )
    if pending.count() >= limit:
        raise Throttled(
            wait=settings.BRIEFING_QUEUE_RETRY_AFTER,
            detail=_("%(n)d briefings of your organisation are still being prepared: wait for one to finish.")
            % {"n": limit},
        )


class BriefingSerializer(serializers.Serializer):
    """The representation of a briefing report (documentation only: `represent()` builds it)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=BriefingReport.State.choices)
    error = serializers.CharField()
    tlp = serializers.CharField()
    parameters = serializers.DictField()
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    data_digest = serializers.CharField()
    files = serializers.DictField()


class BriefingAPIMixin(PartnerAPIMixin):
    permission_classes = [MayRequestBriefings]

    def scoped_reports(self) -> QuerySet[BriefingReport]:
        """A partner sees its organisation's reports; staff see every report; the default is none."""
        caller = self.caller()
        if caller["organisation"] is not None:
            return BriefingReport.objects.filter(organisation=caller["organisation"])
        if internal_user_may_view(caller["user"], BriefingReport):
            return BriefingReport.objects.all()
        return BriefingReport.objects.none()

    def represent(self, report: BriefingReport) -> dict:
        files = {
            fmt: {
                "url": self.request.build_absolute_uri(reverse("api:briefing-file", args=[report.pk, fmt])),
                "sha256": getattr(report, f"{fmt}_sha256"),
            }
            for fmt in FORMATS
            if getattr(report, fmt)
        }
        return {
            "id": report.pk,
            "title": report.title,
            "state": report.state,
            "error": report.error,
            "tlp": f"TLP:{report.tlp}",
            "parameters": report.parameters,
            "requested_at": report.created_at,
            "finished_at": report.finished_at,
            "data_digest": report.data_digest,
            "files": files,
        }


class BriefingListView(BriefingAPIMixin, APIView):
    """The caller's briefing reports (newest first, at most 100), and requesting a new one."""

    @extend_schema(responses=BriefingSerializer(many=True))
    def get(self, request):
        reports = list(self.scoped_reports().order_by("-created_at", "-pk")[:100])
        self.records_returned = len(reports)
        return Response([self.represent(r) for r in reports])

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: BriefingSerializer, 400: OpenApiTypes.OBJECT})
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        query = {key: data[key] for key in PARAMETER_NAMES if key in data}
        if isinstance(query.get("foreign_only"), bool):
            query["foreign_only"] = "1" if query["foreign_only"] else ""
        formats = data.get("formats") or list(FORMATS)
        if not isinstance(formats, list) or not set(formats) <= set(FORMATS):
            raise ValidationError({"formats": [f"A list of: {', '.join(FORMATS)}."]})
        caller = self.caller()
        organisation = caller["organisation"]
        try:
            params = params_from_query(
                {k: v for k, v in query.items() if isinstance(v, str | int | float)},
                least_status="any" if organisation is None else "published",
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        if organisation is not None:
            _check_queue_quota(organisation)
        hidden = organisation is not None and params.item
        if hidden and not items_visible_to(organisation=organisation).filter(reference=params.item).exists():
            # The same message as for an item that does not exist: hidden items must not be probed.
            raise ValidationError({"item": [f"No recovered item “{params.item}”."]})
        report = briefing_request(
            params=params,
            requested_by=None if organisation is not None else request.user,
            organisation=organisation,
            formats=formats,
        )
        self.records_returned = 1
        return Response(self.represent(report), status=status.HTTP_201_CREATED)


class BriefingDetailView(BriefingAPIMixin, APIView):
    """One of the caller's briefing reports: its state, TLP, digests and file links."""

    @extend_schema(responses=BriefingSerializer)
    def get(self, request, pk: int):
        report = self.scoped_reports().filter(pk=pk).first()
        if report is None:
            raise Http404
        self.records_returned = 1
        return Response(self.represent(report))


class BriefingFileView(BriefingAPIMixin, APIView):
    """A rendered file of one of the caller's reports."""

    @extend_schema(
        operation_id="briefings_file_retrieve",
        parameters=[OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(FORMATS))],
        # One 200 per format served, by its media type (without the charset parameter).
        responses={(200, CONTENT_TYPES[fmt].split(";")[0]): OpenApiTypes.BINARY for fmt in FORMATS},
    )
    def get(self, request, pk: int, fmt: str):
        report = self.scoped_reports().filter(pk=pk).first()
        if report is None or fmt not in FORMATS or not getattr(report, fmt):
            raise Http404
        self.records_returned = 1
        response = FileResponse(
            getattr(report, fmt).open("rb"),
            content_type=CONTENT_TYPES[fmt],
            as_attachment=True,
            filename=f"briefing-{report.pk}-TLP-{report.tlp}.{fmt}",
        )
        response["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        return response


urlpatterns = [
    path("", BriefingListView.as_view(), name="briefing-list"),
    path("<int:pk>/", BriefingDetailView.as_view(), name="briefing-detail"),
    path("<int:pk>/<str:fmt>/", BriefingFileView.as_view(), name="briefing-file"),
]
