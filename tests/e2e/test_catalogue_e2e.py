"""End to end in a real browser: a visitor walks the public catalogue (list → component → weapon) in Ukrainian
and in English, on a desktop and on a phone, and every page passes axe-core's automated accessibility check.

Chromium as in test_admin_e2e (Debian's `/usr/bin/chromium`). axe-core comes from the npm registry
(`npm install axe-core` into `.cache/axe`, done by .ci/run; AXE_JS points elsewhere). Without the browser
or axe the test is skipped, unless REQUIRE_BROWSER=1 (CI), which makes it fail. Screenshots are written to
E2E_SCREENSHOT_DIR (default /tmp/catalogue-e2e/).
"""

import datetime as dt
import os
from pathlib import Path

import pytest

from provenance.services.findings import evidence_file_store
from provenance.services.photos import evidence_public_set
from tests import factories
from tests.catalogue.world import build_world, upload
from tests.e2e import test_admin_e2e

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / ".cache/axe/node_modules/axe-core/axe.min.js"))
SHOTS = Path(os.environ.get("E2E_SCREENSHOT_DIR", "/tmp/catalogue-e2e"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
browser_page = test_admin_e2e.browser_page  # the Chromium page fixture, as the admin's walk uses it


@pytest.fixture
def axe_source() -> str:
    if not AXE_JS.exists():
        message = f"axe-core not found at {AXE_JS} (npm install --prefix .cache/axe axe-core)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and REQUIRE_BROWSER=1")
        pytest.skip(message)
    return AXE_JS.read_text()


def assert_accessible(page, axe_source: str) -> None:
    """axe-core's WCAG 2.1 A/AA rules and best practices: no violation on the page as shown."""
    # Evaluated through the DevTools protocol: the site's Content-Security-Policy (script-src 'self') rightly
    # blocks an injected inline <script>.
    page.evaluate(axe_source)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'best-practice']}})"
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert violations == [], page.url
    assert len(result["passes"]) > 10  # axe really ran its rules


def _world():
    world = build_world()
    photo = evidence_file_store(file=upload(), finding=world.public_finding, uploaded_by=None)
    evidence_public_set(evidence=photo, public=True)
    later = factories.RecoveredItemFactory(
        reference="ODESA-2026-01", weapon_model=world.public_item.weapon_model, recovered_on=dt.date(2026, 1, 10)
    )
    factories.FindingFactory(item=later, manufacturer=None, country="CN", quantity=3, marking="CN-PART")
    return world


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", {"list": "Components found in Russian weapons", "rule": "How this is counted"}),
        ("uk", {"list": None, "rule": None}),
    ],
)
def test_visitor_walks_list_component_weapon(live_server, browser_page, axe_source, language, texts):
    page = browser_page
    world = _world()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_extra_http_headers({"Accept-Language": "uk-UA,uk;q=0.9" if language == "uk" else "en-GB,en;q=0.9"})

    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/{language}/components/")
    assert page.locator("html").get_attribute("lang") == language
    if texts["list"]:
        assert page.locator("h1").inner_text() == texts["list"]
    assert page.locator("table.components tbody tr").count() == 3
    assert page.locator("table.components img").count() == 1  # the one public photo
    page.screenshot(path=str(SHOTS / f"list-{language}.png"), full_page=True)
    assert_accessible(page, axe_source)

    # Filter by the maker's country, as a visitor would: choose and submit.
    page.select_option("#id_country", "US")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**country=US**")
    assert page.locator("table.components tbody tr").count() == 1
    # Another order keeps the filter; the CSV link downloads the same selection.
    page.select_option("#id_sort", "maker")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**sort=maker**")
    assert page.locator("table.components tbody tr").count() == 1
    download = page.locator(".download a").get_attribute("href")
    assert "/components/export.csv?" in download and "country=US" in download and "sort=maker" in download
    assert_accessible(page, axe_source)

    page.locator("table.components tbody th a").first.click()
    page.wait_for_url(f"{live_server.url}/{language}/components/{world.public_finding.pk}/")
    assert "MAX2769 ETI 2235" in page.locator("main").inner_text()
    assert page.locator("table.others tbody tr").count() == 1  # the other line of the same sample
    assert page.locator(".gallery img").first.evaluate("img => img.complete && img.naturalWidth") > 0
    page.screenshot(path=str(SHOTS / f"component-{language}.png"), full_page=True)
    assert_accessible(page, axe_source)

    page.locator(".breadcrumbs a", has_text="9M727").click()
    page.wait_for_url(f"{live_server.url}/{language}/weapons/9M727/")
    assert page.locator("#by-country ~ div table tbody tr").count() == 3  # RU, CN, US
    if texts["rule"]:
        assert page.locator("div.rule h3").first.inner_text() == texts["rule"]
    assert page.locator("figure.chart img").first.evaluate("img => img.complete && img.naturalWidth") > 0
    page.screenshot(path=str(SHOTS / f"weapon-{language}.png"), full_page=True)
    assert_accessible(page, axe_source)

    # The language switcher keeps the page.
    other = "en" if language == "uk" else "uk"
    page.locator(f'.languages a[hreflang="{other}"]').click()
    page.wait_for_url(f"{live_server.url}/{other}/weapons/9M727/")

    # On a phone: the list's rows become cards, nothing is wider than the screen.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/{language}/components/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SHOTS / f"list-phone-{language}.png"), full_page=True)
    assert_accessible(page, axe_source)
