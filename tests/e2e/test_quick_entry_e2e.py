"""End to end in a real browser: quick entry of a five-line teardown on the item's page, a new part number
included, without leaving the page; maker, country and category fill in; date codes are decoded as typed.
"""

import pytest
from playwright.sync_api import expect

from components.models import Part
from provenance.models import RecoveredItem
from tests import factories
from tests.e2e.test_admin_e2e import PASSWORD, browser_page, choose_autocomplete  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_enters_five_lines_with_a_new_part_number(live_server, browser_page):  # noqa: F811
    page = browser_page
    factories.StaffUserFactory(username="analyst", password=PASSWORD)
    factories.InternalOrganisationFactory()
    factories.WeaponModelFactory(designation="9M727", name="Iskander-K")
    texas = factories.ManufacturerFactory(name="Texas Instruments", country="US")
    factories.ManufacturerFactory(name="Analog Devices", country="US")
    microcontroller = factories.CategoryFactory(name="microcontroller")
    factories.PartFactory(manufacturer=texas, part_number="TMS320F28335", category=microcontroller)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/provenance/recovereditem/add/")
    page.fill("#id_reference", "KYIV-QUICK-1")
    choose_autocomplete(page, ".field-weapon_model", "9M727")
    page.fill("#id_recovered_on", "2025-09-07")
    page.fill("#id_place", "Kyiv")
    add_line = page.locator("#findings-group .add-row a")
    add_line.click()
    add_line.click()  # five blank lines

    # Line 1: a catalogue part typed as printed: maker, country and category fill in.
    page.fill("#id_findings-0-part_number", "tms320f28335")
    page.press("#id_findings-0-part_number", "Tab")
    expect(page.locator("#id_findings-0-country")).to_have_value("US")  # no eval: the admin's CSP forbids it
    assert "Texas Instruments" in page.locator("#findings-0 .field-manufacturer").inner_text()
    assert "microcontroller" in page.locator("#findings-0 .field-category").inner_text()
    page.fill("#id_findings-0-date_code", "2235")
    page.wait_for_selector("#findings-0 .date-decoded:has-text('2022, week 35')")

    # Line 2: a part number the catalogue does not hold, for a chosen maker: added on save.
    choose_autocomplete(page, "#findings-1 .field-manufacturer", "Analog Devices")
    expect(page.locator("#id_findings-1-country")).to_have_value("US")  # no eval: the admin's CSP forbids it
    page.fill("#id_findings-1-part_number", "ADXL-NEW-9")
    page.press("#id_findings-1-part_number", "Tab")
    page.wait_for_selector("#findings-1 .part-note:has-text('New part')")

    # Lines 3-5: a country only; a maker with a readable code; an unreadable code, flagged.
    page.fill("#id_findings-2-country", "RU")
    page.fill("#id_findings-2-quantity", "57")
    choose_autocomplete(page, "#findings-3 .field-manufacturer", "Texas Instruments")
    page.fill("#id_findings-4-country", "BY")
    page.fill("#id_findings-4-date_code", "99ZZ")
    page.wait_for_selector("#findings-4 .date-decoded.warn:has-text('unreadable')")

    # The entry table fits the page (no sideways scrolling of the whole page).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert "/change/" in page.url  # still on the item's page

    item = RecoveredItem.objects.get(reference="KYIV-QUICK-1")
    lines = list(item.findings.select_related("part", "manufacturer").order_by("line_no"))
    assert [(f.manufacturer.name if f.manufacturer else None, f.country.code, f.quantity) for f in lines] == [
        ("Texas Instruments", "US", 1),
        ("Analog Devices", "US", 1),
        (None, "RU", 57),
        ("Texas Instruments", "US", 1),
        (None, "BY", 1),
    ]
    assert lines[0].part.part_number == "TMS320F28335" and lines[0].category == microcontroller
    assert (lines[0].produced_year, lines[0].produced_week) == (2022, 35)
    assert Part.objects.get(part_number="ADXL-NEW-9").manufacturer.name == "Analog Devices"
    assert (lines[4].date_code, lines[4].produced_year) == ("99ZZ", None)
    # The read-only table lists the five lines, the unreadable code flagged.
    assert page.locator("table.findings-table tbody tr").count() == 5
    assert page.locator("table.findings-table .date-unreadable").count() == 1
    page.screenshot(path="/tmp/admin-quick-entry.png", full_page=True)
