"""Invariants of the analytics on random small worlds: counts sum to the total, shares to 1, and the
breakdown of two disjoint sets of items adds up to the breakdown of their union."""

import datetime as dt
import functools
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance.models import RecoveredItem
from provenance.selectors.analytics import AnalyticsFilters, breakdown, shift
from tests import factories as f

pytestmark = pytest.mark.django_db

ALL = AnalyticsFilters()
COUNTRIES = ["US", "RU", "DE", "JP", None]
MODULES = ["", "GNSS", "seeker"]

line = st.fixed_dictionaries(
    {
        "item": st.integers(0, 3),
        "maker": st.integers(0, 3),  # 3 = no maker (country-only line)
        "part": st.integers(0, 2),  # 2 = no catalogued part
        "country": st.sampled_from(["US", "RU", "BY"]),
        "quantity": st.integers(1, 9),
        "year": st.one_of(st.none(), st.integers(2018, 2024)),
        "origin": st.sampled_from(COUNTRIES),
        "module": st.sampled_from(MODULES),
    }
)
world = st.lists(line, min_size=0, max_size=25)
option = st.fixed_dictionaries(
    {
        "by": st.sampled_from(["country", "manufacturer", "category", "chpl-tier", "module"]),
        "attribution": st.sampled_from(["hq", "parent", "origin"]),
        "unit": st.sampled_from(["units", "parts"]),
        "foreign_only": st.booleans(),
    }
)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def build(lines: list[dict]) -> list[RecoveredItem]:
    """Four items (two years, two weapon origins), four makers (one owned by another), two parts each."""
    tier = f.HSCodeFactory(code="854231", chpl_tier="1")
    category = f.CategoryFactory(name="microcontroller", hs_code=tier)
    makers = [
        f.ManufacturerFactory(name="Alpha", country="US"),
        f.ManufacturerFactory(name="Beta", country="RU"),
        f.ManufacturerFactory(name="Gamma", country="DE"),
    ]
    f.OwnershipFactory(parent=makers[2], child=makers[0], start_on=dt.date(2010, 1, 1))
    parts = [[f.PartFactory(manufacturer=m, category=category if i else None) for i in range(2)] for m in makers]
    russian = f.WeaponModelFactory(designation="9M727", origin_country="RU")
    iranian = f.WeaponModelFactory(designation="Shahed-136", origin_country="IR")
    items = [
        f.RecoveredItemFactory(weapon_model=russian if i % 2 else iranian, recovered_on=dt.date(2022 + i % 2, 5, 1))
        for i in range(4)
    ]
    for spec in lines:
        maker = makers[spec["maker"]] if spec["maker"] < 3 else None
        part = parts[spec["maker"]][spec["part"]] if maker and spec["part"] < 2 else None
        f.FindingFactory(
            item=items[spec["item"]],
            manufacturer=maker,
            part=part,
            country=maker.country if maker else spec["country"],
            category=part.category if part else None,
            quantity=spec["quantity"],
            produced_year=spec["year"],
            origin_country=spec["origin"] or "",
            module=spec["module"],
        )
    return items


def rolled_back(test):
    """Run each example in a transaction that is rolled back, so examples do not see each other's rows."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


@SETTINGS
@given(lines=world, options=option)
@rolled_back
def test_counts_sum_to_the_total_and_shares_to_one(lines, options):
    build(lines)
    result = breakdown(filters=ALL, **options)
    assert sum(row["count"] for row in result["rows"]) == result["total"]
    if result["total"]:
        assert abs(sum(row["share"] for row in result["rows"]) - 1) <= 0.0001 * len(result["rows"]) + 1e-9
    else:
        assert result["rows"] == []
    if options["unit"] == "units" and not options["foreign_only"]:
        assert result["total"] == sum(spec["quantity"] for spec in lines)


@SETTINGS
@given(lines=world, options=option, split=st.sets(st.integers(0, 3)))
@rolled_back
def test_breakdown_of_disjoint_item_sets_adds_up_to_that_of_their_union(lines, options, split):
    items = build(lines)
    left = RecoveredItem.objects.filter(pk__in=[items[i].pk for i in split])
    right = RecoveredItem.objects.filter(pk__in=[items[i].pk for i in range(4) if i not in split])

    def counts(qs):
        return Counter({row["key"]: row["count"] for row in breakdown(filters=ALL, items=qs, **options)["rows"]})

    union = counts(RecoveredItem.objects.all())
    assert counts(left) + counts(right) == union


@SETTINGS
@given(lines=world, options=option, period=st.sampled_from(["recovered", "produced"]))
@rolled_back
def test_shift_totals_and_shares_per_period(lines, options, period):
    build(lines)
    result = shift(filters=ALL, period=period, **options)
    for entry in result["periods"]:
        year = str(entry["period"])
        assert sum(row["counts"][year] for row in result["rows"]) == entry["total"]
        assert abs(sum(row["shares"][year] for row in result["rows"]) - 1) <= 0.0001 * len(result["rows"]) + 1e-9
    whole = breakdown(filters=ALL, **options)["total"]
    in_periods = sum(entry["total"] for entry in result["periods"]) + result["undated"]
    if options["unit"] == "units" or period == "recovered":
        assert in_periods == whole
    else:  # a part type dated in two years counts once per year
        assert in_periods >= whole
