"""The briefing's "Sanctions status of the makers" in HTML, PDF and CSV."""

import datetime as dt
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from manufacturers.models import Designation, ListedEntity, SanctionMatch
from provenance.briefings.data import briefing_data
from provenance.briefings.exports import write_csv
from provenance.briefings.params import BriefingParams
from provenance.briefings.render import render_html, render_pdf
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed_world():
    weapon = factories.WeaponModelFactory(designation="9M727", origin_country="RU")
    item = factories.RecoveredItemFactory(reference="KYIV-2025-09-07-CAB", weapon_model=weapon)
    integral = factories.ManufacturerFactory(name="Integral", country="BY")
    ti = factories.ManufacturerFactory(name="Texas Instruments", country="US")
    # 2 units made in week 10 of 2025 (after 24 Feb 2025), 3 in 2024 (before)
    factories.FindingFactory(item=item, manufacturer=integral, quantity=2, produced_year=2025, produced_week=10)
    factories.FindingFactory(item=item, manufacturer=integral, quantity=3, produced_year=2024, produced_week=30)
    factories.FindingFactory(item=item, manufacturer=ti, quantity=7)
    entity = ListedEntity.objects.create(source_id="eu-integral", schema="Company", caption="JSC Integral", digest="d")
    Designation.objects.create(listed_entity=entity, authority="EU", program="EU-UKR", listed_on=dt.date(2025, 2, 24))
    Designation.objects.create(
        listed_entity=ListedEntity.objects.create(source_id="x", schema="Company", caption="X", digest="d"),
        authority="US", program="US-SDN", listed_on=None, date_kind="unknown",
    )  # fmt: skip
    SanctionMatch.objects.create(
        manufacturer=integral, listed_entity=entity, score=0.97, strong=True, decision="confirmed",
        decided_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    return BriefingParams(weapon="9M727", as_of=dt.date(2026, 12, 2))


def test_html_pdf_and_csv_carry_the_sanctions_section(listed_world):
    data = briefing_data(params=listed_world)
    html = render_html(data)
    assert "Sanctions status of the makers" in html
    assert "since 24 Feb 2025 (listing date)" in html
    assert "Integral (5): listed by EU since 24 Feb 2025 (listing date); not by US." in html
    assert 'Texas Instruments <span class="code">US</span>: 7 component units' in html
    assert "Integral: 2 of 5 dated parts produced after 24 Feb 2025, the listing date of its EU designation" in html
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(html))).pages)
    assert "Sanctions status of the makers" in pdf_text
    buffer = io.BytesIO()
    write_csv(data, buffer)
    csv_text = buffer.getvalue().decode("utf-8-sig")
    assert "Sanctions status of the makers" in csv_text
    assert "Integral,Integral,BY,5,since 2025-02-24 (listing date),—,EU,US" in csv_text
    assert "Integral,EU,EU-UKR,2025-02-24,listing,match,5,0,2" in csv_text


def test_the_digest_covers_the_sanctions_status(listed_world):
    before = briefing_data(params=listed_world).digest
    SanctionMatch.objects.update(decision="rejected")
    assert briefing_data(params=listed_world).digest != before


def test_the_ukrainian_briefing_words_date_kinds_and_dates_in_ukrainian(listed_world):
    with translation.override("uk"):
        html = render_html(briefing_data(params=listed_world))
    assert "Integral (5): у списках — EU з 24 лютого 2025 (вид дати: внесення до списку); не в списках — US." in html
    assert "(вид дати: listing)" not in html and "2025-02-24" not in html
