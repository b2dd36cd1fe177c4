"""`POST /api/v1/recovered-items/{id}/review/` {"action": ..., "comment": ...}: a review action over the API.

For staff sessions only (a review action needs a person: partner keys belong to organisations); the rules
are those of `provenance.services.workflow`, as in the admin. 403 when a rule about the person forbids it
(role, four eyes), 409 when the item's status does not allow the action, 400 for an unknown action.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from provenance.models import RecoveredItem
from provenance.services.workflow import ACTIONS, TransitionRefused, item_transition

from .permissions import IsPartnerOrStaff

__all__ = ["ItemReviewView"]

_STATUS = {"forbidden": status.HTTP_403_FORBIDDEN, "conflict": status.HTTP_409_CONFLICT}


class ReviewActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(ACTIONS))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReviewResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    transition = serializers.DictField()


class ItemReviewView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsPartnerOrStaff]

    # Staff-only, session-authenticated: not part of the partner API's schema (partner keys cannot review).
    @extend_schema(exclude=True, request=ReviewActionSerializer, responses=ReviewResultSerializer)
    def post(self, request, pk: int):
        body = ReviewActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = get_object_or_404(RecoveredItem, pk=pk)
        try:
            data = body.validated_data
            record = item_transition(item=item, action=data["action"], user=request.user, comment=data["comment"])
        except TransitionRefused as error:
            return Response({"detail": error.message}, status=_STATUS.get(error.code, status.HTTP_400_BAD_REQUEST))
        return Response(
            {
                "reference": item.reference,
                "status": item.status,
                "transition": {
                    "action": record.action,
                    "from": record.from_status,
                    "to": record.to_status,
                    "by": request.user.get_username(),
                    "at": record.at.isoformat(),
                    "comment": record.comment,
                },
            }
        )
