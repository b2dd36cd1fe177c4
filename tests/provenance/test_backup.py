"""`manage.py backup` / `restore` (issue 16, item 14): a round trip gives back the same breakdowns and the same
evidence files (by SHA-256); a damaged backup is refused before anything is touched."""

import gzip
import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from provenance.models import EvidenceFile, Finding, RecoveredItem
from provenance.selectors.analytics import AnalyticsFilters, breakdown
from provenance.services.findings import evidence_file_store
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def instance(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    weapon = factories.WeaponModelFactory(designation="9M727")
    for n, (country, quantity) in enumerate([("US", 35), ("RU", 57), ("BY", 5)]):
        item = factories.RecoveredItemFactory(weapon_model=weapon, reference=f"ITEM-{n}")
        factories.FindingFactory(
            item=item, manufacturer=factories.ManufacturerFactory(country=country), quantity=quantity
        )
    photo = SimpleUploadedFile("plate.jpg", b"\xff\xd8\xff\xe0 marking plate", content_type="image/jpeg")
    evidence_file_store(file=photo, item=RecoveredItem.objects.get(reference="ITEM-1"), uploaded_by=None)
    return tmp_path


def _breakdowns() -> list[dict]:
    return [breakdown(filters=AnalyticsFilters(), by=by) for by in ("country", "manufacturer")]


def _evidence_hashes(media_root) -> dict[str, str]:
    return {
        e.file.name: hashlib.sha256((media_root / e.file.name).read_bytes()).hexdigest()
        for e in EvidenceFile.objects.all()
    }


def test_a_backup_round_trip_gives_back_the_numbers_and_the_evidence(instance, settings):
    before = (_breakdowns(), _evidence_hashes(settings.MEDIA_ROOT))
    assert before[0][0]["total"] == 97 and len(before[1]) == 1
    call_command("backup", str(instance / "backup"), stdout=io.StringIO())
    manifest = json.loads((instance / "backup" / "manifest.json").read_text())
    assert {entry["path"].split("/")[0] for entry in manifest["files"]} == {"database.json.gz", "media"}

    # Loss: rows deleted, a file damaged.
    RecoveredItem.objects.filter(reference="ITEM-0").delete()
    (settings.MEDIA_ROOT / EvidenceFile.objects.get().file.name).write_bytes(b"overwritten")
    assert _breakdowns() != before[0]

    call_command("restore", str(instance / "backup"), "--yes", stdout=io.StringIO())
    assert (_breakdowns(), _evidence_hashes(settings.MEDIA_ROOT)) == before
    assert list(EvidenceFile.objects.values_list("sha256", flat=True)) == list(before[1].values())


def test_a_damaged_backup_is_refused_and_nothing_changes(instance, settings):
    call_command("backup", str(instance / "backup"), stdout=io.StringIO())
    photo = next((instance / "backup" / "media").rglob("*.jpg"))
    photo.write_bytes(b"tampered")
    RecoveredItem.objects.filter(reference="ITEM-0").delete()
    with pytest.raises(CommandError, match="SHA-256 differs"):
        call_command("restore", str(instance / "backup"), "--yes", stdout=io.StringIO())
    assert RecoveredItem.objects.count() == 2  # untouched
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(instance / "backup"))


def test_a_restore_stores_the_catalogue_flags_the_rule_gives(instance):
    """A backup whose lines carry stale public flags (written around the services, or by a version before the
    flag existed) comes back with the flags the visibility rule gives: the catalogue shows the published
    CLEAR lines, and nothing else."""
    published = RecoveredItem.objects.get(reference="ITEM-1")
    RecoveredItem.objects.filter(pk=published.pk).update(status="published", tlp="CLEAR")
    RecoveredItem.objects.exclude(pk=published.pk).update(status="draft")
    Finding.objects.update(public=False)  # stale: the rule says ITEM-1's line is public
    Finding.objects.exclude(item=published).update(public=True)  # stale: the others are drafts
    call_command("backup", str(instance / "backup"), stdout=io.StringIO())

    call_command("restore", str(instance / "backup"), "--yes", stdout=io.StringIO())
    assert sorted(Finding.objects.filter(public=True).values_list("item__reference", flat=True)) == ["ITEM-1"]


def test_a_backup_written_before_the_data_version_weights_still_restores(instance):
    """Backups of the previous version hold `provenance.dataversion` with its old `version` field: the restore
    leaves it out (the data version is renewed) instead of failing on the unknown field."""
    call_command("backup", str(instance / "backup"), stdout=io.StringIO())
    dump = instance / "backup" / "database.json.gz"
    with gzip.open(dump, "rt", encoding="utf-8") as handle:
        objects = json.load(handle)
    objects.append({"model": "provenance.dataversion", "pk": 1, "fields": {"version": 4242}})
    with gzip.open(dump, "wt", encoding="utf-8") as handle:
        json.dump(objects, handle)
    manifest_path = instance / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for entry in manifest["files"]:
        if entry["path"] == "database.json.gz":
            entry["sha256"] = hashlib.sha256(dump.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    RecoveredItem.objects.filter(reference="ITEM-0").delete()

    call_command("restore", str(instance / "backup"), "--yes", stdout=io.StringIO())
    assert sorted(RecoveredItem.objects.values_list("reference", flat=True)) == ["ITEM-0", "ITEM-1", "ITEM-2"]
