"""The shared analytics parameter form: what the commands, the admin page and the API accept."""

import datetime as dt

import pytest

from provenance.filters import AnalyticsParamsForm
from provenance.selectors.analytics import AnalyticsFilters
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_defaults_give_the_default_counting_rule():
    form = AnalyticsParamsForm({})
    assert form.is_valid(), form.errors
    assert form.breakdown_kwargs() == {
        "filters": AnalyticsFilters(),
        "by": "country",
        "attribution": "hq",
        "unit": "units",
        "foreign_only": False,
        "as_of": None,
    }
    assert form.shift_kwargs()["period"] == "recovered"
    assert form.produced_after_kwargs()["after"] == dt.date(2022, 2, 24)


def test_every_parameter_is_parsed():
    weapon = f.WeaponModelFactory(designation="9M727", family="Iskander")
    f.WeaponAliasFactory(weapon_model=weapon, alias="Iskander-K")
    f.RecoveredItemFactory(weapon_model=weapon, reference="REF-1")
    form = AnalyticsParamsForm(
        {
            "weapon": "Iskander-K",
            "family": "iskander",
            "item": "REF-1",
            "from": "2024-01-01",
            "to": "2025-12-31",
            "by": "chpl-tier",
            "attribution": "parent",
            "unit": "parts",
            "foreign_only": "true",
            "as_of": "2020-01-01",
            "period": "produced",
            "produced_after": "2023-01-01",
        }
    )
    assert form.is_valid(), form.errors
    kwargs = form.shift_kwargs()
    assert kwargs["filters"] == AnalyticsFilters(
        weapon="Iskander-K",
        family="iskander",
        item="REF-1",
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2025, 12, 31),
    )
    assert (kwargs["by"], kwargs["attribution"], kwargs["unit"], kwargs["period"]) == (
        "chpl-tier",
        "parent",
        "parts",
        "produced",
    )
    assert kwargs["foreign_only"] is True and kwargs["as_of"] == dt.date(2020, 1, 1)
    assert form.produced_after_kwargs()["after"] == dt.date(2023, 1, 1)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("on", True), ("yes", True), ("0", False), ("false", False)]
)
def test_foreign_only_accepts_query_string_booleans(value, expected):
    form = AnalyticsParamsForm({"foreign_only": value})
    assert form.is_valid()
    assert form.breakdown_kwargs()["foreign_only"] is expected


def test_errors_are_reported_per_field():
    form = AnalyticsParamsForm(
        {"weapon": "X-999", "family": "Nope", "item": "NO-SUCH", "by": "colour", "unit": "kg", "as_of": "soon"}
    )
    assert not form.is_valid()
    errors = form.error_dict()
    assert set(errors) == {"weapon", "family", "item", "by", "unit", "as_of"}
    assert errors["weapon"] == ["No weapon model or alias “X-999”."]
