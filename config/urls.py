"""Top-level URLs: the admin, the partner API (added by provenance.api) and stored files (permission-checked, in
every settings module: `provenance.media`)."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from provenance.media import media_file_view

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", include("provenance.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: the page runs no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="provenance/api/redoc.html"),
        name="api-redoc",
    ),
    path("media/<path:name>", media_file_view, name="media"),
    path("api/", include("provenance.api.not_found")),
]
