"""Public copies of photos: no metadata survives, the original is untouched, the copies are made once and
deleted on withdrawal; the admin shows thumbnails and lets an analyst publish a photo."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from PIL import Image

from provenance.models import EvidenceFile
from provenance.services.findings import evidence_file_store
from provenance.services.photos import THUMBNAIL_SIZE, evidence_public_set
from provenance.storage import public_media_storage
from tests import factories
from tests.catalogue.world import gps_jpeg, upload
from tests.provenance.test_admin import ADD_URL, item_post

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture
def item(db):
    return factories.RecoveredItemFactory(reference="KYIV-2025-09-07-CAB")


def _read(storage, name) -> bytes:
    with storage.open(name, "rb") as handle:
        return handle.read()


def test_the_test_photo_really_carries_a_gps_position_and_a_camera():
    original = Image.open(io.BytesIO(gps_jpeg()))
    exif = original.getexif()
    assert exif[0x010F] == "SecretCam"
    assert exif.get_ifd(GPS_IFD)[1] == "N"  # so the next test can fail


def test_public_copy_and_thumbnail_have_no_metadata_and_the_original_is_untouched(item):
    content = gps_jpeg(size=(2400, 1800))
    evidence = evidence_file_store(file=upload(content=content), item=item, uploaded_by=None)
    evidence = evidence_public_set(evidence=evidence, public=True)
    storage = public_media_storage()
    for name, longest in ((evidence.public_image.name, 1600), (evidence.public_thumbnail.name, THUMBNAIL_SIZE)):
        data = _read(storage, name)
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG" and max(image.size) == longest
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(GPS_IFD) == {}
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"SecretCam" not in data and b"SpyPhone" not in data and b"2025:09:07" not in data
    with evidence.file.open("rb") as original:
        assert hashlib.sha256(original.read()).hexdigest() == evidence.sha256 == hashlib.sha256(content).hexdigest()
    # The copies live apart from the originals, in MEDIA_ROOT/public/.
    assert storage.path(evidence.public_image.name).startswith(str(storage.base_location))
    assert "public" not in evidence.file.path.split("/evidence/")[0].rsplit("/", 1)[-1]


def test_a_turned_phone_photo_is_published_upright():
    image = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    evidence = evidence_file_store(
        file=upload(content=buffer.getvalue()), item=factories.RecoveredItemFactory(), uploaded_by=None
    )
    evidence = evidence_public_set(evidence=evidence, public=True)
    assert Image.open(public_media_storage().open(evidence.public_image.name)).size == (200, 400)


def test_copies_are_made_once_and_deleted_on_withdrawal(item, django_capture_on_commit_callbacks):
    evidence = evidence_file_store(file=upload(), item=item, uploaded_by=None)
    first = evidence_public_set(evidence=evidence, public=True)
    again = evidence_public_set(evidence=first, public=True)
    assert again.public_image.name == first.public_image.name
    storage = public_media_storage()
    assert storage.exists(first.public_image.name)
    with django_capture_on_commit_callbacks(execute=True):  # deleted once the withdrawal is committed
        withdrawn = evidence_public_set(evidence=first, public=False)
    assert not withdrawn.public and withdrawn.public_image.name == ""
    assert not storage.exists(first.public_image.name) and not storage.exists(first.public_thumbnail.name)


def test_a_document_cannot_be_made_public(item):
    evidence = evidence_file_store(
        file=upload("report.pdf", b"%PDF-1.4 not a photo"), item=item, uploaded_by=None, description=""
    )
    with pytest.raises(ValidationError, match="not a photo"):
        evidence_public_set(evidence=evidence, public=True)
    assert not EvidenceFile.objects.get(pk=evidence.pk).public


def test_the_admin_item_page_shows_thumbnails_and_publishes_a_photo_by_its_checkbox(admin_client):
    weapon = factories.WeaponModelFactory(designation="9M727")
    data = item_post(weapon, {"country": "RU", "quantity": 1})
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-file": upload(),
            "evidence-0-description": "guidance board",
            "evidence-0-public": "on",
        }
    )
    response = admin_client.post(reverse(ADD_URL), data)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.public and evidence.public_image.name.startswith("photos/")
    page = admin_client.get(reverse("admin:provenance_recovereditem_change", args=[evidence.item_id])).content
    thumbnail_url = reverse("admin:provenance_evidencefile_thumbnail", args=[evidence.pk])
    assert f'src="{thumbnail_url}"'.encode() in page
    thumbnail = admin_client.get(thumbnail_url)
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert b"SecretCam" not in thumbnail.content


def test_the_admin_action_publishes_and_withdraws_and_refuses_documents(admin_client, item):
    photo = evidence_file_store(file=upload(), item=item, uploaded_by=None)
    document = evidence_file_store(file=upload("scan.pdf", b"%PDF-1.4"), item=item, uploaded_by=None)
    url = reverse("admin:provenance_evidencefile_changelist")
    response = admin_client.post(
        url, {"action": "make_public", "_selected_action": [photo.pk, document.pk]}, follow=True
    )
    text = response.content.decode()
    assert "1 photo made public." in text and "scan.pdf" in text and "not a photo" in text
    assert EvidenceFile.objects.get(pk=photo.pk).public
    admin_client.post(url, {"action": "withdraw_public", "_selected_action": [photo.pk]})
    assert not EvidenceFile.objects.get(pk=photo.pk).public


def test_finding_page_shows_thumbnails_and_the_thumbnail_view_is_for_staff_only(admin_client, item):
    finding = factories.FindingFactory(item=item)
    evidence = evidence_file_store(file=upload(), finding=finding, uploaded_by=None)
    page = admin_client.get(reverse("admin:provenance_finding_change", args=[finding.pk])).content.decode()
    thumbnail_url = reverse("admin:provenance_evidencefile_thumbnail", args=[evidence.pk])
    assert thumbnail_url in page and "internal" in page
    anonymous = Client()
    assert anonymous.get(thumbnail_url).status_code == 302  # to the login page
    assert anonymous.get(f"/photos/{evidence.pk}/thumb.jpg").status_code == 404  # not public


def test_briefing_has_a_photo_annex_of_the_public_photos_only(item):
    from provenance.briefings.data import briefing_data
    from provenance.briefings.params import BriefingParams
    from provenance.briefings.render import render_html, render_pdf

    finding = factories.FindingFactory(item=item, marking="MAX2769")
    public = evidence_file_store(file=upload(), finding=finding, uploaded_by=None)
    evidence_public_set(evidence=public, public=True)
    evidence_file_store(file=upload("internal.jpg"), item=item, uploaded_by=None)  # not public: not in the annex
    html = render_html(briefing_data(params=BriefingParams(items=(item.reference,))))
    annex = html[html.index("Annex B · Photos") :]
    assert annex.count('src="data:image/jpeg;base64,') == 1
    assert f"{item.reference} · line {finding.line_no}" in annex
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf
    without = render_html(briefing_data(params=BriefingParams(items=(factories.RecoveredItemFactory().reference,))))
    assert "Annex B · Photos" not in without
