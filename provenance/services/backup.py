"""Backup and restore of the whole instance: the database (Django's `dumpdata`, natural keys, gzip) and every
stored file under `MEDIA_ROOT` (evidence photos and scans, rendered briefings), with a manifest of SHA-256.

A backup is a directory: `database.json.gz`, `media/...` and `manifest.json` listing each file with its size
and SHA-256. A restore checks every hash of the manifest first (a missing or changed file refuses the whole
restore, nothing is touched), then empties the database (`flush`), loads the dump, puts the files back and
checks each evidence file against the SHA-256 recorded in the database. The flush renews the API's data
version, so no response cached before the restore is served after it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from provenance.models import EvidenceFile
from provenance.services.public_flag import findings_public_sync

__all__ = ["BackupError", "backup_create", "backup_restore"]

MANIFEST = "manifest.json"
DATABASE = "database.json.gz"
# Rebuilt by `migrate` (content types, permissions) or transient (sessions, lockouts, the task queue, the data
# version: a restore renews it).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_tasks_database",
    "provenance.DataVersion",
    "provenance.DataVersionWeight",
]


# Backups written before provenance 0015 hold the data version in its old shape; it is never loaded (a restore
# renews it), so those objects are left out of the dump before `loaddata` reads it.
_NEVER_LOADED = frozenset({"provenance.dataversion", "provenance.dataversionweight"})
_NEVER_LOADED_PATTERN = re.compile(rb'"model":\s*"provenance\.dataversion')


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class RestoreResult:
    files: int
    evidence_checked: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_create(*, target: Path) -> dict:
    """Write a backup into the new directory `target`; returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(_("{directory} is not empty: give a new directory.").format(directory=target))
    (target / "media").mkdir(parents=True, exist_ok=True)
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDED,
        output=str(target / DATABASE),
        verbosity=0,
    )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        for source in sorted(p for p in media_root.rglob("*") if p.is_file()):
            copy = target / "media" / source.relative_to(media_root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
    files = [
        {"path": str(path.relative_to(target)), "size": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(p for p in target.rglob("*") if p.is_file())
    ]
    manifest = {"format": 1, "created_at": timezone.now().isoformat(), "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def _verified_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            _("No readable {manifest} in {directory}: {error}").format(manifest=MANIFEST, directory=source, error=error)
        ) from None
    problems = []
    for entry in manifest.get("files", []):
        path = source / entry["path"]
        if not path.is_file():
            problems.append(_("{file}: missing").format(file=entry["path"]))
        elif _sha256(path) != entry["sha256"]:
            problems.append(_("{file}: SHA-256 differs from the manifest").format(file=entry["path"]))
    if not any(entry["path"] == DATABASE for entry in manifest.get("files", [])):
        problems.append(_("{file}: not in the manifest").format(file=DATABASE))
    if problems:
        raise BackupError(_("The backup is damaged; nothing was restored:") + "\n" + "\n".join(problems))
    return manifest


def _holds_never_loaded(dump: Path) -> bool:
    """Whether the gzipped dump holds an object of `_NEVER_LOADED` (read in chunks, never whole)."""
    tail = b""
    with gzip.open(dump, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            if _NEVER_LOADED_PATTERN.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _loadable_dump(dump: Path, scratch: Path) -> Path:
    """The dump itself, or a copy in `scratch` without the objects of `_NEVER_LOADED` when it holds any."""
    if not _holds_never_loaded(dump):
        return dump
    with gzip.open(dump, "rt", encoding="utf-8") as handle:
        objects = [o for o in json.load(handle) if o.get("model") not in _NEVER_LOADED]
    copy = scratch / DATABASE
    with gzip.open(copy, "wt", encoding="utf-8") as handle:
        json.dump(objects, handle)
    return copy


def backup_restore(*, source: Path) -> RestoreResult:
    """Replace the database and the stored files with the backup in `source` (checked first)."""
    source = Path(source)
    manifest = _verified_manifest(source)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch, transaction.atomic():
        dump = _loadable_dump(source / DATABASE, Path(scratch))
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(dump), verbosity=0)
        findings_public_sync()  # the catalogue's stored flags, as the rule gives them for the restored items
        copied = 0
        for entry in manifest["files"]:
            if entry["path"].startswith("media/"):
                target = media_root / Path(entry["path"]).relative_to("media")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / entry["path"], target)
                copied += 1
        checked = 0
        for evidence in EvidenceFile.objects.only("file", "sha256").iterator():
            path = media_root / evidence.file.name
            if not path.is_file() or _sha256(path) != evidence.sha256:
                raise BackupError(
                    _("Evidence file {file} is missing or differs from its recorded hash.").format(
                        file=evidence.file.name
                    )
                )
            checked += 1
    return RestoreResult(files=copied, evidence_checked=checked)
