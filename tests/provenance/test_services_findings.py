"""Services for finding lines and evidence files: attribution rules, completion, write-once storage."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from config.common.countries import valid_country_codes
from manufacturers.models import Manufacturer
from provenance.models import Finding
from provenance.selectors.analytics import AnalyticsFilters, shift
from provenance.services.findings import (
    evidence_file_store,
    finding_attribution,
    findings_save,
    recovered_item_save,
)
from tests import factories

CODES = [code for code in valid_country_codes() if code != "SU"]


@given(hq=st.sampled_from(CODES), row=st.sampled_from(CODES))
def test_attribution_keeps_the_hq_country_and_refuses_any_other(hq, row):
    maker = Manufacturer(name="Maker", country=hq)
    assert finding_attribution(part=None, manufacturer=maker, country="") == (maker, hq)
    if row == hq:
        assert finding_attribution(part=None, manufacturer=maker, country=row) == (maker, hq)
    else:
        with pytest.raises(ValidationError) as error:
            finding_attribution(part=None, manufacturer=maker, country=row)
        assert error.value.message_dict["country"][0].startswith(f"Maker is a {hq} manufacturer; the row says {row}.")


@pytest.mark.parametrize(("typed", "code"), [("USA", "US"), ("United Kingdom", "GB"), ("UK", "GB"), ("ru", "RU")])
def test_attribution_accepts_country_names_and_codes(typed, code):
    assert finding_attribution(part=None, manufacturer=None, country=typed) == (None, code)


@pytest.mark.django_db
def test_findings_save_completes_lines_and_numbers_new_ones_after_the_last():
    item = factories.RecoveredItemFactory()
    factories.FindingFactory(item=item, line_no=7)
    category = factories.CategoryFactory(name="FPGA")
    part = factories.PartFactory(
        manufacturer=factories.ManufacturerFactory(name="Altera", country="US"), part_number="EP3C16", category=category
    )
    saved = findings_save(
        item=item,
        findings=[
            Finding(part=part, quantity=2, date_code="1748A", origin_marking="TAIWAN"),
            Finding(country="Belarus", quantity=5),
        ],
    )
    assert [(f.line_no, f.manufacturer and f.manufacturer.name, f.country, f.quantity) for f in saved] == [
        (8, "Altera", "US", 2),
        (9, None, "BY", 5),
    ]
    assert (saved[0].category, saved[0].produced_year, saved[0].produced_week) == (category, 2017, 48)
    assert saved[0].origin_country == "TW"


@pytest.mark.django_db
def test_recovered_item_save_defaults_owner_and_creator():
    user = factories.StaffUserFactory()
    item = factories.RecoveredItemFactory.build(owner=None)
    item.owner_id = None
    item.weapon_model.save()
    item.weapon_model_id = item.weapon_model.pk
    recovered_item_save(item=item, user=user)
    assert (item.owner.name, item.owner.kind, item.created_by) == ("Internal", "internal", user)


@pytest.mark.django_db
def test_evidence_is_hashed_while_streaming_and_never_overwritten(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = factories.RecoveredItemFactory()
    first = evidence_file_store(file=ContentFile(b"first photo", name="board.jpg"), item=item, uploaded_by=None)
    second = evidence_file_store(file=ContentFile(b"second photo", name="board.jpg"), item=item, uploaded_by=None)
    assert first.file.name != second.file.name
    assert first.file.read() == b"first photo"
    assert (first.sha256, first.size) == (hashlib.sha256(b"first photo").hexdigest(), 11)
    assert second.sha256 == hashlib.sha256(b"second photo").hexdigest()
    assert first.original_name == second.original_name == "board.jpg"


@pytest.mark.django_db
def test_large_upload_on_disk_is_streamed_in_chunks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    payload = b"x" * (3 * 1024 * 1024 + 17)
    upload = TemporaryUploadedFile("scan.pdf", "application/pdf", len(payload), None)
    upload.write(payload)
    upload.seek(0)
    evidence = evidence_file_store(file=upload, item=factories.RecoveredItemFactory(), uploaded_by=None)
    assert evidence.sha256 == hashlib.sha256(payload).hexdigest()
    assert evidence.size == len(payload)
    assert evidence.content_type == "application/pdf"
    # The temporary upload was copied, not moved: storage streamed it through the hash.
    assert (tmp_path / evidence.file.name).stat().st_size == len(payload)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ"), "Files of type '.exe' are not accepted"),
        (SimpleUploadedFile("noext", b"data"), "Files of type '.' are not accepted"),
        (SimpleUploadedFile("empty.png", b""), "The file is empty."),
    ],
)
def test_evidence_of_a_bad_type_or_empty_is_refused(upload, message):
    with pytest.raises(ValidationError) as error:
        evidence_file_store(file=upload, item=factories.RecoveredItemFactory(), uploaded_by=None)
    assert error.value.message_dict["file"][0].startswith(message)


@pytest.mark.django_db
def test_evidence_needs_an_item_or_a_finding():
    with pytest.raises(ValidationError, match="attached to a recovered item or a finding"):
        evidence_file_store(file=ContentFile(b"x", name="a.png"), uploaded_by=None)


@pytest.mark.django_db
def test_lines_follow_their_items_dates_into_the_shift_periods():
    item = factories.RecoveredItemFactory(recovered_on=dt.date(2024, 5, 1), analysed_on=None)
    findings_save(item=item, findings=[Finding(country="US", quantity=3), Finding(country="RU", quantity=2)])
    everything = AnalyticsFilters()
    assert shift(filters=everything)["periods"] == [{"period": 2024, "total": 5}]
    assert shift(filters=everything, period="analysed")["undated"] == 5

    item.recovered_on, item.analysed_on = dt.date(2025, 2, 1), dt.date(2025, 3, 1)
    recovered_item_save(item=item, user=None)
    findings_save(item=item, findings=[Finding(country="BY", quantity=4)])

    assert shift(filters=everything)["periods"] == [{"period": 2025, "total": 9}]
    assert shift(filters=everything, period="analysed")["periods"] == [{"period": 2025, "total": 9}]

    item.recovered_on = None
    recovered_item_save(item=item, user=None)

    result = shift(filters=everything)
    assert (result["periods"], result["undated"]) == ([], 9)
