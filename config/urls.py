"""Top-level URLs: the admin, the partner API (added by provenance.api) and media in development."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Component provenance"
admin.site.site_title = "Component provenance"
admin.site.index_title = "Wreckage findings and sanctions evidence"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
