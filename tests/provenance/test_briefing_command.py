"""`manage.py briefing`: writes the file asked for, records the report, rejects bad options."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from provenance.models import BriefingReport
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    weapon = f.WeaponModelFactory(designation="9M727", name="Iskander-K", origin_country="RU")
    f.WeaponAliasFactory(weapon_model=weapon, alias="Iskander-K")
    item = f.RecoveredItemFactory(reference="ISK-1", weapon_model=weapon, tlp="AMBER+STRICT")
    f.FindingFactory(item=item, manufacturer=f.ManufacturerFactory(name="Analog Devices", country="US"), quantity=35)
    f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=57)
    return item


def test_command_writes_a_pdf(world, tmp_path):
    out = tmp_path / "out.pdf"
    stdout = io.StringIO()
    call_command("briefing", "--weapon", "Iskander-K", "--format", "pdf", "-o", str(out), stdout=stdout)
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "92 component units in 1 recovered item" in text
    assert all("TLP:AMBER+STRICT" in page.extract_text() for page in reader.pages)
    report = BriefingReport.objects.get()
    assert report.pdf_sha256 in stdout.getvalue() and report.data_digest in stdout.getvalue()
    assert not report.html and not report.csv


def test_command_writes_csv_and_html(world, tmp_path):
    call_command("briefing", "--weapon", "9M727", "--foreign-only", "--format", "csv", "-o", str(tmp_path / "b.csv"))
    text = (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    assert "US,United States,35,1.0" in text  # foreign only: the 57 Russian parts are left out
    call_command(
        "briefing",
        "--item",
        "ISK-1",
        "--note",
        "=cmd|' /C calc'!A0",
        "--format",
        "html",
        "-o",
        str(tmp_path / "b.html"),
    )
    html = (tmp_path / "b.html").read_text()
    assert "TLP:AMBER+STRICT" in html and "=cmd|&#x27; /C calc&#x27;!A0" in html
    assert BriefingReport.objects.count() == 2


def test_command_rejects_unknown_weapon(world, tmp_path):
    with pytest.raises(CommandError, match="--weapon: No weapon model or alias"):
        call_command("briefing", "--weapon", "9M999", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
    assert not BriefingReport.objects.exists()
