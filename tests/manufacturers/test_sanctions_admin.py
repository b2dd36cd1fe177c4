"""The sanctions lists in the admin: uploading a list file, the listed entities (read only), and designations
entered by hand on a manufacturer's page."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from manufacturers.models import Designation, ListedEntity, ListImport
from tests import factories
from tests.manufacturers.test_admin import _manufacturer_post

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "manufacturers" / "data" / "sanctions"


def _upload(client, name: str, content: bytes, **fields):
    return client.post(
        reverse("admin:manufacturers_listimport_add"),
        {"file": SimpleUploadedFile(name, content), "format": "", **fields},
        follow=True,
    )


def test_upload_imports_the_list_and_says_what_it_did(admin_client, staff_user):
    response = _upload(admin_client, "zala.entities.ftm.json", (DATA / "zala.entities.ftm.json").read_bytes())
    assert response.status_code == 200
    page = response.content.decode()
    assert "entities.ftm.json (ftm): created 42, changed 0, unchanged 0, skipped 49" in page
    run = ListImport.objects.get()
    assert (run.imported_by, run.imported_via, run.created) == (staff_user, "admin upload", 42)
    again = _upload(admin_client, "zala.entities.ftm.json", (DATA / "zala.entities.ftm.json").read_bytes())
    assert "created 0, changed 0, unchanged 42" in again.content.decode()


def test_upload_of_a_bad_file_lists_the_lines_and_writes_nothing(admin_client):
    content = (DATA / "us-csl-sample.csv").read_text(encoding="utf-8").replace("2018-08-01", "1 Augst 2018")
    response = _upload(admin_client, "csl.csv", content.encode())
    page = response.content.decode()
    assert "csl.csv was not imported; nothing was written:" in page
    assert "line 13: start_date &#x27;1 Augst 2018&#x27; is not a date" in page
    assert ListedEntity.objects.count() == 0
    assert ListImport.objects.count() == 0


def test_an_upload_over_the_limit_is_refused_from_its_length_before_it_is_read(admin_client, settings):
    settings.SANCTIONS_UPLOAD_MAX_BYTES = 1024
    content = (DATA / "eu-269-annex-i-electronics-defence.csv").read_bytes()  # 310 kB, + 1 MB of form allowance
    response = _upload(admin_client, "eu-269.csv", content * 5)
    assert response.status_code == 413
    page = response.content.decode()
    size = len(content * 5) / 1_048_576
    assert f"The file is {size:.1f} MB, over the limit of 0.0 MB (SANCTIONS_UPLOAD_MAX_BYTES)." in page
    assert "Nothing was read or written." in page
    assert "Import a larger list with the command manage.py import_sanctions FILE." in page
    assert (ListImport.objects.count(), ListedEntity.objects.count()) == (0, 0)


def test_a_file_over_the_limit_within_the_form_allowance_is_refused_by_the_form(admin_client, settings):
    settings.SANCTIONS_UPLOAD_MAX_BYTES = 1024
    content = (DATA / "eu-765-belarus-electronics-defence.csv").read_bytes()  # 12 kB
    response = _upload(admin_client, "eu-765.csv", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file is 0.0 MB, over the limit of 0.0 MB (SANCTIONS_UPLOAD_MAX_BYTES)." in page
    assert "Import a larger list with the command manage.py import_sanctions FILE." in page
    assert (ListImport.objects.count(), ListedEntity.objects.count()) == (0, 0)
    settings.SANCTIONS_UPLOAD_MAX_BYTES = len(content)
    assert "created 20" in _upload(admin_client, "eu-765.csv", content).content.decode()


def test_the_upload_still_checks_the_csrf_token(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    content = (DATA / "eu-765-belarus-electronics-defence.csv").read_bytes()
    response = client.post(
        reverse("admin:manufacturers_listimport_add"), {"file": SimpleUploadedFile("a.csv", content)}
    )
    assert response.status_code == 403
    assert ListedEntity.objects.count() == 0


def test_upload_check_only_writes_nothing(admin_client):
    response = _upload(
        admin_client, "eu-765.csv", (DATA / "eu-765-belarus-electronics-defence.csv").read_bytes(), dry_run="on"
    )
    assert "created 20, changed 0, unchanged 0, skipped 0 (dry run: nothing written)" in response.content.decode()
    assert ListedEntity.objects.count() == 0


def test_upload_needs_the_permission(client):
    viewer = factories.StaffUserFactory(username="viewer", is_superuser=False)
    client.force_login(viewer)
    response = client.post(reverse("admin:manufacturers_listimport_add"), {})
    assert response.status_code in (302, 403)
    assert ListImport.objects.count() == 0


def test_listed_entity_page_shows_its_designations_and_owners(admin_client):
    admin_client.post(
        reverse("admin:manufacturers_listimport_add"),
        {"file": SimpleUploadedFile("z.json", (DATA / "zala.entities.ftm.json").read_bytes()), "format": "ftm"},
    )
    cst = ListedEntity.objects.get(caption="LLC CST")
    page = admin_client.get(reverse("admin:manufacturers_listedentity_change", args=[cst.pk])).content.decode()
    assert "US-BIS-EL" in page and "EU-UKR" in page
    assert "JSC Kalashnikov Concern" in page and "49" in page
    found = admin_client.get(reverse("admin:manufacturers_listedentity_changelist"), {"q": "Зала Аеро"})
    assert list(found.context["cl"].result_list) == [ListedEntity.objects.get(caption__contains="Зала Аеро")]


def test_an_analyst_enters_a_designation_by_hand_on_the_manufacturer_page(admin_client):
    maker = factories.ManufacturerFactory(name="JSC Integral", country="BY")
    data = _manufacturer_post(
        name="JSC Integral",
        country="BY",
        **{
            "designations-TOTAL_FORMS": "1",
            "designations-0-authority": "UA",
            "designations-0-program": "UA-NSDC",
            "designations-0-measure": "asset freeze",
            "designations-0-listed_on": "2023-05-12",
            "designations-0-date_kind": "entry into force",
            "designations-0-date_source": "NSDC decision, press release of 12 May 2023",
            "designations-0-delisted_on": "",
            "designations-0-reason": "",
            "designations-0-reference": "",
            "designations-0-source_url": "https://www.president.gov.ua/documents/",
        },
    )
    response = admin_client.post(reverse("admin:manufacturers_manufacturer_change", args=[maker.pk]), data)
    assert response.status_code == 302
    designation = Designation.objects.get()
    assert (designation.manufacturer, designation.listed_entity, designation.authority) == (maker, None, "UA")
    assert (designation.listed_on, designation.date_kind) == (dt.date(2023, 5, 12), "entry into force")


def test_a_designation_without_a_date_must_say_its_date_is_unknown(admin_client):
    maker = factories.ManufacturerFactory()
    data = {
        "manufacturer": str(maker.pk),
        "authority": "GB",
        "program": "GB-RUS",
        "measure": "asset freeze",
        "listed_on": "",
        "date_kind": "listing",
        "date_source": "",
        "delisted_on": "",
        "reason": "",
        "reference": "",
        "source_url": "",
    }
    response = admin_client.post(reverse("admin:manufacturers_designation_add"), data)
    assert response.status_code == 200
    assert "Without a start date the date kind is &#x27;unknown&#x27;." in response.content.decode()
    data["date_kind"] = "unknown"
    assert admin_client.post(reverse("admin:manufacturers_designation_add"), data).status_code == 302
    assert Designation.objects.get().authority == "GB"


def test_an_imported_designation_is_read_only(admin_client):
    designation = Designation.objects.create(
        listed_entity=factories.ListedEntityFactory(), authority="EU", program="EU-UKR", listed_on=dt.date(2024, 2, 23)
    )
    url = reverse("admin:manufacturers_designation_change", args=[designation.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="authority"' not in page
    admin_client.post(url, {"authority": "US"})
    designation.refresh_from_db()
    assert designation.authority == "EU"
