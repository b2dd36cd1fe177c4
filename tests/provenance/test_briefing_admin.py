"""Briefing reports in the admin: the request form, the list actions, the report list and downloads."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provenance.briefings.params import BriefingParams
from provenance.models import BriefingReport
from provenance.services.briefings import briefing_request
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    weapon = f.WeaponModelFactory(designation="9M727", name="Iskander-K", origin_country="RU")
    drone = f.WeaponModelFactory(designation="Shahed-136", name="Geran-2", family="Shahed", origin_country="IR")
    first = f.RecoveredItemFactory(reference="ISK-1", weapon_model=weapon, tlp="GREEN")
    second = f.RecoveredItemFactory(reference="ISK-2", weapon_model=weapon, tlp="CLEAR")
    third = f.RecoveredItemFactory(reference="DRONE-1", weapon_model=drone, tlp="AMBER")
    f.FindingFactory(item=first, manufacturer=f.ManufacturerFactory(name="Texas Instruments"), quantity=3)
    f.FindingFactory(item=second, manufacturer=None, country="RU", quantity=2)
    f.FindingFactory(item=third, manufacturer=None, country="CN", quantity=7)
    return {"weapon": weapon, "drone": drone, "items": [first, second, third]}


def test_request_form_issues_a_report(admin_client, staff_user, world):
    url = reverse("admin:provenance_briefingreport_add")
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Issue briefing" in page.content.decode()

    response = admin_client.post(
        url,
        {
            "title": "Iskander-K <b>parts</b>",
            "note": "For the 20th package <script>alert(1)</script>",
            "weapon": "9M727",
            "attribution": "hq",
            "unit": "units",
            "period": "recovered",
            "produced_after": "2022-02-24",
            "formats": ["html", "csv"],
        },
    )
    report = BriefingReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:provenance_briefingreport_change", args=[report.pk])
    assert report.state == BriefingReport.State.DONE, report.error
    assert report.requested_by == staff_user
    assert report.tlp == "GREEN"
    assert report.html and report.csv and not report.pdf

    html = admin_client.get(reverse("admin:provenance_briefingreport_download", args=[report.pk, "html"]))
    body = b"".join(html.streaming_content).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>" not in body
    assert "Iskander-K &lt;b&gt;parts&lt;/b&gt;" in body
    assert "default-src 'none'" in html["Content-Security-Policy"]
    assert "5 component units in 2 recovered items" in body  # 3 + 2; the drone's 7 are not counted


def test_request_form_reports_field_errors(admin_client, world):
    response = admin_client.post(
        reverse("admin:provenance_briefingreport_add"),
        {
            "item": "NO-SUCH-ITEM",
            "date_from": "2025-01-01",
            "date_to": "2024-01-01",
            "attribution": "hq",
            "unit": "units",
            "period": "recovered",
            "formats": ["pdf"],
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "No recovered item" in text and "NO-SUCH-ITEM" in text
    assert "The end date is before the start date." in text
    assert not BriefingReport.objects.exists()


def test_weapon_model_action_issues_one_report_per_model(admin_client, world):
    response = admin_client.post(
        reverse("admin:provenance_weaponmodel_changelist"),
        {"action": "briefing_for_weapon_models", "_selected_action": [world["weapon"].pk, world["drone"].pk]},
    )
    assert response.status_code == 302
    reports = {r.parameters["weapon"]: r for r in BriefingReport.objects.all()}
    assert set(reports) == {"9M727", "Shahed-136"}
    assert all(r.state == BriefingReport.State.DONE for r in reports.values())
    assert reports["Shahed-136"].tlp == "AMBER"
    assert reports["9M727"].tlp == "GREEN"


def test_recovered_item_action_issues_one_report_over_the_selection(admin_client, world):
    first, _, third = world["items"]
    response = admin_client.post(
        reverse("admin:provenance_recovereditem_changelist"),
        {"action": "briefing_for_items", "_selected_action": [first.pk, third.pk]},
    )
    report = BriefingReport.objects.get()
    assert response.status_code == 302
    assert report.parameters["items"] == ["DRONE-1", "ISK-1"]
    assert report.tlp == "AMBER"
    csv_text = report.csv.open("rb").read().decode("utf-8-sig")
    assert "total,10" in csv_text  # 3 + 7; ISK-2 was not selected


def test_report_list_shows_state_tlp_digest_and_links_in_constant_queries(admin_client, world):
    ok = briefing_request(params=BriefingParams(weapon="9M727"), formats=["csv"])
    failed = BriefingReport.objects.create(
        title="Broken", state=BriefingReport.State.FAILED, error="RuntimeError: no fonts today", tlp="RED"
    )
    url = reverse("admin:provenance_briefingreport_changelist")
    with CaptureQueriesContext(connection) as few:
        page = admin_client.get(url)
    text = page.content.decode()
    assert ok.data_digest[:12] in text
    assert reverse("admin:provenance_briefingreport_download", args=[ok.pk, "csv"]) in text
    assert "TLP:GREEN" in text and "TLP:RED" in text
    assert "no fonts today" in text
    for _ in range(5):
        briefing_request(params=BriefingParams(weapon="Shahed-136"), formats=["csv"])
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    # session, user, count, page of reports (with requester and organisation), filters: not per row
    assert len(many.captured_queries) == len(few.captured_queries) <= 12
    detail = admin_client.get(reverse("admin:provenance_briefingreport_change", args=[failed.pk]))
    assert "no fonts today" in detail.content.decode()


def test_reports_cannot_be_edited_or_deleted(admin_client, world):
    report = briefing_request(params=BriefingParams(weapon="9M727"), formats=["csv"])
    page = admin_client.get(reverse("admin:provenance_briefingreport_change", args=[report.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse("admin:provenance_briefingreport_delete", args=[report.pk])).status_code == 403


def test_downloads_need_a_staff_login(client, world):
    report = briefing_request(params=BriefingParams(weapon="9M727"), formats=["csv"])
    url = reverse("admin:provenance_briefingreport_download", args=[report.pk, "csv"])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response.url
    outsider = f.UserFactory(username="outsider", is_staff=True)
    client.force_login(outsider)  # staff, but without permission on reports
    assert client.get(url).status_code == 403


def test_date_fields_round_trip_through_the_form(admin_client, world):
    admin_client.post(
        reverse("admin:provenance_briefingreport_add"),
        {
            "family": "Shahed",
            "date_from": "2020-01-01",
            "attribution": "parent",
            "unit": "parts",
            "foreign_only": "on",
            "period": "produced",
            "as_of": "2024-06-30",
            "produced_after": "2023-01-01",
            "formats": ["csv"],
        },
    )
    report = BriefingReport.objects.get()
    params = BriefingParams.from_json(report.parameters)
    assert params.family == "Shahed" and params.foreign_only and params.unit == "parts"
    assert params.date_from == dt.date(2020, 1, 1) and params.as_of == dt.date(2024, 6, 30)
    assert params.produced_after == dt.date(2023, 1, 1) and params.period == "produced"
