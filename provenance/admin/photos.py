"""Photos in the analysts' admin: thumbnails on the item, finding and evidence pages, and the actions that
make a photo public (a copy without metadata, for the public catalogue) or withdraw it.

Thumbnails of any photo, public or not, are made on the fly from the original by a staff-only admin view
(cached by the file's SHA-256: an evidence file never changes); they never leave the admin.
"""

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from provenance.models import EvidenceFile
from provenance.services.photos import PHOTO_EXTENSIONS, evidence_public_set, photo_public_copies

__all__ = ["EvidencePhotoAdminMixin", "EvidenceThumbnailMixin"]


class EvidenceThumbnailMixin:
    """A `thumbnail` column for evidence inlines and lists (a photo's thumbnail, or a dash for documents)."""

    @admin.display(description=_("photo"))
    def thumbnail(self, obj: EvidenceFile) -> str:
        if obj is None or obj.pk is None or not _is_photo(obj):
            return "–"
        url = reverse("admin:provenance_evidencefile_thumbnail", args=[obj.pk])
        state = _("public") if obj.public else _("internal")
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" width="120" loading="lazy"></a><br>{}',
            obj.file.url if obj.file else url,
            url,
            obj.original_name,
            state,
        )


def _is_photo(obj: EvidenceFile) -> bool:
    return (obj.original_name or obj.file.name).rsplit(".", 1)[-1].lower() in PHOTO_EXTENSIONS


class EvidencePhotoAdminMixin(EvidenceThumbnailMixin):
    """For EvidenceFileAdmin: the thumbnail view and the publish / withdraw actions."""

    actions = ["make_public", "withdraw_public"]

    def get_urls(self):
        thumbnail = self.admin_site.admin_view(self.thumbnail_view)
        return [
            path("<int:pk>/thumbnail/", thumbnail, name="provenance_evidencefile_thumbnail"),
            *super().get_urls(),
        ]

    def thumbnail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        evidence = get_object_or_404(EvidenceFile, pk=pk)
        key = f"evidence-thumbnail:{evidence.sha256}"
        content = cache.get(key)
        if content is None:
            try:
                with evidence.file.open("rb") as original:
                    _copy, content = photo_public_copies(original)
            except (ValidationError, FileNotFoundError):
                raise Http404(_("No thumbnail for this file.")) from None
            cache.set(key, content, 24 * 3600)
        response = HttpResponse(content, content_type="image/jpeg")
        patch_cache_control(response, private=True, max_age=24 * 3600)
        return response

    def _set_public(self, request: HttpRequest, queryset, *, public: bool) -> None:
        done, refused = 0, []
        for evidence in queryset:
            try:
                evidence_public_set(evidence=evidence, public=public, user=request.user)
                done += 1
            except ValidationError as error:
                refused.append(f"{evidence}: {' '.join(error.messages)}")
        if done:
            message = (
                ngettext("%(n)d photo made public.", "%(n)d photos made public.", done)
                if public
                else ngettext("%(n)d photo withdrawn from the public.", "%(n)d photos withdrawn from the public.", done)
            )
            self.message_user(request, message % {"n": done}, messages.SUCCESS)
        for text in refused:
            self.message_user(request, text, messages.ERROR)

    @admin.action(description=_("Make the selected photos public (a copy without location, camera or time)"))
    def make_public(self, request: HttpRequest, queryset) -> None:
        self._set_public(request, queryset, public=True)

    @admin.action(description=_("Withdraw the selected photos from the public"))
    def withdraw_public(self, request: HttpRequest, queryset) -> None:
        self._set_public(request, queryset, public=False)
