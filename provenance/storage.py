"""Where the public copies of photos live: `MEDIA_ROOT/public/`, apart from the internal evidence store.

The copies are served only by `catalogue.views.photo`, which checks that the photo is still public; this
storage has no URL of its own, and the originals under `MEDIA_ROOT/evidence/` are never copied here.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

__all__ = ["PublicMediaStorage", "public_media_storage"]


class PublicMediaStorage(FileSystemStorage):
    """`MEDIA_ROOT/public/`, read from the settings when first used (tests move MEDIA_ROOT)."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @cached_property
    def base_location(self) -> Path:
        return Path(settings.MEDIA_ROOT) / "public"

    @cached_property
    def location(self) -> str:
        return str(self.base_location.resolve())

    def url(self, name):  # pragma: no cover - guarded: the copies are served by a view, never by path
        raise NotImplementedError("Public copies are served by catalogue.views.photo.")

    def deconstruct(self):
        return ("provenance.storage.PublicMediaStorage", (), {})


_storage = PublicMediaStorage()


def public_media_storage() -> PublicMediaStorage:
    """The storage of the public copies (a callable, so migrations do not freeze a path)."""
    return _storage
