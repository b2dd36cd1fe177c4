"""The analysts' admin for recovered items: one page with findings inline, clear messages for bad lines,
counts without a query per row, the per-item summary, and history.
"""

import hashlib
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from components.models import Part
from provenance.models import EvidenceFile, Finding, RecoveredItem, WeaponAlias
from provenance.selectors.analytics import AnalyticsFilters, shift
from provenance.services.findings import evidence_file_store
from tests import factories
from tests.admin_pages import assert_admin_pages_render, model_id, registered_models

pytestmark = pytest.mark.django_db

ADD_URL = "admin:provenance_recovereditem_add"
FINDING_FIELDS = (
    "id",
    "line_no",
    "part_number",
    "manufacturer",
    "country",
    "quantity",
    "category",
    "marking",
    "date_code",
    "lot_code",
    "origin_marking",
    "module",
    "confidence",
)


@pytest.mark.parametrize("model", registered_models(exclude=("manufacturers", "components")), ids=model_id)
def test_every_other_admin_page_renders(admin_client, staff_user, model):
    assert_admin_pages_render(admin_client, staff_user, model)


def item_post(weapon, *findings: dict, initial_findings: int = 0, **overrides) -> dict:
    """The POST body of the recovered-item page: item fields plus the findings and evidence inlines."""
    data = {
        "reference": "KYIV-2025-09-07-CAB",
        "weapon_model": str(weapon.pk),
        "strike": "",
        "serial_number": "",
        "recovered_on": "2025-09-07",
        "recovered_on_precision": "day",
        "analysed_on": "",
        "analysed_on_precision": "day",
        "place": "Kyiv",
        "site_details": "",
        "custody_notes": "",
        "notes": "",
        "owner": "",
        "status": "draft",
        "tlp": "AMBER",
        "findings-TOTAL_FORMS": str(len(findings)),
        "findings-INITIAL_FORMS": str(initial_findings),
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "custody_events-TOTAL_FORMS": "0",
        "custody_events-INITIAL_FORMS": "0",
    }
    for index, finding in enumerate(findings):
        row = {"quantity": "1", "confidence": "confirmed", **finding}
        if "part" in row:  # the part is typed as its number
            row["part_number"] = row.pop("part").part_number
        for field in FINDING_FIELDS:
            value = row.get(field, "")
            data[f"findings-{index}-{field}"] = str(value.pk if hasattr(value, "pk") else value)
        if row.get("DELETE"):
            data[f"findings-{index}-DELETE"] = "on"
    data.update(overrides)
    return data


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def weapon(db):
    return factories.WeaponModelFactory(designation="9M727", name="Iskander-K")


@pytest.fixture
def texas(db):
    return factories.ManufacturerFactory(name="Texas Instruments", country="US")


# --- entering a teardown ---------------------------------------------------------------------------------


def test_item_with_findings_is_saved_with_owner_creator_and_filled_countries(admin_client, staff_user, weapon, texas):
    internal = factories.InternalOrganisationFactory()
    part = factories.PartFactory(
        manufacturer=texas, part_number="TMS320F28335", category=factories.CategoryFactory(name="microcontroller")
    )
    response = admin_client.post(
        reverse(ADD_URL),
        item_post(
            weapon,
            {"part": part, "manufacturer": texas, "quantity": 2, "date_code": "2235", "origin_marking": "MALAYSIA"},
            {"country": "Russia", "quantity": 57},
            {"manufacturer": texas, "quantity": 1},
        ),
    )
    assert response.status_code == 302, page_text(response)
    item = RecoveredItem.objects.get(reference="KYIV-2025-09-07-CAB")
    assert item.owner == internal
    assert item.created_by == staff_user
    lines = list(item.findings.order_by("line_no"))
    assert [(f.line_no, f.manufacturer, f.country.code, f.quantity) for f in lines] == [
        (1, texas, "US", 2),
        (2, None, "RU", 57),
        (3, texas, "US", 1),
    ]
    first = lines[0]
    assert first.category.name == "microcontroller"
    assert (first.produced_year, first.produced_week) == (2022, 35)
    assert first.origin_country.code == "MY"


@pytest.mark.parametrize("quantity", ["0", "-3"])
def test_quantity_that_is_not_positive_is_refused_with_a_message(admin_client, weapon, quantity):
    response = admin_client.post(reverse(ADD_URL), item_post(weapon, {"country": "RU", "quantity": quantity}))
    assert response.status_code == 200
    assert "Quantity must be a positive whole number." in page_text(response)
    assert not RecoveredItem.objects.exists()


def test_unknown_country_is_refused_with_a_message(admin_client, weapon):
    response = admin_client.post(reverse(ADD_URL), item_post(weapon, {"country": "Narnia", "quantity": 2}))
    assert response.status_code == 200
    assert "Unknown country 'Narnia': use an ISO code such as US or a name such as United States." in page_text(
        response
    )
    assert not Finding.objects.exists()


def test_country_contradicting_the_manufacturer_is_refused_with_a_message(admin_client, weapon, texas):
    response = admin_client.post(
        reverse(ADD_URL), item_post(weapon, {"manufacturer": texas, "country": "RU", "quantity": 2})
    )
    assert response.status_code == 200
    assert "Texas Instruments is a US manufacturer; the row says RU." in page_text(response)
    assert not Finding.objects.exists()


def test_finding_with_neither_manufacturer_nor_country_is_refused_with_a_message(admin_client, weapon):
    response = admin_client.post(reverse(ADD_URL), item_post(weapon, {"marking": "K1533LA3", "quantity": 1}))
    assert response.status_code == 200
    assert page_text(response).count("A finding needs a manufacturer or a country.") == 1
    assert not Finding.objects.exists()


def test_a_part_number_is_one_manufacturers_part_as_in_the_import(admin_client, weapon, texas):
    # The import's rule: a part is a part number of one maker; the same number under another maker (a second
    # source) is that maker's part, added to the catalogue with the line.
    analog = factories.PartFactory(
        manufacturer=factories.ManufacturerFactory(name="Analog Devices"), part_number="AD9361"
    )
    response = admin_client.post(
        reverse(ADD_URL), item_post(weapon, {"part_number": "ad-9361", "manufacturer": texas, "quantity": 1})
    )
    assert response.status_code == 302, page_text(response)
    line = Finding.objects.get()
    assert (line.part.manufacturer, line.part.part_number, line.country.code) == (texas, "ad-9361", "US")
    assert line.part != analog


def test_a_known_part_number_is_found_whatever_its_spelling(admin_client, weapon, texas):
    part = factories.PartFactory(manufacturer=texas, part_number="TMS320F28335PGFA")
    response = admin_client.post(
        reverse(ADD_URL), item_post(weapon, {"part_number": "tms320f28335-pgfa", "manufacturer": texas})
    )
    assert response.status_code == 302, page_text(response)
    assert Finding.objects.get().part == part
    assert Part.objects.count() == 1


def test_a_new_part_number_twice_in_one_teardown_adds_one_part(admin_client, weapon, texas):
    response = admin_client.post(
        reverse(ADD_URL),
        item_post(
            weapon,
            {"part_number": "LM317", "manufacturer": texas},
            {"part_number": "LM 317", "manufacturer": texas, "quantity": 4},
        ),
    )
    assert response.status_code == 302, page_text(response)
    [part] = Part.objects.all()
    assert [f.part for f in Finding.objects.order_by("line_no")] == [part, part]


def test_a_part_number_without_a_manufacturer_is_refused_and_nothing_is_added(admin_client, weapon, texas):
    response = admin_client.post(
        reverse(ADD_URL),
        item_post(weapon, {"part_number": "LM317", "manufacturer": texas}, {"part_number": "NE555", "country": "US"}),
    )
    assert response.status_code == 200
    assert page_text(response).count("A part number needs a manufacturer.") == 1
    assert not Part.objects.exists()
    assert not Finding.objects.exists()


def test_editing_an_item_updates_lines_and_appends_new_ones(admin_client, weapon, texas):
    item = factories.RecoveredItemFactory(reference="KYIV-2025-09-07-CAB", weapon_model=weapon)
    line = factories.FindingFactory(item=item, line_no=1, manufacturer=texas, quantity=1)
    response = admin_client.post(
        reverse("admin:provenance_recovereditem_change", args=[item.pk]),
        item_post(
            weapon,
            {"id": line.pk, "line_no": 1, "manufacturer": texas, "country": "US", "quantity": 35},
            {"country": "BY", "quantity": 5},
            initial_findings=1,
            owner=str(item.owner_id),
        ),
    )
    assert response.status_code == 302, page_text(response)
    assert [(f.line_no, f.country.code, f.quantity) for f in item.findings.order_by("line_no")] == [
        (1, "US", 35),
        (2, "BY", 5),
    ]


def test_a_new_recovery_date_moves_the_items_lines_to_that_year_in_the_shift(admin_client, weapon, texas):
    item = factories.RecoveredItemFactory(reference="KYIV-2025-09-07-CAB", weapon_model=weapon)
    line = factories.FindingFactory(item=item, line_no=1, manufacturer=texas, quantity=3)
    assert shift(filters=AnalyticsFilters())["periods"] == [{"period": 2025, "total": 3}]

    response = admin_client.post(
        reverse("admin:provenance_recovereditem_change", args=[item.pk]),
        item_post(
            weapon,
            {"id": line.pk, "line_no": 1, "manufacturer": texas, "country": "US", "quantity": 3},
            initial_findings=1,
            owner=str(item.owner_id),
            recovered_on="2023-06-01",
            analysed_on="2024-01-15",
        ),
    )

    assert response.status_code == 302, page_text(response)
    assert shift(filters=AnalyticsFilters())["periods"] == [{"period": 2023, "total": 3}]
    assert shift(filters=AnalyticsFilters(), period="analysed")["periods"] == [{"period": 2024, "total": 3}]


def test_evidence_uploaded_on_the_item_page_is_hashed(admin_client, weapon):
    data = item_post(weapon, {"country": "RU", "quantity": 1})
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-file": SimpleUploadedFile("board.jpg", b"jpeg bytes", content_type="image/jpeg"),
            "evidence-0-description": "guidance board",
        }
    )
    response = admin_client.post(reverse(ADD_URL), data)
    assert response.status_code == 302, page_text(response)
    evidence = EvidenceFile.objects.get()
    assert evidence.item.reference == "KYIV-2025-09-07-CAB"
    assert evidence.sha256 == hashlib.sha256(b"jpeg bytes").hexdigest()
    assert evidence.size == len(b"jpeg bytes")


def test_evidence_of_a_refused_type_gets_a_message(admin_client, weapon):
    data = item_post(weapon, {"country": "RU", "quantity": 1})
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-file": SimpleUploadedFile("payload.exe", b"MZ", content_type="application/octet-stream"),
            "evidence-0-description": "",
        }
    )
    response = admin_client.post(reverse(ADD_URL), data)
    assert response.status_code == 200
    assert "Files of type '.exe' are not accepted" in page_text(response)
    assert not RecoveredItem.objects.exists()


def test_an_evidence_files_description_changes_are_kept_and_old_versions_not_restored(
    admin_client, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evidence = evidence_file_store(
        file=SimpleUploadedFile("marking.png", b"\x89PNG photo"),
        item=factories.RecoveredItemFactory(),
        uploaded_by=staff_user,
        description="first reading",
    )
    change_url = reverse("admin:provenance_evidencefile_change", args=[evidence.pk])
    assert admin_client.post(change_url, {"description": "second reading"}).status_code == 302

    kept = list(evidence.history.order_by("history_date").values_list("description", "history_user"))
    assert kept == [("first reading", staff_user.pk), ("second reading", staff_user.pk)]
    first = evidence.history.earliest("history_date")
    version_url = reverse("admin:provenance_evidencefile_simple_history", args=[evidence.pk, first.history_id])
    assert admin_client.post(version_url, {"description": "first reading"}).status_code == 403
    evidence.refresh_from_db()
    assert evidence.description == "second reading"


# --- weapon models ---------------------------------------------------------------------------------------


def _weapon_post(*aliases: str) -> dict:
    data = {
        "designation": "Kh-101",
        "name": "air-launched cruise missile",
        "family": "Kh-101",
        "kind": "air-launched cruise missile",
        "origin_country": "RU",
        "notes": "",
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": "0",
    }
    for index, alias in enumerate(aliases):
        data[f"aliases-{index}-alias"] = alias
    return data


def test_weapon_model_with_aliases_is_saved(admin_client):
    response = admin_client.post(reverse("admin:provenance_weaponmodel_add"), _weapon_post("X-101", "Kh101"))
    assert response.status_code == 302
    assert sorted(WeaponAlias.objects.values_list("alias", flat=True)) == ["Kh101", "X-101"]


def test_duplicate_weapon_aliases_are_refused_with_a_message(admin_client):
    response = admin_client.post(reverse("admin:provenance_weaponmodel_add"), _weapon_post("X-101", "x-101"))
    assert response.status_code == 200
    assert "The alias 'x-101' is entered twice" in page_text(response)
    assert not WeaponAlias.objects.exists()


def test_weapon_alias_in_use_elsewhere_is_refused_with_a_message(admin_client):
    factories.WeaponAliasFactory(alias="Geran-2")
    response = admin_client.post(reverse("admin:provenance_weaponmodel_add"), _weapon_post("geran-2"))
    assert response.status_code == 200
    assert "This alias is already in use (ignoring case and spaces)." in page_text(response)


# --- list pages: counts without a query per row ----------------------------------------------------------


def _assert_constant_queries(client, url, add_rows, django_assert_num_queries, expected_rows):
    client.get(url)  # warm per-process caches (content types) so both counts compare like with like
    with CaptureQueriesContext(connection) as one_row:
        response = client.get(url)
    assert response.status_code == 200
    add_rows()
    with django_assert_num_queries(len(one_row)):
        response = client.get(url)
    assert response.context["cl"].result_count == expected_rows
    return response


def test_item_changelist_counts_units_and_findings_in_constant_queries(admin_client, django_assert_num_queries):
    url = reverse("admin:provenance_recovereditem_changelist")
    first = factories.RecoveredItemFactory(reference="A-1")
    factories.FindingFactory(item=first, quantity=35)
    factories.FindingFactory(item=first, country="RU", manufacturer=None, quantity=57)

    def add_rows():
        for n in range(19):
            factories.FindingFactory(item=factories.RecoveredItemFactory(reference=f"B-{n:02d}"), quantity=n + 1)

    response = _assert_constant_queries(admin_client, url, add_rows, django_assert_num_queries, 20)
    row = next(i for i in response.context["cl"].result_list if i.reference == "A-1")
    assert (row.finding_count, row.unit_count) == (2, 92)
    assert ">92<" in response.content.decode()


def test_weapon_model_changelist_counts_items_in_constant_queries(admin_client, django_assert_num_queries):
    url = reverse("admin:provenance_weaponmodel_changelist")
    weapon = factories.WeaponModelFactory(designation="ISKANDER-TEST")
    factories.RecoveredItemFactory.create_batch(3, weapon_model=weapon)

    def add_rows():
        for _ in range(19):
            factories.RecoveredItemFactory(weapon_model=factories.WeaponModelFactory())

    response = _assert_constant_queries(admin_client, url, add_rows, django_assert_num_queries, 20)
    counts = {w.designation: w.item_count for w in response.context["cl"].result_list}
    assert counts["ISKANDER-TEST"] == 3


def test_finding_changelist_in_constant_queries(admin_client, django_assert_num_queries):
    url = reverse("admin:provenance_finding_changelist")
    factories.FindingFactory(part=factories.PartFactory())

    def add_rows():
        for _ in range(19):
            maker = factories.ManufacturerFactory()
            factories.FindingFactory(manufacturer=maker, part=factories.PartFactory(manufacturer=maker))

    _assert_constant_queries(admin_client, url, add_rows, django_assert_num_queries, 20)


def test_item_change_page_queries_do_not_grow_with_its_lines(admin_client, django_assert_num_queries):
    item = factories.RecoveredItemFactory(reference="KYIV-LINES")

    def add_line():
        maker = factories.ManufacturerFactory()
        part = factories.PartFactory(manufacturer=maker, category=factories.CategoryFactory())
        factories.FindingFactory(item=item, part=part, manufacturer=maker, category=part.category)

    add_line()
    url = reverse("admin:provenance_recovereditem_change", args=[item.pk])
    admin_client.get(url)  # warm per-process caches (content types) so both counts compare like with like
    with CaptureQueriesContext(connection) as one_line:
        assert admin_client.get(url).status_code == 200
    for _ in range(19):
        add_line()
    with django_assert_num_queries(len(one_line)):
        response = admin_client.get(url)
    # Each line's part number and autocompletes are still labelled with the part, maker and category.
    text = page_text(response)
    last = item.findings.order_by("line_no").last()
    assert f'value="{last.part.part_number}"' in text
    assert f'<option value="{last.manufacturer_id}" selected>{last.manufacturer}</option>' in text
    assert f'<option value="{last.category_id}" selected>{last.category}</option>' in text


# --- search and filters ----------------------------------------------------------------------------------


@pytest.fixture
def two_items(db, texas):
    iskander = factories.WeaponModelFactory(designation="9M727")
    kalibr = factories.WeaponModelFactory(designation="3M14")
    a = factories.RecoveredItemFactory(reference="KYIV-A", weapon_model=iskander, serial_number="SN-0042")
    b = factories.RecoveredItemFactory(reference="ODESA-B", weapon_model=kalibr, status="draft", tlp="RED")
    b.recovered_on = b.recovered_on.replace(year=2022)
    b.save()
    part = factories.PartFactory(manufacturer=texas, part_number="TMS320F28335")
    factories.FindingFactory(item=a, part=part, manufacturer=texas, marking="TI 2235 F28335", quantity=2)
    factories.FindingFactory(item=a, manufacturer=texas, quantity=3)
    factories.FindingFactory(item=b, manufacturer=None, country="RU", marking="1526LE5", quantity=4)
    return a, b


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "KYIV-A"}, ["KYIV-A"]),
        ({"q": "SN-0042"}, ["KYIV-A"]),
        ({"q": "TMS320"}, ["KYIV-A"]),
        ({"q": "1526LE5"}, ["ODESA-B"]),
        ({"q": "Texas"}, ["KYIV-A"]),
        ({"country": "RU"}, ["ODESA-B"]),
        ({"country": "US"}, ["KYIV-A"]),
        ({"status__exact": "draft"}, ["ODESA-B"]),
        ({"tlp__exact": "RED"}, ["ODESA-B"]),
        ({"recovered_year": "2022"}, ["ODESA-B"]),
        ({"recovered_year": "2025"}, ["KYIV-A"]),
    ],
)
def test_item_search_and_filters(admin_client, two_items, params, expected):
    response = admin_client.get(reverse("admin:provenance_recovereditem_changelist"), params)
    assert sorted(i.reference for i in response.context["cl"].result_list) == expected


def test_filter_by_weapon_model(admin_client, two_items):
    a, _ = two_items
    response = admin_client.get(
        reverse("admin:provenance_recovereditem_changelist"), {"weapon_model__id__exact": a.weapon_model_id}
    )
    assert [i.reference for i in response.context["cl"].result_list] == ["KYIV-A"]


def test_search_on_findings_does_not_inflate_counts(admin_client, two_items):
    # "Texas" matches two lines of KYIV-A: the row must still show 2 findings and 5 units.
    response = admin_client.get(reverse("admin:provenance_recovereditem_changelist"), {"q": "Texas"})
    [row] = response.context["cl"].result_list
    assert (row.finding_count, row.unit_count) == (2, 5)


# --- summary and history ---------------------------------------------------------------------------------


def test_change_page_shows_the_country_summary(admin_client, weapon):
    item = factories.RecoveredItemFactory(reference="KYIV-2025", weapon_model=weapon)
    for country, quantity in [("US", 35), ("RU", 57), ("BY", 5), ("JP", 1), ("GB", 1), ("CH", 1)]:
        maker = factories.ManufacturerFactory(name=f"Maker in {country}", country=country)
        factories.FindingFactory(item=item, manufacturer=maker, quantity=quantity)
    response = admin_client.get(reverse("admin:provenance_recovereditem_change", args=[item.pk]))
    assert "RU 57 · US 35 · BY 5 · CH 1 · GB 1 · JP 1, 100 units" in page_text(response)


def test_history_page_shows_a_change_and_who_made_it(admin_client, weapon):
    item = factories.RecoveredItemFactory(reference="KYIV-2025", weapon_model=weapon, status="draft", place="Kyiv")
    # The status is read-only in the form (it moves through the review actions): the posted one is ignored.
    data = item_post(weapon, reference="KYIV-2025", status="verified", place="Odesa", owner=str(item.owner_id))
    response = admin_client.post(reverse("admin:provenance_recovereditem_change", args=[item.pk]), data)
    assert response.status_code == 302, page_text(response)
    item.refresh_from_db()
    assert (item.place, item.status) == ("Odesa", "draft")
    response = admin_client.get(reverse("admin:provenance_recovereditem_history", args=[item.pk]))
    text = page_text(response)
    assert "Changed" in text
    assert "analyst" in text
    assert "Odesa" in text


def test_demo_2025_sample_shows_100_units_35_of_them_us(admin_client):
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    item = RecoveredItem.objects.get(reference="UA-2025-9M727-SAMPLE")
    response = admin_client.get(reverse("admin:provenance_recovereditem_change", args=[item.pk]))
    assert "RU 57 · US 35 · BY 5 · CH 1 · GB 1 · JP 1, 100 units" in page_text(response)
    listing = admin_client.get(reverse("admin:provenance_recovereditem_changelist"), {"q": "UA-2025-9M727"})
    [row] = listing.context["cl"].result_list
    assert row.unit_count == 100


def test_strike_with_more_intercepted_than_launched_shows_the_constraint_message(admin_client):
    data = {
        "occurred_on": "2025-09-07",
        "place": "Kyiv",
        "description": "",
        "launched_summary": "605 drones and 13 missiles",
        "launched_count": "618",
        "intercepted_count": "700",
    }
    response = admin_client.post(reverse("admin:provenance_strike_add"), data)
    assert response.status_code == 200
    assert "More intercepted than launched." in page_text(response)


def test_a_part_number_the_catalogue_holds_under_one_maker_gives_the_line_that_maker(admin_client, weapon, texas):
    # As in the import: with no maker chosen, the one maker the catalogue holds the number under.
    part = factories.PartFactory(manufacturer=texas, part_number="TPS54331")
    response = admin_client.post(reverse(ADD_URL), item_post(weapon, {"part_number": "tps 54331"}))
    assert response.status_code == 302, page_text(response)
    line = Finding.objects.get()
    assert (line.part, line.manufacturer, line.country.code) == (part, texas, "US")
