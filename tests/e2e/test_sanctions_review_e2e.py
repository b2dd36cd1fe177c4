"""End to end in a real browser: the sanctions match review queue. An analyst sees the matcher's candidates with
their score and reasons, confirms one and rejects another; the decisions show with who and when, and a
re-import of the list and a re-run of the matcher keep them."""

from pathlib import Path

from manufacturers.models import SanctionMatch
from manufacturers.sanctions.importing import sanctions_list_import
from manufacturers.sanctions.matches import sanction_matches_propose
from provenance.roles import roles_sync
from tests import factories
from tests.e2e.test_admin_e2e import SCREENSHOT, browser_page, pytestmark  # noqa: F401
from tests.e2e.test_review_e2e import log_in, staff_with_role

LIST = Path(__file__).resolve().parents[2] / "manufacturers" / "data" / "sanctions" / "eu-833-annex-iv-electronics.csv"
QUEUE = "/admin/manufacturers/sanctionmatch/"


def _import_and_match() -> None:
    with LIST.open("rb") as stream:
        sanctions_list_import(stream=stream, file_name=LIST.name)
    sanction_matches_propose()


def _row(page, text: str):
    return page.locator("#result_list tbody tr", has_text=text)


def _act(page, row_text: str, action: str) -> str:
    _row(page, row_text).locator("input.action-select").check()
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    return page.locator(".messagelist .success").inner_text()


def test_an_analyst_confirms_and_rejects_candidates_and_a_reimport_keeps_them(live_server, browser_page):  # noqa: F811
    page = browser_page
    roles_sync()  # a transactional test starts from a flushed database
    staff_with_role("olena", "analyst")
    angstrem = factories.ManufacturerFactory(name="Angstrem", country="RU")
    angstrem.identifiers.create(kind="innCode", value="7735010706")
    factories.ManufacturerFactory(name="Mikron", country="RU")
    _import_and_match()
    base = live_server.url

    log_in(page, base, "olena")
    page.goto(f"{base}{QUEUE}")
    angstrem_row = _row(page, "Angstrem JSC").inner_text()
    assert "1.0" in angstrem_row and "INN 7735010706 = listed INN 7735010706" in angstrem_row
    look_alike = _row(page, "LLC Mikrosan").inner_text()  # another company of Annex IV
    score = SanctionMatch.objects.get(listed_entity__caption="LLC Mikrosan").score
    assert str(score) in look_alike and "names differ: not a strong match" in look_alike

    assert _act(page, "Angstrem JSC", "confirm") == "1 match confirmed."
    assert _act(page, "LLC Mikrosan", "reject") == "1 match rejected."
    assert _row(page, "Angstrem JSC").count() == 0 and _row(page, "LLC Mikrosan").count() == 0  # left the queue

    def decided_rows() -> dict[str, str]:
        page.goto(f"{base}{QUEUE}?decision=all")
        return {caption: _row(page, caption).inner_text() for caption in ("Angstrem JSC", "LLC Mikrosan")}

    decided = decided_rows()
    for caption, decision in (("Angstrem JSC", "confirmed"), ("LLC Mikrosan", "rejected")):
        match = SanctionMatch.objects.get(listed_entity__caption=caption)
        assert (match.decision, match.decided_by.username, match.decided_via) == (decision, "olena", "admin")
        assert decision in decided[caption] and "olena" in decided[caption]
        assert str(match.decided_at.year) in decided[caption]
    page.screenshot(path=str(SCREENSHOT.with_name(SCREENSHOT.stem + "-sanctions.png")), full_page=True)

    _import_and_match()  # the list again, and the matcher again
    assert decided_rows() == decided
    page.goto(f"{base}{QUEUE}")
    assert _row(page, "Angstrem JSC").count() == 0 and _row(page, "LLC Mikrosan").count() == 0
