"""match_sanctions on the real samples (imported by the project's importer) and the reference makers."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from manufacturers.models import ListedEntity, Manufacturer, SanctionMatch
from manufacturers.sanctions.importing import sanctions_list_import
from provenance.selectors.analytics import AnalyticsFilters
from provenance.selectors.sanctions import sanctions_coverage
from tests import factories

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "manufacturers" / "data" / "sanctions"
FILES = ["eu-269-annex-i-electronics-defence.csv", "eu-765-belarus-electronics-defence.csv",
         "eu-833-annex-iv-electronics.csv", "zala.entities.ftm.json", "us-csl-sample.csv"]  # fmt: skip


@pytest.fixture
def imported():
    for name in FILES:
        with (SAMPLES / name).open("rb") as stream:
            sanctions_list_import(stream=stream, file_name=name)
    call_command("load_reference", verbosity=0)
    return {m.name: m for m in Manufacturer.objects.filter(name__in=["Integral", "Mikron", "PA Strela"])}


def _matches(maker):
    return {m.listed_entity.caption: m for m in SanctionMatch.objects.filter(manufacturer=maker).select_related(
        "listed_entity")}  # fmt: skip


def test_real_lists_strong_matches_and_look_alikes(imported):
    out = StringIO()
    call_command("match_sanctions", "--confirm-strong", "--format", "json", stdout=out)
    candidates = json.loads(out.getvalue())["candidates"]
    assert candidates and all(0 <= c["score"] <= 1 for c in candidates)
    integral = _matches(imported["Integral"])
    strong = {caption for caption, m in integral.items() if m.strong}
    assert len(strong) == 2  # JSC Integral in 32014R0269 and in 32006R0765
    assert all(integral[c].decision == "confirmed" for c in strong)
    assert "Integral SPB" not in strong
    mikron = _matches(imported["Mikron"])
    assert mikron["Mikron JSC"].strong
    assert not any(m.strong for caption, m in mikron.items() if "Submikron" in caption)
    strela = _matches(imported["PA Strela"])
    assert {c for c, m in strela.items() if m.strong} == {
        "Production Association Strela",
        "JSC Production Association Strela",
    }
    for caption, match in strela.items():
        if "NPO" in caption.upper() or "ZVEZDA" in caption.upper():
            assert not match.strong and match.decision == "pending"


def test_decisions_survive_a_reimport_and_feed_the_coverage(imported, staff_user):
    call_command("match_sanctions", "--confirm-strong", stdout=StringIO())
    ids = set(ListedEntity.objects.values_list("pk", flat=True))
    decided = dict(SanctionMatch.objects.exclude(decision="pending").values_list("pk", "decision"))
    with (SAMPLES / FILES[0]).open("rb") as stream:
        summary = sanctions_list_import(stream=stream, file_name=FILES[0])
    assert summary.created == 0
    call_command("match_sanctions", "--confirm-strong", stdout=StringIO())
    assert set(ListedEntity.objects.values_list("pk", flat=True)) == ids
    assert dict(SanctionMatch.objects.filter(pk__in=decided).values_list("pk", "decision")) == decided
    item = factories.RecoveredItemFactory(reference="KYIV-2025-09-07-CAB")
    factories.FindingFactory(item=item, manufacturer=imported["Integral"], quantity=5)
    factories.FindingFactory(item=item, manufacturer=imported["PA Strela"], quantity=2)
    result = sanctions_coverage(filters=AnalyticsFilters(item=item.reference))
    rows = {r["key"]: r for r in result["rows"]}
    assert rows["Integral"]["listed_by"] == ["EU"]
    programmes = {(d["programme"], d["listed_on"], d["date_kind"]) for d in rows["Integral"]["designations"]}
    assert ("EU-UKR", "2025-02-24", "listing") in programmes
    assert "US" in rows["Integral"]["not_listed_by"]
    assert rows["PA Strela"]["listed_by"] == ["EU"]
