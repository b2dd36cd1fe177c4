"""Admin: the "Import teardown list" page (upload -> preview -> confirm) and the export actions."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from provenance.models import Finding, RecoveredItem
from tests import factories
from tests.provenance.test_teardown_import import EXAMPLE, build_world

URL = "/admin/provenance/teardown-import/"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.TEARDOWN_UPLOAD_DIR = tmp_path / "uploads"
    return settings.TEARDOWN_UPLOAD_DIR


def upload(client, text: str | bytes, name: str = "list.csv", **extra):
    data = text.encode() if isinstance(text, str) else text
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **extra})


def test_the_item_list_links_to_the_import_page(admin_client, world):
    response = admin_client.get(reverse("admin:provenance_recovereditem_changelist"))

    assert URL.encode() in response.content
    assert b"Import teardown list" in response.content


def test_upload_preview_confirm_imports_the_file(admin_client, world, staff_user):
    preview = upload(admin_client, EXAMPLE + "NEW-1,Geran-2,,,,JSC Integral,BY,,1,,\n", source_url="example.org/s")

    assert preview.status_code == 200
    assert preview.context["result"].summary() == (
        "dry run (nothing written): items: 2 created, 0 changed, 0 unchanged; findings: 3 created, 0 changed, "
        "0 unchanged, 0 deleted; 1 new manufacturer to review"
    )
    assert b"JSC Integral" in preview.content
    assert RecoveredItem.objects.count() == 0
    token = preview.context["token"]

    confirmed = admin_client.post(URL, {"token": token, "confirm": "Import"}, follow=True)

    assert confirmed.redirect_chain[-1][0] == reverse("admin:provenance_recovereditem_changelist")
    (message,) = [str(m) for m in confirmed.context["messages"]]
    assert "items: 2 created" in message
    assert Finding.objects.count() == 3
    assert set(Finding.objects.values_list("source__url", flat=True)) == {"https://example.org/s"}
    assert RecoveredItem.objects.get(reference="NEW-1").created_by == staff_user
    assert Finding.history.filter(history_user=staff_user).count() == 3
    # The token is single-use.
    again = admin_client.post(URL, {"token": token}, follow=True)
    (message,) = [str(m) for m in again.context["messages"]]
    assert "expired" in message
    assert Finding.objects.count() == 3


def test_a_bad_file_shows_the_error_table_and_no_confirm_button(admin_client, world):
    response = upload(admin_client, EXAMPLE + "KYIV-2025-09-07-CAB,Tomahawk,,,,,RU,,x,,\n")

    assert response.status_code == 200
    assert response.context["token"] is None
    assert [(e.row, e.column, e.value) for e in response.context["result"].errors] == [
        (4, "weapon", "Tomahawk"),
        (4, "quantity", "x"),
    ]
    assert b'id="teardown-errors"' in response.content
    assert b'name="confirm"' not in response.content
    assert RecoveredItem.objects.count() == 0


def test_cancel_discards_the_upload(admin_client, world, upload_dir):
    token = upload(admin_client, EXAMPLE).context["token"]
    assert [path.name for path in upload_dir.iterdir()] == [f"{token}.csv"]

    admin_client.post(URL, {"token": token, "cancel": "Cancel"})

    assert RecoveredItem.objects.count() == 0
    assert admin_client.session["teardown_uploads"] == {}
    assert list(upload_dir.iterdir()) == []


def test_confirm_revalidates_the_file(admin_client, world):
    token = upload(admin_client, EXAMPLE).context["token"]
    world["ti"].country = "DE"  # someone corrects the maker's HQ between preview and confirm
    world["ti"].save()

    response = admin_client.post(URL, {"token": token})

    assert [(e.row, e.column) for e in response.context["result"].errors] == [(2, "manufacturer_country")]
    assert RecoveredItem.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("list.pdf", b"%PDF", "Upload a .csv or .xlsx file (this one is &#x27;.pdf&#x27;)."),
        ("list.csv", b"x" * 2048, "The file is 0.0 MB, over the limit of 0.0 MB (TEARDOWN_MAX_BYTES)."),
    ],
)
def test_the_upload_form_checks_extension_and_size(admin_client, world, settings, name, data, message):
    settings.TEARDOWN_MAX_BYTES = 1024

    response = upload(admin_client, data, name=name)

    assert message.encode() in response.content
    assert "result" not in response.context


def test_users_without_add_permission_get_403(client, world):
    viewer = factories.UserFactory(username="viewer", is_staff=True)
    client.force_login(viewer)

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(("action", "check"), [
    ("export_teardown_csv", lambda body: body.decode().startswith("item_ref,weapon,")),
    ("export_teardown_json", lambda body: [r["quantity"] for r in json.loads(body)] == [1, 57]),
    ("export_teardown_xlsx", lambda body: body[:2] == b"PK"),
])  # fmt: skip
def test_export_actions_download_the_selected_items(admin_client, world, action, check):
    upload_token = upload(admin_client, EXAMPLE).context["token"]
    admin_client.post(URL, {"token": upload_token})
    item = RecoveredItem.objects.get()

    response = admin_client.post(
        reverse("admin:provenance_recovereditem_changelist"), {"action": action, "_selected_action": [item.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="teardown.')
    assert check(b"".join(response) if response.streaming else response.content)


def test_xlsx_upload_previews(admin_client, world):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["item_ref", "weapon", "manufacturer_country"])
    workbook.active.append(["A", "9M727", "RU"])
    stream = io.BytesIO()
    workbook.save(stream)

    response = upload(admin_client, stream.getvalue(), name="list.xlsx")

    assert response.context["result"].items == [("A", "created")]


def test_an_oversized_upload_is_refused_before_it_is_read(admin_client, world, settings, upload_dir):
    settings.TEARDOWN_MAX_BYTES = 1024

    response = upload(admin_client, b"x" * 1_200_000)

    assert response.status_code == 413
    assert b"over the limit of 0.0 MB (TEARDOWN_MAX_BYTES)" in response.content
    assert list(upload_dir.rglob("*")) == []  # nothing stored (a missing directory holds nothing)


def test_the_upload_still_needs_a_csrf_token(world, staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    response = upload(client, EXAMPLE)

    assert response.status_code == 403
    assert RecoveredItem.objects.count() == 0
