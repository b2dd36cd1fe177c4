"""Chain of custody and evidence integrity: custody events (append-only), the SHA-256 check of every stored
evidence file, and the evidence bundle of one item (a ZIP a court or partner can check without our system).

The bundle holds:
- `teardown.csv`: the item's findings, written by the teardown exporter (re-imports unchanged);
- `evidence/<id>-<original name>`: every evidence file of the item and of its findings, as stored;
- `custody.csv`: the custody events in order; `transitions.csv`: the review transitions in order;
- `item.json`: the item's reference, status, TLP and the digest algorithm;
- `SHA256SUMS`: the SHA-256 of every other file, in `sha256sum -c` format (`sha256sum -c SHA256SUMS`
  checks the bundle); an evidence file's line carries the hash recorded at upload, so a file that changed
  in storage since then fails that check.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from provenance.models import CustodyEvent, EvidenceFile, ItemTransition, RecoveredItem
from provenance.services.teardown import teardown_export
from provenance.teardown.columns import escape_formula

__all__ = ["EvidenceProblem", "custody_event_record", "evidence_bundle_write", "evidence_files_verify"]

_CHUNK = 1024 * 1024


@transaction.atomic
def custody_event_record(
    *,
    item: RecoveredItem,
    user,
    occurred_at: dt.datetime,
    handed_to: str,
    received_from: str = "",
    place: str = "",
    purpose: str = "",
    seal_number: str = "",
) -> CustodyEvent:
    """Append one hand-over of `item` to its chain of custody (recorded by `user`, now)."""
    event = CustodyEvent(
        item=item,
        occurred_at=occurred_at,
        received_from=received_from or "",
        handed_to=handed_to,
        place=place or "",
        purpose=purpose or "",
        seal_number=seal_number or "",
        recorded_by=user if user is not None and user.is_authenticated else None,
        recorded_at=timezone.now(),
    )
    event.full_clean()
    event.save()
    return event


@dataclass(frozen=True)
class EvidenceProblem:
    evidence_id: int
    name: str
    problem: str  # "missing" or "differs"
    expected: str
    actual: str = ""


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def evidence_files_verify() -> Iterator[EvidenceProblem]:
    """Recompute the SHA-256 of every stored evidence file; yield each one missing or differing."""
    for evidence in EvidenceFile.objects.order_by("id").only("id", "file", "sha256").iterator(chunk_size=500):
        storage = evidence.file.storage
        name = evidence.file.name
        try:
            with storage.open(name, "rb") as handle:
                actual = _sha256(handle)
        except (FileNotFoundError, OSError):
            yield EvidenceProblem(evidence.pk, name, "missing", evidence.sha256)
            continue
        if actual != evidence.sha256:
            yield EvidenceProblem(evidence.pk, name, "differs", evidence.sha256, actual)


def _csv_bytes(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_formula(v) if isinstance(v, str) else v for v in row])
    return out.getvalue().encode("utf-8")


def _when(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


def evidence_bundle_write(*, item: RecoveredItem, stream: IO[bytes]) -> list[tuple[str, str]]:
    """Write `item`'s evidence bundle (ZIP) into `stream`; returns the manifest [(name, sha256)]."""
    manifest: list[tuple[str, str]] = []
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as bundle:

        def add(name: str, data: bytes) -> None:
            bundle.writestr(name, data)
            manifest.append((name, hashlib.sha256(data).hexdigest()))

        add("teardown.csv", teardown_export(items=RecoveredItem.objects.filter(pk=item.pk), format="csv"))
        evidence = EvidenceFile.objects.filter(Q(item=item) | Q(finding__item=item)).order_by("id")
        for file in evidence:
            name = f"evidence/{file.pk}-{file.original_name or file.file.name.rsplit('/', 1)[-1]}"
            with file.file.storage.open(file.file.name, "rb") as handle, bundle.open(name, "w") as target:
                while chunk := handle.read(_CHUNK):
                    target.write(chunk)
            manifest.append((name, file.sha256))  # the hash recorded at upload: a changed file fails the check
        custody = CustodyEvent.objects.filter(item=item).select_related("recorded_by")
        add(
            "custody.csv",
            _csv_bytes(
                ["when", "received_from", "handed_to", "where", "why", "seal_number", "recorded_by", "recorded_at"],
                (
                    [
                        _when(e.occurred_at),
                        e.received_from,
                        e.handed_to,
                        e.place,
                        e.purpose,
                        e.seal_number,
                        str(e.recorded_by or ""),
                        _when(e.recorded_at),
                    ]
                    for e in custody
                ),
            ),
        )
        transitions = ItemTransition.objects.filter(item=item).select_related("by")
        add(
            "transitions.csv",
            _csv_bytes(
                ["at", "action", "from", "to", "by", "comment"],
                ([_when(t.at), t.action, t.from_status, t.to_status, str(t.by or ""), t.comment] for t in transitions),
            ),
        )
        summary = {
            "reference": item.reference,
            "weapon": item.weapon_model.designation,
            "status": item.status,
            "tlp": item.tlp,
            "exported_at": timezone.now().isoformat(),
            "digest": "sha256",
            "files": len(manifest),
        }
        add("item.json", json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8"))
        bundle.writestr("SHA256SUMS", "".join(f"{digest}  {name}\n" for name, digest in manifest))
    return manifest
