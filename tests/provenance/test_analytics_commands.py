"""`manage.py breakdown`, `shift` and `produced_after`: the numbers on the demo data, formats, errors."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from provenance.selectors.analytics import AnalyticsFilters, breakdown
from tests import factories as f

pytestmark = pytest.mark.django_db

SAMPLE_2025 = "UA-2025-9M727-SAMPLE"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def test_breakdown_of_the_2025_9m727_sample_on_the_demo_data(demo):
    result = json.loads(run("breakdown", "--item", SAMPLE_2025, "--format", "json"))
    assert {r["key"]: r["count"] for r in result["rows"]} == {
        "US": 35,
        "RU": 57,
        "BY": 5,
        "JP": 1,
        "GB": 1,
        "CH": 1,
    }
    assert result["total"] == 100
    assert result["filters"] == {"item": SAMPLE_2025}
    foreign = json.loads(run("breakdown", "--item", SAMPLE_2025, "--foreign-only", "--format", "json"))
    assert foreign["total"] == 43 and foreign["foreign_only"] is True


def test_breakdown_by_weapon_alias_and_date_range_on_the_demo_data(demo):
    from provenance.models import RecoveredItem, WeaponAlias

    sample = RecoveredItem.objects.get(reference=SAMPLE_2025)
    alias = WeaponAlias.objects.filter(weapon_model=sample.weapon_model).first()
    weapon = alias.alias if alias else sample.weapon_model.designation
    day = sample.recovered_on.isoformat()
    result = json.loads(run("breakdown", "--weapon", weapon, "--from", day, "--to", day, "--format", "json"))
    assert result["total"] == 100
    assert result["rows"][0] == {"key": "RU", "label": "Russia", "count": 57, "share": 0.57}
    assert result["rows"][1] == {"key": "US", "label": "United States", "count": 35, "share": 0.35}
    foreign = json.loads(
        run("breakdown", "--weapon", "9M727", "--from", day, "--to", day, "--foreign-only", "--format", "json")
    )
    assert foreign["total"] == 43


def test_shift_on_the_demo_data_shows_fewer_us_parts_in_2025(demo):
    result = json.loads(run("shift", "--weapon", "9M727", "--format", "json"))
    us = next(r for r in result["rows"] if r["key"] == "US")
    assert us["counts"]["2025"] == 35
    assert us["shares"]["2025"] == 0.35
    assert us["change_pp"]["2025"] < 0


def test_table_output_states_the_counting_rule_and_the_total():
    item = f.RecoveredItemFactory(reference="T-1")
    f.FindingFactory(item=item, manufacturer=None, country="US", quantity=3)
    f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=1)

    text = run("breakdown", "--item", "T-1")

    first = text.splitlines()[0]
    assert "unit: component units" in first
    assert "attribution: maker's HQ country" in first
    assert "denominator: all findings, total 4" in first
    assert "filters: item=T-1" in first
    assert any(line.split()[:2] == ["US", "United"] and "75.0%" in line for line in text.splitlines())


def test_json_output_is_the_selector_result():
    f.FindingFactory(manufacturer=None, country="JP", quantity=2)
    assert json.loads(run("breakdown", "--by", "manufacturer", "--format", "json")) == breakdown(
        filters=AnalyticsFilters(), by="manufacturer"
    )


def test_csv_output_is_formula_safe_and_keeps_the_rule():
    evil = f.ManufacturerFactory(name='=HYPERLINK("http://x")', country="US")
    f.FindingFactory(manufacturer=evil, quantity=2)
    f.FindingFactory(manufacturer=None, country="RU", quantity=1)

    rows = list(csv.reader(io.StringIO(run("breakdown", "--by", "manufacturer", "--format", "csv"))))

    assert rows[0][0].startswith("# by: manufacturer")
    assert rows[1] == ["key", "label", "count", "share"]
    assert rows[2] == ['\'=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")', "2", "0.6667"]
    assert rows[3] == ["", "unknown", "1", "0.3333"]


def test_shift_csv_has_counts_shares_and_change_per_year():
    import datetime as dt

    for year, us, ru in [(2022, 3, 1), (2025, 1, 3)]:
        item = f.RecoveredItemFactory(recovered_on=dt.date(year, 6, 1))
        f.FindingFactory(item=item, manufacturer=None, country="US", quantity=us)
        f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=ru)

    rows = list(csv.reader(io.StringIO(run("shift", "--format", "csv"))))

    assert "period: year recovered" in rows[0][0]
    header = rows[1]
    assert header[:5] == ["key", "label", "2022 count", "2022 share", "2022 change_pp"]
    body = {r[0]: dict(zip(header, r, strict=True)) for r in rows[2:]}
    assert body["US"]["2025 change_pp"] == "-50.0"
    assert body["RU"]["2025 share"] == "0.75"


def test_produced_after_option_and_command():
    f.FindingFactory(manufacturer=None, country="US", quantity=2, produced_year=2023, produced_week=10)
    f.FindingFactory(manufacturer=None, country="US", quantity=1, produced_year=2021, produced_week=10)
    f.FindingFactory(manufacturer=None, country="RU", quantity=5)

    result = json.loads(run("breakdown", "--produced-after", "2022-02-24", "--format", "json"))
    assert (result["dated"], result["produced_after"], result["undated"]) == (3, 2, 5)
    again = json.loads(run("produced_after", "--format", "json"))
    assert again == result
    later = json.loads(run("produced_after", "--produced-after", "2023-12-31", "--format", "json"))
    assert later["produced_after"] == 0


def test_invalid_options_give_per_field_errors():
    with pytest.raises(CommandError) as error:
        run("breakdown", "--weapon", "no-such-missile", "--from", "2025-13-01")
    message = str(error.value)
    assert "--weapon: No weapon model or alias" in message
    assert "--from: Enter a valid date." in message
    with pytest.raises(CommandError, match="--to: The end date is before the start date"):
        run("shift", "--from", "2025-01-01", "--to", "2024-01-01")
