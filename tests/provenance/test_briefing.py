"""Briefing reports: what the reader sees in the HTML, PDF and CSV, and the digest that pins the data."""

import csv
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from provenance.briefings.context import briefing_context
from provenance.briefings.data import briefing_data
from provenance.briefings.exports import write_csv
from provenance.briefings.params import BriefingParams
from provenance.briefings.render import render_html, render_pdf
from provenance.models import BriefingReport
from provenance.services.briefings import briefing_request
from tests import factories as f

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def csv_text(data) -> str:
    """The briefing's CSV as the partner's spreadsheet reads it."""
    buffer = io.BytesIO()
    write_csv(data, buffer)
    return buffer.getvalue().decode("utf-8-sig")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    """9M727 items in 2022 (TLP:CLEAR) and 2025 (TLP:AMBER), and a Kh-101 item (TLP:RED) that a 9M727
    briefing must leave out. 9M727: US 4 (TI 3 made 2023, Altera 1), RU 6, JP 1 = 11 units."""
    owner = f.InternalOrganisationFactory()
    iskander = f.WeaponModelFactory(designation="9M727", name="Iskander-K", origin_country="RU")
    kh101 = f.WeaponModelFactory(designation="Kh-101", name="Kh-101", family="Kh", origin_country="RU")
    ti = f.ManufacturerFactory(name="Texas Instruments", country="US")
    altera = f.ManufacturerFactory(name="Altera", country="US")
    intel = f.ManufacturerFactory(name="Intel", country="US")
    f.OwnershipFactory(parent=intel, child=altera, start_on=dt.date(2015, 12, 28))
    fujitsu = f.ManufacturerFactory(name="Fujitsu", country="JP")
    mikron = f.ManufacturerFactory(name="Mikron", country="RU")
    huawei = f.ManufacturerFactory(name="HiSilicon", country="CN")
    tier1 = f.HSCodeFactory(code="854231", chpl_tier="1")
    mcu = f.CategoryFactory(name="microcontroller", hs_code=tier1)
    early = f.RecoveredItemFactory(
        reference="UA-2022-ISK", weapon_model=iskander, recovered_on=dt.date(2022, 4, 1), tlp="CLEAR", owner=owner
    )
    late = f.RecoveredItemFactory(
        reference="UA-2025-ISK",
        weapon_model=iskander,
        recovered_on=dt.date(2025, 9, 8),
        tlp="AMBER",
        owner=owner,
        place=f"Kyiv {SCRIPT}",
    )
    other = f.RecoveredItemFactory(
        reference="UA-2024-KH", weapon_model=kh101, recovered_on=dt.date(2024, 1, 2), tlp="RED", owner=owner
    )
    source = f.SourceFactory(publisher="Kyiv Independent", title="Vlasiuk: components of the 9M727")
    late.sources.add(source)
    f.FindingFactory(
        item=early, manufacturer=ti, quantity=3, date_code="2305", produced_year=2023, produced_week=5, category=mcu
    )
    f.FindingFactory(item=early, manufacturer=mikron, quantity=2)
    f.FindingFactory(item=early, manufacturer=fujitsu, quantity=1, produced_year=2021, produced_week=1)
    f.FindingFactory(item=late, manufacturer=altera, quantity=1, marking=f'=HYPERLINK("http://x") {SCRIPT}')
    f.FindingFactory(item=late, manufacturer=None, country="RU", quantity=4, module="+GNSS")
    f.FindingFactory(item=other, manufacturer=huawei, quantity=10)
    return {"iskander": iskander, "early": early, "late": late, "other": other, "altera": altera}


def test_data_counts_only_the_selection(world):
    data = briefing_data(params=BriefingParams(weapon="9M727"))
    country = {r["key"]: r["count"] for r in data.tables["country"]["rows"]}
    assert country == {"US": 4, "RU": 6, "JP": 1}
    assert data.key_figures["total"] == 11
    assert data.key_figures["foreign"] == 5
    assert data.items_total == 2
    assert data.annex_total == 5
    assert {row["item__reference"] for row in data.annex} == {"UA-2022-ISK", "UA-2025-ISK"}
    assert data.tlp == "AMBER"  # the highest of CLEAR and AMBER; the RED Kh-101 item is not included
    parents = {r["key"]: r["count"] for r in data.tables["parent"]["rows"]}
    assert parents["Intel"] == 1 and "Altera" not in parents
    assert data.tables["produced_after"]["produced_after"] == 3  # TI parts made in week 5 of 2023


def test_date_range_and_chosen_items_narrow_the_counts(world):
    recent = briefing_data(params=BriefingParams(weapon="9M727", date_from=dt.date(2025, 1, 1)))
    assert {r["key"]: r["count"] for r in recent.tables["country"]["rows"]} == {"RU": 4, "US": 1}
    assert recent.tlp == "AMBER" and recent.items_total == 1

    chosen = briefing_data(params=BriefingParams(items=("UA-2022-ISK", "UA-2024-KH")))
    assert {r["key"]: r["count"] for r in chosen.tables["country"]["rows"]} == {"CN": 10, "US": 3, "RU": 2, "JP": 1}
    assert chosen.tlp == "RED"


def test_partner_report_counts_only_what_the_partner_may_see(world):
    partner = f.OrganisationFactory(name="Partner ministry")
    data = briefing_data(params=BriefingParams(weapon="9M727"), organisation=partner)
    # The AMBER item is not shared with the partner: only the CLEAR 2022 item counts.
    assert data.key_figures["total"] == 6
    assert data.tlp == "CLEAR"
    assert [row["reference"] for row in data.items] == ["UA-2022-ISK"]

    world["late"].shared_with.add(partner)
    assert briefing_data(params=BriefingParams(weapon="9M727"), organisation=partner).key_figures["total"] == 11


def test_digest_is_stable_and_changes_when_a_finding_changes(world):
    params = BriefingParams(weapon="9M727", title="First")
    first = briefing_data(params=params).digest
    assert len(first) == 64
    assert briefing_data(params=BriefingParams(weapon="9M727", title="Renamed", note="words")).digest == first

    finding = world["late"].findings.get(quantity=4)
    finding.quantity = 5
    finding.save()
    changed = briefing_data(params=params).digest
    assert changed != first

    # Saving a finding with the same values still marks a change (its last-change time moved).
    finding.save()
    assert briefing_data(params=params).digest != changed


def test_digest_ignores_findings_outside_the_selection(world):
    before = briefing_data(params=BriefingParams(weapon="9M727")).digest
    world["other"].findings.update(quantity=99)
    f.FindingFactory(item=world["other"], quantity=1)
    assert briefing_data(params=BriefingParams(weapon="9M727")).digest == before


def test_html_escapes_analyst_text(world):
    data = briefing_data(params=BriefingParams(weapon="9M727", title=f"Iskander {SCRIPT}", note=f"Note {SCRIPT}"))
    html = render_html(data)
    assert "<script" not in html
    assert html.count("&lt;script&gt;") >= 3  # title, note, place, marking: all shown as text
    assert "TLP:AMBER" in html
    assert html.count('class="tlp-banner') == 2  # top and bottom


def test_csv_is_formula_safe_and_complete(world):
    data = briefing_data(params=BriefingParams(weapon="9M727"))
    rows = list(csv.reader(io.StringIO(csv_text(data))))
    cells = [cell for row in rows for cell in row]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(c)]
    assert dangerous == []
    assert "-30.0" in cells  # a negative change in share stays a number (it is data, not a formula)
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert "'+GNSS" in cells
    annex_start = next(i for i, row in enumerate(rows) if row and row[0] == "Annex: every finding")
    annex = [row for row in rows[annex_start + 2 :] if row]
    assert len(annex) == 5
    assert ["US", "United States", "4", "0.3636"] in rows


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_annex_is_capped_in_html_but_complete_in_csv(world, settings):
    settings.BRIEFING_ANNEX_LIMIT = 2
    data = briefing_data(params=BriefingParams(weapon="9M727"))
    assert len(data.annex) == 2
    html = render_html(data)
    assert "The first 2 of 5 teardown lines" in html
    annex_csv = csv_text(data).split("Annex: every finding")[1]
    assert len([line for line in annex_csv.strip().splitlines()[1:] if line.strip()]) == 5


def test_pdf_shows_the_tlp_label_on_every_page_and_the_counts(world):
    data = briefing_data(params=BriefingParams(weapon="9M727"))
    pdf = render_pdf(render_html(data))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    texts = [page.extract_text() for page in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert text.count("TLP:AMBER") >= 2, f"page {number} lacks the TLP label in header and footer"
        assert f"Page {number} of {len(texts)}" in text
    whole = "\n".join(texts)
    assert "11 component units in 2 recovered items" in whole
    assert "United States" in whole and "36.4%" in whole  # US 4 of 11
    assert "UA-2025-ISK" in whole and "Kh-101" not in whole


def test_request_renders_all_formats_and_keeps_the_record(world, staff_user):
    report = briefing_request(params=BriefingParams(weapon="9M727"), requested_by=staff_user)
    report.refresh_from_db()
    assert report.state == BriefingReport.State.DONE, report.error
    assert report.tlp == "AMBER"
    assert report.requested_by == staff_user
    assert report.parameters["weapon"] == "9M727"
    assert report.finished_at is not None and report.task_id
    for fmt in ("html", "pdf", "csv"):
        content = getattr(report, fmt).read()
        import hashlib

        assert hashlib.sha256(content).hexdigest() == getattr(report, f"{fmt}_sha256")
    assert report.pdf.open("rb").read(5) == b"%PDF-"

    again = briefing_request(params=BriefingParams(weapon="9M727"), formats=["csv"])
    assert again.data_digest == report.data_digest
    assert again.csv_sha256 == report.csv_sha256  # unchanged data, identical CSV
    assert not again.pdf


def test_a_failed_render_is_recorded(world, monkeypatch):
    def broken(html):
        raise RuntimeError("no fonts today")

    monkeypatch.setattr("provenance.services.briefings.render_pdf", broken)
    report = briefing_request(params=BriefingParams(weapon="9M727"))
    assert report.state == BriefingReport.State.FAILED
    assert "no fonts today" in report.error
    assert report.finished_at is not None


def test_long_country_table_folds_the_tail_into_one_row(db):
    weapon = f.WeaponModelFactory(designation="Geran-2", origin_country="RU")
    item = f.RecoveredItemFactory(reference="G2-1", weapon_model=weapon)
    codes = ["US", "CN", "JP", "DE", "CH", "GB", "FR", "NL", "KR", "TW", "SE", "IT", "ES", "PL", "CZ", "AT"]
    codes += ["BE", "DK", "FI", "IE", "NO", "PT", "HU"]
    for n, code in enumerate(codes):
        f.FindingFactory(item=item, manufacturer=None, country=code, quantity=50 - n)
    data = briefing_data(params=BriefingParams(weapon="Geran-2"))
    context = briefing_context(data, charts=False)
    labels = [row["label"] for row in context["country_rows"]]
    assert len(labels) == 21 and labels[-1] == "other countries (3)"
    assert context["country_rows"][-1]["count"] == (50 - 20) + (50 - 21) + (50 - 22)
    assert sum(row["count"] for row in context["country_rows"]) == data.key_figures["total"]
