"""Top-level URLs: the public catalogue (under /uk/ and /en/), the admin, the partner API (added by
provenance.api) and stored files (permission-checked, in every settings module: `provenance.media`)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from catalogue import urls as catalogue_urls
from catalogue import views as catalogue_views
from provenance.media import media_file_view

urlpatterns = [
    path("", catalogue_views.home, name="home"),
    path("", include((catalogue_urls.photos, "photos"))),
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
urlpatterns += i18n_patterns(path("", include((catalogue_urls.pages, "catalogue"))), prefix_default_language=True)
