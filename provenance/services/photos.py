"""Public copies of evidence photos: re-encoded without metadata, made once when a photo is marked public.

The original stays in the internal evidence store, untouched (its SHA-256 is the evidence). The public copy
is decoded by Pillow, turned upright from its EXIF orientation, and encoded again as a fresh JPEG from the
pixels only: no EXIF (location, camera, time), no XMP, no ICC profile, no comment survives. A thumbnail is
made at the same time. Both go to `MEDIA_ROOT/public/` (provenance.storage); withdrawing a photo deletes them.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from provenance.models import EvidenceFile
from provenance.storage import public_media_storage

__all__ = ["PHOTO_EXTENSIONS", "PUBLIC_IMAGE_SIZE", "THUMBNAIL_SIZE", "evidence_public_set", "photo_public_copies"]

PUBLIC_IMAGE_SIZE = 1600  # longest side of the public copy, in pixels
THUMBNAIL_SIZE = 320
PHOTO_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF"})
PHOTO_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "gif", "tif", "tiff"})
_MAX_PIXELS = 120_000_000  # refuse decompression bombs before decoding


def _encode(image: Image.Image, size: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # Only the pixels are passed on: `save` is given no exif, icc_profile or comment, so none is written.
    copy.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def photo_public_copies(source) -> tuple[bytes, bytes]:
    """(public copy, thumbnail) as metadata-free JPEG bytes from an open image file; ValidationError when
    the file is not a photo Pillow can read."""
    try:
        with Image.open(source) as opened:
            if opened.format not in PHOTO_FORMATS:
                raise ValidationError(_("Only photos (JPEG, PNG, WebP, GIF, TIFF) can be made public."))
            if opened.width * opened.height > _MAX_PIXELS:
                raise ValidationError(_("This photo is too large to publish."))
            upright = ImageOps.exif_transpose(opened)
            pixels = Image.new("RGB", upright.size, "white")
            rgba = upright.convert("RGBA")
            pixels.paste(rgba, mask=rgba.getchannel("A"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not a photo that can be made public.")) from error
    return _encode(pixels, PUBLIC_IMAGE_SIZE), _encode(pixels, THUMBNAIL_SIZE)


def _delete_copies(names: Iterable[str]) -> None:
    storage = public_media_storage()
    for name in names:
        if name:
            storage.delete(name)


@transaction.atomic
def evidence_public_set(*, evidence: EvidenceFile, public: bool, user: AbstractBaseUser | None = None) -> EvidenceFile:
    """Mark a photo public (making its copies, once) or withdraw it (deleting them).

    Marking a photo public that already is changes nothing; the copies are made from the stored original.
    """
    evidence = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
    if evidence.public == public:
        return evidence
    evidence._history_user = user if user is not None and user.is_authenticated else None
    if not public:
        old = [evidence.public_image.name, evidence.public_thumbnail.name]
        evidence.public = False
        evidence.public_image = evidence.public_thumbnail = ""
        evidence.save(update_fields=["public", "public_image", "public_thumbnail", "updated_at"])
        transaction.on_commit(lambda: _delete_copies(old))
        return evidence
    with evidence.file.open("rb") as original:
        image, thumbnail = photo_public_copies(original)
    storage = public_media_storage()
    stem = uuid.uuid4().hex  # unguessable, and says nothing of the original's name
    names = [
        storage.save(f"photos/{stem}.jpg", ContentFile(image)),
        storage.save(f"photos/{stem}-thumb.jpg", ContentFile(thumbnail)),
    ]
    try:
        evidence.public = True
        evidence.public_image, evidence.public_thumbnail = names
        evidence.save(update_fields=["public", "public_image", "public_thumbnail", "updated_at"])
    except BaseException:
        _delete_copies(names)
        raise
    return evidence
