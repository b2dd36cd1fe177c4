"""The briefing's photo annex: the public copies (without metadata) of the photos of the items it covers.

Embedded as data: URLs, so the HTML and the PDF stay self-contained. Only photos an analyst marked public
are shown: their copies carry no location, camera or time, whatever the briefing's TLP label.
"""

from __future__ import annotations

import base64

from django.db.models import Q, QuerySet

from provenance.models import EvidenceFile, RecoveredItem
from provenance.storage import public_media_storage

__all__ = ["PHOTO_ANNEX_LIMIT", "briefing_photos"]

PHOTO_ANNEX_LIMIT = 24


def briefing_photos(*, items: QuerySet[RecoveredItem], limit: int = PHOTO_ANNEX_LIMIT) -> list[dict]:
    """Up to `limit` public photos of `items` and of their findings: caption parts and the thumbnail as a data URL."""
    ids = items.order_by().values("pk")
    photos = (
        EvidenceFile.objects.filter(public=True)
        .filter(Q(item__in=ids) | Q(finding__item__in=ids))
        .select_related("item", "finding__item", "finding__part", "finding__manufacturer")
        .only(
            "public_thumbnail",
            "item__reference",
            "finding__line_no",
            "finding__item__reference",
            "finding__marking",
            "finding__part__part_number",
            "finding__manufacturer__name",
        )
        .order_by("item__reference", "finding__item__reference", "finding__line_no", "pk")[:limit]
    )
    storage = public_media_storage()
    annex = []
    for photo in photos:
        try:
            with storage.open(photo.public_thumbnail.name, "rb") as handle:
                encoded = base64.b64encode(handle.read()).decode("ascii")
        except FileNotFoundError:
            continue
        finding = photo.finding
        annex.append(
            {
                "src": f"data:image/jpeg;base64,{encoded}",
                "item": (finding.item if finding else photo.item).reference,
                "line": finding.line_no if finding else None,
                "what": (
                    " · ".join(str(v) for v in (finding.manufacturer, finding.part and finding.part.part_number) if v)
                    or finding.marking
                )
                if finding
                else "",
            }
        )
    return annex
