"""Chain of custody (append-only, in the model and in the database), `verify_evidence`, the evidence bundle."""

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse

from provenance.models import CustodyEvent, Finding, ItemTransition
from provenance.services.custody import custody_event_record
from provenance.services.findings import evidence_file_store, findings_save
from provenance.services.workflow import item_transition
from tests import factories

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2025, 9, 8, 10, 30, tzinfo=dt.UTC)


@pytest.fixture
def item(db):
    return factories.RecoveredItemFactory(reference="KYIV-2025-09-07-CAB", status="draft")


def hand_over(item, user=None, **kwargs):
    values = {"occurred_at": WHEN, "received_from": "SBU EOD team", "handed_to": "GUR lab", "seal_number": "BAG-0042"}
    return custody_event_record(item=item, user=user, **{**values, **kwargs})


def test_custody_events_are_append_only(item):
    event = hand_over(item)
    event.handed_to = "someone else"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    # Below the model: the database refuses it too (trigger on PostgreSQL and SQLite).
    for statement in (
        lambda: CustodyEvent.objects.filter(pk=event.pk).update(handed_to="x"),
        lambda: CustodyEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()
    event.refresh_from_db()
    assert event.handed_to == "GUR lab"


def test_transitions_cannot_be_rewritten(item):
    user = factories.StaffUserFactory(username="root")
    record = item_transition(item=item, action="submit_for_review", user=user)
    with pytest.raises(DatabaseError), transaction.atomic():
        ItemTransition.objects.filter(pk=record.pk).update(comment="never happened")


def test_item_page_lists_custody_in_order_and_adds_events_with_the_recorder(admin_client, staff_user, item):
    hand_over(item, occurred_at=WHEN + dt.timedelta(days=1), received_from="GUR lab", handed_to="Archive")
    hand_over(item)
    url = reverse("admin:provenance_recovereditem_change", args=[item.pk])
    page = admin_client.get(url).content.decode()
    assert page.index("SBU EOD team") < page.index("Archive")
    assert "custody_events-0-handed_to" not in page  # existing events are read-only

    from tests.provenance.test_admin import item_post

    data = item_post(item.weapon_model, reference=item.reference, owner=str(item.owner_id), tlp=item.tlp)
    data.update(
        {
            "custody_events-TOTAL_FORMS": "3",
            "custody_events-INITIAL_FORMS": "2",
            "custody_events-2-occurred_at_0": "2025-09-10",
            "custody_events-2-occurred_at_1": "09:00",
            "custody_events-2-received_from": "Archive",
            "custody_events-2-handed_to": "Court expert",
            "custody_events-2-seal_number": "SEAL-7",
        }
    )
    for index, event in enumerate(item.custody_events.all()):
        data[f"custody_events-{index}-id"] = str(event.pk)
        data[f"custody_events-{index}-item"] = str(item.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    added = item.custody_events.get(seal_number="SEAL-7")
    assert (added.handed_to, added.recorded_by) == ("Court expert", staff_user)
    assert item.custody_events.count() == 3


def test_verify_evidence_names_each_file_that_differs_or_is_missing(item, capsys):
    good = evidence_file_store(file=ContentFile(b"photo one", name="one.jpg"), item=item, uploaded_by=None)
    tampered = evidence_file_store(file=ContentFile(b"photo two", name="two.jpg"), item=item, uploaded_by=None)
    missing = evidence_file_store(file=ContentFile(b"scan", name="scan.pdf"), item=item, uploaded_by=None)
    call_command("verify_evidence")
    assert "3 evidence files checked" in capsys.readouterr().out
    with tampered.file.storage.open(tampered.file.name, "wb") as handle:
        handle.write(b"photo 2")
    missing.file.storage.delete(missing.file.name)
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_evidence")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"DIFFERS  {tampered.file.name}" in err
    assert f"MISSING  {missing.file.name}" in err
    assert good.file.name not in err
    assert "2 of 3 evidence files failed" in err


def test_evidence_bundle_is_checkable_without_the_system(admin_client, staff_user, item, tmp_path):
    findings_save(item=item, findings=[Finding(country="US", quantity=35), Finding(country="RU", quantity=57)])
    photo = evidence_file_store(file=ContentFile(b"\xff\xd8 marking", name="ti.jpg"), item=item, uploaded_by=None)
    hand_over(item, user=staff_user)
    item_transition(item=item, action="submit_for_review", user=staff_user, comment="ready")
    out = tmp_path / "bundle.zip"
    call_command("evidence_bundle", item.reference, "-o", str(out), stdout=io.StringIO())
    with zipfile.ZipFile(out) as bundle:
        names = set(bundle.namelist())
        assert {"teardown.csv", f"evidence/{photo.pk}-ti.jpg", "custody.csv", "transitions.csv", "item.json"} <= names
        sums = dict(reversed(line.split("  ", 1)) for line in bundle.read("SHA256SUMS").decode().splitlines())
        assert set(sums) == names - {"SHA256SUMS"}
        for name, digest in sums.items():  # what `sha256sum -c SHA256SUMS` does
            assert hashlib.sha256(bundle.read(name)).hexdigest() == digest, name
        assert sums[f"evidence/{photo.pk}-ti.jpg"] == photo.sha256
        assert "BAG-0042" in bundle.read("custody.csv").decode()
        assert "submit_for_review,draft,submitted,analyst,ready" in bundle.read("transitions.csv").decode()
        teardown = bundle.read("teardown.csv").decode()
        assert teardown.count("KYIV-2025-09-07-CAB") == 2
    response = admin_client.get(reverse("admin:provenance_recovereditem_evidence_bundle", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.content)).read("custody.csv") == zipfile.ZipFile(out).read("custody.csv")
