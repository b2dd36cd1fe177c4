"""Partner API routes: `/api/v1/<resource>/`, `/api/v1/stats/<analysis>/` and `/api/v1/briefings/` (reports, and their
files at `/api/v1/briefings/<id>/<html|pdf|csv>/`)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views
from .workflow import ItemReviewView

app_name = "api"

router = SimpleRouter()
router.register("weapon-models", views.WeaponModelViewSet, basename="weapon-model")
router.register("strikes", views.StrikeViewSet, basename="strike")
router.register("recovered-items", views.RecoveredItemViewSet, basename="recovered-item")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("manufacturers", views.ManufacturerViewSet, basename="manufacturer")
router.register("parts", views.PartViewSet, basename="part")
router.register("briefings", views.BriefingViewSet, basename="briefing")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/recovered-items/<int:pk>/review/", ItemReviewView.as_view(), name="recovered-item-review"),
    path("v1/stats/breakdown/", views.BreakdownView.as_view(), name="stats-breakdown"),
    path("v1/stats/shift/", views.ShiftView.as_view(), name="stats-shift"),
    path("v1/stats/sanctions/", views.SanctionsCoverageView.as_view(), name="stats-sanctions"),
]
