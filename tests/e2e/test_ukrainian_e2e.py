"""End to end in Ukrainian: an analyst whose browser asks for Ukrainian enters a teardown (with a Ukrainian
country name), meets the error of a bad line in Ukrainian, issues a briefing in Ukrainian and switches the
admin to English with the header's switcher. Screenshots: E2E_UK_SCREENSHOTS (default /tmp/uk-e2e-*.png)."""

import os
from pathlib import Path

from provenance.models import BriefingReport, RecoveredItem
from tests import factories
from tests.e2e.test_admin_e2e import PASSWORD, browser_page, choose_autocomplete, pytestmark  # noqa: F401

SHOTS = Path(os.environ.get("E2E_UK_SCREENSHOTS", "/tmp"))


def test_a_ukrainian_analyst_works_in_ukrainian(live_server, browser_page):  # noqa: F811 - the fixture
    page = browser_page
    page.context.set_extra_http_headers({"Accept-Language": "uk-UA,uk;q=0.9"})
    factories.StaffUserFactory(username="analyst", password=PASSWORD)
    factories.InternalOrganisationFactory()
    factories.WeaponModelFactory(
        designation="9M727", name="Iskander-K", name_uk="«Іскандер-К», крилата ракета", origin_country="RU"
    )
    factories.ManufacturerFactory(name="Texas Instruments", country="US")

    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("input[type=submit]").get_attribute("value") == "Увійти"
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "Вилучені зразки" in page.locator("#content").inner_text()
    page.screenshot(path=str(SHOTS / "uk-e2e-index.png"), full_page=True)

    page.goto(f"{live_server.url}/admin/provenance/recovereditem/add/")
    assert page.locator("label[for=id_reference]").inner_text().startswith("Шифр")
    page.fill("#id_reference", "KYIV-E2E-UK")
    choose_autocomplete(page, ".field-weapon_model", "9M727")
    page.fill("#id_recovered_on", "2025-09-07")
    choose_autocomplete(page, "#findings-0 .field-manufacturer", "Texas Instruments")
    page.fill("#id_findings-0-quantity", "2")
    page.fill("#id_findings-1-country", "Марс")
    page.fill("#id_findings-1-quantity", "3")
    page.click("input[name=_continue]")
    error = page.locator("#findings-1 .errorlist").first.inner_text()
    assert "Невідома країна 'Марс'" in error, error
    page.screenshot(path=str(SHOTS / "uk-e2e-error.png"), full_page=True)

    page.fill("#id_findings-1-country", "Росія")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".field-component_summary .readonly").inner_text().strip() == "RU 3 · US 2, 5 одиниць"
    page.screenshot(path=str(SHOTS / "uk-e2e-item.png"), full_page=True)
    item = RecoveredItem.objects.get(reference="KYIV-E2E-UK")
    assert sorted((f.country.code, f.quantity) for f in item.findings.all()) == [("RU", 3), ("US", 2)]

    page.goto(f"{live_server.url}/admin/provenance/briefingreport/add/")
    assert page.locator("#id_language").input_value() == "uk"
    page.select_option("#id_weapon", "9M727")
    # The item is still a draft: count it with the working view, whose choice the analyst reads in Ukrainian.
    page.select_option("#id_status", "any")
    assert page.locator("#id_status option:checked").inner_text() == "робочий перегляд: усі статуси"
    page.uncheck("input[name=formats][value=pdf]")
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    report = BriefingReport.objects.get()
    assert report.state == BriefingReport.State.DONE, report.error
    page.goto(f"{live_server.url}/admin/provenance/briefingreport/{report.pk}/download/html/")
    body = page.locator("body").inner_text()
    assert "Санкційна аналітична довідка".upper() in body.upper() and "Виробники за країнами" in body
    assert "США" in body and "Росія" in body and "60,0%" in body
    page.screenshot(path=str(SHOTS / "uk-e2e-briefing.png"), full_page=True)

    page.goto(f"{live_server.url}/admin/")
    page.select_option("#language-select", "en")
    page.click("#language-switcher button")
    page.wait_for_selector("text=Recovered items")
    page.goto(f"{live_server.url}/admin/provenance/recovereditem/")
    assert "Select recovered item to change" in page.locator("#content").inner_text()
    page.screenshot(path=str(SHOTS / "uk-e2e-switched-to-english.png"))
