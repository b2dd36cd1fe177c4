"""End to end in a real browser: an analyst enters a teardown in the admin and sees the per-item summary.

Playwright (sync API) drives Debian's Chromium (`/usr/bin/chromium`; `playwright install` cannot download
browsers here). Skipped when Chromium is missing, unless REQUIRE_BROWSER=1, which turns the skip into a
failure so that CI cannot pass without having run it.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

from provenance.models import RecoveredItem
from tests import factories

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(os.environ.get("E2E_SCREENSHOT", "/tmp/admin-e2e.png"))
PASSWORD = "correct horse battery staple"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(monkeypatch):
    """A Chromium page, or a skip (a failure with REQUIRE_BROWSER=1) when no browser is installed."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and REQUIRE_BROWSER=1")
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls from it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            browser.close()
            # While that loop runs, Django keeps this thread's connections in a per-context store (asgiref's
            # Local sees a running loop), so the test's own queries opened a second connection that pytest-django
            # never sees. Close it here, inside the loop, or it keeps the test database from being dropped.
            connections.close_all()


def choose_autocomplete(page, container: str, text: str) -> None:
    """Pick `text` in the admin's autocomplete (select2) widget inside `container`."""
    page.locator(f"{container} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_analyst_enters_a_teardown_and_sees_the_summary(live_server, browser_page):
    page = browser_page
    factories.StaffUserFactory(username="analyst", password=PASSWORD)
    factories.InternalOrganisationFactory()
    factories.WeaponModelFactory(designation="9M727", name="Iskander-K")
    factories.ManufacturerFactory(name="Texas Instruments", country="US")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/provenance/recovereditem/add/")
    page.fill("#id_reference", "KYIV-E2E-1")
    choose_autocomplete(page, ".field-weapon_model", "9M727")
    page.fill("#id_recovered_on", "2025-09-07")
    page.fill("#id_place", "Kyiv")

    # Line 1: a Texas Instruments part, country left blank (filled from the maker); line 2: country only.
    choose_autocomplete(page, "#findings-0 .field-manufacturer", "Texas Instruments")
    page.fill("#id_findings-0-quantity", "2")
    page.fill("#id_findings-0-marking", "TI 2235")
    page.fill("#id_findings-1-country", "RU")
    page.fill("#id_findings-1-quantity", "3")

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    summary = page.locator(".field-component_summary .readonly")
    assert summary.inner_text().strip() == "RU 3 · US 2, 5 units"
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # The list shows the item with its line and unit counts.
    page.goto(f"{live_server.url}/admin/provenance/recovereditem/")
    row = page.locator("#result_list tbody tr", has_text="KYIV-E2E-1")
    assert row.locator("td.field-finding_count").inner_text() == "2"
    assert row.locator("td.field-unit_count").inner_text() == "5"
    page.screenshot(path=str(SCREENSHOT.with_name(SCREENSHOT.stem + "-list.png")))

    item = RecoveredItem.objects.get(reference="KYIV-E2E-1")
    assert sorted((f.country.code, f.quantity) for f in item.findings.all()) == [("RU", 3), ("US", 2)]
    assert item.owner.name == "Internal"
