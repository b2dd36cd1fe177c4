"""Top-level URLs: the public catalogue (under /uk/ and /en/), the admin, the partner API (added by
provenance.api) and media in development."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from catalogue import urls as catalogue_urls
from catalogue import views as catalogue_views

urlpatterns = [
    path("", catalogue_views.home, name="home"),
    path("", include((catalogue_urls.photos, "photos"))),
    path("admin/", admin.site.urls),
    path("api/", include("provenance.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
urlpatterns += i18n_patterns(path("", include((catalogue_urls.pages, "catalogue"))), prefix_default_language=True)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
