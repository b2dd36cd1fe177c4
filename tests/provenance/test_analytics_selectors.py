"""Breakdowns, shifts and production-date evidence on small worlds with hand-computed expectations."""

import datetime as dt

import pytest

from provenance.selectors.analytics import (
    AnalyticsFilters,
    breakdown,
    counting_rule,
    produced_after,
    shift,
    ultimate_parents,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

ALL = AnalyticsFilters()


def counts(result: dict) -> dict:
    return {row["key"]: row["count"] for row in result["rows"]}


@pytest.fixture
def chain():
    """Spansion -> Cypress (from 2015-03-12) -> Infineon (from 2020-04-16)."""
    infineon = f.ManufacturerFactory(name="Infineon", country="DE")
    cypress = f.ManufacturerFactory(name="Cypress", country="US")
    spansion = f.ManufacturerFactory(name="Spansion", country="US")
    f.OwnershipFactory(parent=cypress, child=spansion, start_on=dt.date(2015, 3, 12))
    f.OwnershipFactory(parent=infineon, child=cypress, start_on=dt.date(2020, 4, 16))
    return infineon, cypress, spansion


def test_weapon_filter_accepts_designation_or_alias_and_excludes_other_models():
    iskander = f.WeaponModelFactory(designation="9M727")
    f.WeaponAliasFactory(weapon_model=iskander, alias="Iskander-K")
    other = f.WeaponModelFactory(designation="Kh-101")
    f.FindingFactory(item=f.RecoveredItemFactory(weapon_model=iskander), quantity=4)
    f.FindingFactory(item=f.RecoveredItemFactory(weapon_model=other), quantity=7)

    for text in ("9M727", "9m727", "Iskander-K", " iskander-k "):
        assert breakdown(filters=AnalyticsFilters(weapon=text))["total"] == 4
    assert breakdown(filters=AnalyticsFilters(weapon="Kh-101"))["total"] == 7
    assert breakdown(filters=AnalyticsFilters(weapon="nothing"))["total"] == 0
    assert breakdown(filters=ALL)["total"] == 11


def test_family_item_and_date_filters():
    a = f.WeaponModelFactory(designation="9M727", family="Iskander")
    b = f.WeaponModelFactory(designation="9M723", family="Iskander")
    c = f.WeaponModelFactory(designation="Kh-101", family="Kh-101")
    early = f.RecoveredItemFactory(weapon_model=a, recovered_on=dt.date(2022, 4, 1), reference="EARLY")
    late = f.RecoveredItemFactory(weapon_model=b, recovered_on=dt.date(2025, 9, 7))
    f.FindingFactory(item=early, quantity=2)
    f.FindingFactory(item=late, quantity=3)
    f.FindingFactory(item=f.RecoveredItemFactory(weapon_model=c), quantity=5)

    assert breakdown(filters=AnalyticsFilters(family="iskander"))["total"] == 5
    assert breakdown(filters=AnalyticsFilters(item="EARLY"))["total"] == 2
    assert breakdown(filters=AnalyticsFilters(date_from=dt.date(2023, 1, 1)))["total"] == 8
    assert breakdown(filters=AnalyticsFilters(date_to=dt.date(2023, 1, 1)))["total"] == 2
    filters = AnalyticsFilters(family="Iskander", date_from=dt.date(2023, 1, 1), date_to=dt.date(2025, 12, 31))
    assert filters.as_dict() == {"family": "Iskander", "from": "2023-01-01", "to": "2025-12-31"}
    assert breakdown(filters=filters)["total"] == 3


def test_breakdown_by_country_sorted_by_count_then_key_with_shares():
    item = f.RecoveredItemFactory()
    for country, quantity in [("US", 35), ("RU", 57), ("BY", 5), ("JP", 1), ("GB", 1), ("CH", 1)]:
        f.FindingFactory(item=item, manufacturer=None, country=country, quantity=quantity)

    result = breakdown(filters=ALL)

    assert result["total"] == 100
    assert [(r["key"], r["count"], r["share"]) for r in result["rows"]] == [
        ("RU", 57, 0.57),
        ("US", 35, 0.35),
        ("BY", 5, 0.05),
        ("CH", 1, 0.01),
        ("GB", 1, 0.01),
        ("JP", 1, 0.01),
    ]
    assert result["rows"][0]["label"] == "Russia"
    assert {k: result[k] for k in ("by", "unit", "attribution", "foreign_only", "filters")} == {
        "by": "country",
        "unit": "units",
        "attribution": "hq",
        "foreign_only": False,
        "filters": {},
    }


def test_country_only_rows_count_under_their_country_and_under_unknown_manufacturer():
    ti = f.ManufacturerFactory(name="Texas Instruments", country="US")
    item = f.RecoveredItemFactory()
    f.FindingFactory(item=item, manufacturer=ti, quantity=2)
    f.FindingFactory(item=item, manufacturer=None, country="US", quantity=3)
    f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=4)

    assert counts(breakdown(filters=ALL)) == {"US": 5, "RU": 4}
    by_maker = breakdown(filters=ALL, by="manufacturer")
    assert counts(by_maker) == {None: 7, "Texas Instruments": 2}
    assert by_maker["rows"][0]["label"] == "unknown"
    assert counts(breakdown(filters=ALL, attribution="parent")) == {"US": 5, "RU": 4}


def test_parent_attribution_follows_a_two_level_chain_valid_on_the_reference_date(chain):
    infineon, cypress, spansion = chain
    item = f.RecoveredItemFactory()
    f.FindingFactory(item=item, manufacturer=spansion, quantity=3)
    f.FindingFactory(item=item, manufacturer=cypress, quantity=1)
    f.FindingFactory(item=item, manufacturer=infineon, quantity=2)

    today = breakdown(filters=ALL, attribution="parent")
    assert counts(today) == {"DE": 6}
    assert today["as_of"] == dt.date.today().isoformat()
    assert counts(breakdown(filters=ALL, by="manufacturer", attribution="parent")) == {"Infineon": 6}
    # In 2018 Cypress owned Spansion, but Infineon did not yet own Cypress.
    in_2018 = {"by": "manufacturer", "attribution": "parent", "as_of": dt.date(2018, 1, 1)}
    assert counts(breakdown(filters=ALL, **in_2018)) == {"Cypress": 4, "Infineon": 2}
    assert counts(breakdown(filters=ALL, attribution="parent", as_of=dt.date(2018, 1, 1))) == {"US": 4, "DE": 2}
    # Before 2015 nobody owned Spansion.
    in_2014 = breakdown(filters=ALL, by="manufacturer", attribution="parent", as_of=dt.date(2014, 1, 1))
    assert counts(in_2014) == {"Spansion": 3, "Infineon": 2, "Cypress": 1}
    # hq attribution ignores ownership.
    assert counts(breakdown(filters=ALL)) == {"US": 4, "DE": 2}


def test_ownership_starting_after_the_reference_date_or_ended_before_it_does_not_count():
    buyer = f.ManufacturerFactory(name="Buyer", country="JP")
    target = f.ManufacturerFactory(name="Target", country="US")
    sold = f.ManufacturerFactory(name="Sold", country="GB")
    f.OwnershipFactory(parent=buyer, child=target, start_on=dt.date(2030, 1, 1))
    f.OwnershipFactory(parent=buyer, child=sold, start_on=dt.date(2010, 1, 1), end_on=dt.date(2019, 12, 31))
    item = f.RecoveredItemFactory()
    f.FindingFactory(item=item, manufacturer=target, quantity=1)
    f.FindingFactory(item=item, manufacturer=sold, quantity=1)

    assert counts(breakdown(filters=ALL, attribution="parent", as_of=dt.date(2025, 1, 1))) == {"US": 1, "GB": 1}
    assert counts(breakdown(filters=ALL, attribution="parent", as_of=dt.date(2015, 1, 1))) == {"US": 1, "JP": 1}
    assert counts(breakdown(filters=ALL, attribution="parent", as_of=dt.date(2031, 1, 1))) == {"JP": 1, "GB": 1}


def test_an_ownership_cycle_does_not_hang():
    a = f.ManufacturerFactory(name="A", country="US")
    b = f.ManufacturerFactory(name="B", country="DE")
    f.OwnershipFactory(parent=a, child=b)
    f.OwnershipFactory(parent=b, child=a)
    f.FindingFactory(manufacturer=a, quantity=1)

    roots = ultimate_parents(dt.date(2020, 1, 1))
    assert set(roots) == {a.pk, b.pk}
    assert breakdown(filters=ALL, attribution="parent")["total"] == 1


def test_foreign_only_leaves_out_the_weapons_own_country_per_attribution():
    russian = f.WeaponModelFactory(designation="9M727", origin_country="RU")
    us_parent = f.ManufacturerFactory(name="US parent", country="US")
    ru_child = f.ManufacturerFactory(name="RU child", country="RU")
    f.OwnershipFactory(parent=us_parent, child=ru_child, start_on=dt.date(2000, 1, 1))
    item = f.RecoveredItemFactory(weapon_model=russian)
    f.FindingFactory(item=item, manufacturer=ru_child, quantity=2, origin_country="CN")
    f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=10, origin_country="RU")
    f.FindingFactory(item=item, manufacturer=us_parent, quantity=3, origin_country="RU")
    f.FindingFactory(item=item, manufacturer=None, country="JP", quantity=1)

    hq = breakdown(filters=ALL, foreign_only=True)
    assert counts(hq) == {"US": 3, "JP": 1}
    assert hq["total"] == 4 and hq["foreign_only"] is True
    assert counts(breakdown(filters=ALL, foreign_only=True, attribution="parent")) == {"US": 5, "JP": 1}
    # origin: the lines marked "made in Russia" go; the unmarked line stays, under unknown.
    assert counts(breakdown(filters=ALL, foreign_only=True, attribution="origin")) == {"CN": 2, None: 1}
    assert counts(breakdown(filters=ALL, foreign_only=True, by="manufacturer")) == {"US parent": 3, None: 1}


def test_units_versus_parts():
    maker = f.ManufacturerFactory(name="Maker", country="US")
    part = f.PartFactory(manufacturer=maker)
    other = f.PartFactory(manufacturer=maker)
    one, two = f.RecoveredItemFactory(), f.RecoveredItemFactory()
    f.FindingFactory(item=one, manufacturer=maker, part=part, quantity=3)
    f.FindingFactory(item=one, manufacturer=maker, part=part, quantity=2)
    f.FindingFactory(item=one, manufacturer=maker, part=other, quantity=1)
    f.FindingFactory(item=two, manufacturer=maker, part=part, quantity=4)
    f.FindingFactory(item=two, manufacturer=None, country="RU", quantity=6)
    f.FindingFactory(item=two, manufacturer=None, country="RU", quantity=1)

    assert counts(breakdown(filters=ALL)) == {"US": 10, "RU": 7}
    parts = breakdown(filters=ALL, unit="parts")
    # `part` counts once per item (2), `other` once (1); each uncatalogued line is a type of its own.
    assert counts(parts) == {"US": 3, "RU": 2}
    assert parts["unit"] == "parts" and parts["total"] == 5


def test_unknown_values_are_counted_under_null_never_dropped():
    tier1 = f.HSCodeFactory(code="854231", chpl_tier="1")
    tier3 = f.HSCodeFactory(code="850440", chpl_tier="3.A")
    mcu = f.CategoryFactory(name="microcontroller", hs_code=tier1)
    dcdc = f.CategoryFactory(name="DC-DC converter", hs_code=tier3)
    maker = f.ManufacturerFactory(country="US")
    own_code = f.PartFactory(manufacturer=maker, hs_code=tier3, category=mcu)
    by_category = f.PartFactory(manufacturer=maker, category=mcu)
    item = f.RecoveredItemFactory()
    f.FindingFactory(item=item, manufacturer=maker, part=own_code, category=mcu, quantity=1, module="GNSS")
    f.FindingFactory(item=item, manufacturer=maker, part=by_category, category=mcu, quantity=2, module="GNSS")
    f.FindingFactory(item=item, manufacturer=maker, category=dcdc, quantity=4, module="")
    f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=8)

    assert counts(breakdown(filters=ALL, by="chpl-tier")) == {"3.A": 5, "1": 2, None: 8}
    tiers = breakdown(filters=ALL, by="chpl-tier")
    assert {r["key"]: r["label"] for r in tiers["rows"]} == {"3.A": "Tier 3.A", "1": "Tier 1", None: "unknown"}
    assert counts(breakdown(filters=ALL, by="category")) == {"microcontroller": 3, "DC-DC converter": 4, None: 8}
    assert counts(breakdown(filters=ALL, by="module")) == {"GNSS": 3, None: 12}
    assert counts(breakdown(filters=ALL, attribution="origin")) == {None: 15}
    assert breakdown(filters=ALL, by="module")["rows"][0] == {
        "key": None,
        "label": "unknown",
        "count": 12,
        "share": 0.8,
    }


def test_items_restricts_to_the_given_queryset():
    from provenance.models import RecoveredItem

    visible = f.RecoveredItemFactory(reference="VISIBLE")
    hidden = f.RecoveredItemFactory(reference="HIDDEN")
    f.FindingFactory(item=visible, manufacturer=None, country="US", quantity=2)
    f.FindingFactory(item=hidden, manufacturer=None, country="RU", quantity=9)

    result = breakdown(filters=ALL, items=RecoveredItem.objects.filter(reference="VISIBLE"))
    assert counts(result) == {"US": 2}
    assert shift(filters=ALL, items=RecoveredItem.objects.none())["rows"] == []


@pytest.fixture
def two_years():
    """2022: US 27, JP 3, DE 3, SE 1, CH 1 (35); 2025: US 35, RU 57, BY 5, JP 1, GB 1, CH 1 (100)."""
    weapon = f.WeaponModelFactory(designation="9M727")
    old = f.RecoveredItemFactory(
        weapon_model=weapon, recovered_on=dt.date(2022, 4, 1), analysed_on=dt.date(2023, 1, 10)
    )
    new = f.RecoveredItemFactory(weapon_model=weapon, recovered_on=dt.date(2025, 9, 7), analysed_on=None)
    for item, spec in [
        (old, {"US": 27, "JP": 3, "DE": 3, "SE": 1, "CH": 1}),
        (new, {"US": 35, "RU": 57, "BY": 5, "JP": 1, "GB": 1, "CH": 1}),
    ]:
        for country, quantity in spec.items():
            f.FindingFactory(item=item, manufacturer=None, country=country, quantity=quantity)
    return old, new


def test_shift_by_year_recovered_with_change_in_percentage_points(two_years):
    result = shift(filters=AnalyticsFilters(weapon="9M727"))

    assert result["period"] == "recovered"
    assert result["periods"] == [{"period": 2022, "total": 35}, {"period": 2025, "total": 100}]
    us = next(r for r in result["rows"] if r["key"] == "US")
    assert us == {
        "key": "US",
        "label": us["label"],
        "counts": {"2022": 27, "2025": 35},
        "shares": {"2022": 0.7714, "2025": 0.35},
        "change_pp": {"2025": -42.14},
    }
    ru = next(r for r in result["rows"] if r["key"] == "RU")
    assert ru["counts"] == {"2022": 0, "2025": 57}
    assert ru["change_pp"] == {"2025": 57.0}
    de = next(r for r in result["rows"] if r["key"] == "DE")
    assert de["change_pp"] == {"2025": -8.57}


def test_shift_by_year_analysed_reports_items_without_the_date_as_undated(two_years):
    result = shift(filters=ALL, period="analysed")
    assert result["periods"] == [{"period": 2023, "total": 35}]
    assert result["undated"] == 100
    assert all(r["change_pp"] == {} for r in result["rows"])


def test_shift_by_year_produced_uses_date_codes_and_compares_with_the_previous_period_present():
    item = f.RecoveredItemFactory()
    f.FindingFactory(item=item, manufacturer=None, country="US", quantity=3, produced_year=2019, produced_week=10)
    f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=1, produced_year=2019, produced_week=11)
    f.FindingFactory(item=item, manufacturer=None, country="US", quantity=1, produced_year=2023)
    f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=3, produced_year=2023, produced_week=2)
    f.FindingFactory(item=item, manufacturer=None, country="CN", quantity=5)

    result = shift(filters=ALL, period="produced")

    assert result["periods"] == [{"period": 2019, "total": 4}, {"period": 2023, "total": 4}]
    assert result["undated"] == 5
    rows = {r["key"]: r for r in result["rows"]}
    assert rows["US"]["shares"] == {"2019": 0.75, "2023": 0.25}
    assert rows["US"]["change_pp"] == {"2023": -50.0}
    assert rows["RU"]["change_pp"] == {"2023": 50.0}
    assert "CN" not in rows


def test_produced_after_counts_whole_weeks_after_the_date_per_country_and_manufacturer():
    ti = f.ManufacturerFactory(name="Texas Instruments", country="US")
    mikron = f.ManufacturerFactory(name="Mikron", country="RU")
    item = f.RecoveredItemFactory()
    # 2022-02-24 is in ISO week 8 of 2022: week 8 is not after the date, week 9 is.
    f.FindingFactory(item=item, manufacturer=ti, quantity=2, produced_year=2022, produced_week=8)
    f.FindingFactory(item=item, manufacturer=ti, quantity=3, produced_year=2022, produced_week=9)
    f.FindingFactory(item=item, manufacturer=ti, quantity=1, produced_year=2022, produced_week=None)
    f.FindingFactory(item=item, manufacturer=mikron, quantity=4, produced_year=2023, produced_week=None)
    f.FindingFactory(item=item, manufacturer=mikron, quantity=7)

    result = produced_after(filters=ALL)
    assert result["after"] == "2022-02-24"
    assert (result["dated"], result["undated"], result["produced_after"]) == (10, 7, 7)
    rows = {r["key"]: r for r in result["rows"]}
    assert rows["US"] == {
        "key": "US",
        "label": rows["US"]["label"],
        "dated": 6,
        "undated": 0,
        "produced_after": 3,
        "share_after": 0.5,
    }
    assert (rows["RU"]["dated"], rows["RU"]["undated"], rows["RU"]["produced_after"]) == (4, 7, 4)
    by_maker = produced_after(filters=ALL, by="manufacturer", after=dt.date(2022, 12, 31))
    assert {r["key"]: r["produced_after"] for r in by_maker["rows"]} == {"Mikron": 4, "Texas Instruments": 0}


def test_counting_rule_states_unit_attribution_denominator_and_period(chain):
    weapon = f.WeaponModelFactory(designation="9M727")
    f.FindingFactory(item=f.RecoveredItemFactory(weapon_model=weapon), manufacturer=chain[2], quantity=1)
    rule = counting_rule(breakdown(filters=AnalyticsFilters(weapon="9M727"), attribution="parent", foreign_only=True))
    assert "unit: component units" in rule
    assert "attribution: ultimate parent" in rule
    assert "foreign parts only" in rule and "total 1" in rule
    assert "weapon=9M727" in rule
    assert "period: year produced" in counting_rule(shift(filters=ALL, period="produced"))


def test_invalid_choices_are_refused():
    with pytest.raises(ValueError, match="by must be"):
        breakdown(filters=ALL, by="colour")
    with pytest.raises(ValueError, match="unit must be"):
        breakdown(filters=ALL, unit="kg")
    with pytest.raises(ValueError, match="period must be"):
        shift(filters=ALL, period="month")


@pytest.mark.parametrize("findings", [3, 30])
def test_queries_do_not_grow_with_the_number_of_findings(django_assert_num_queries, chain, findings):
    infineon, cypress, spansion = chain
    item = f.RecoveredItemFactory()
    for index in range(findings):
        f.FindingFactory(item=item, manufacturer=(infineon, cypress, spansion)[index % 3], quantity=1)
    # 1 grouped query
    with django_assert_num_queries(1):
        assert breakdown(filters=AnalyticsFilters(family="Iskander"))["total"] == findings
    # 1 grouped query, 1 for the manufacturers' names
    with django_assert_num_queries(2):
        breakdown(filters=ALL, by="manufacturer", unit="parts")
    # 1 for the ownerships valid on the date, 1 for the roots' countries, 1 grouped query, 1 for the names
    with django_assert_num_queries(4):
        assert counts(breakdown(filters=ALL, by="manufacturer", attribution="parent")) == {"Infineon": findings}
    # 1 grouped query (period and key together)
    with django_assert_num_queries(1):
        shift(filters=ALL)


def test_produced_after_at_a_year_boundary_uses_iso_weeks_and_calendar_years():
    item = f.RecoveredItemFactory()
    # 2022-01-01 is a Saturday in ISO week 52 of 2021; ISO week 1 of 2022 starts on 3 January.
    f.FindingFactory(item=item, manufacturer=None, country="US", quantity=1, produced_year=2022, produced_week=1)
    f.FindingFactory(item=item, manufacturer=None, country="US", quantity=2, produced_year=2021, produced_week=52)
    f.FindingFactory(item=item, manufacturer=None, country="US", quantity=4, produced_year=2022, produced_week=None)
    f.FindingFactory(item=item, manufacturer=None, country="US", quantity=8, produced_year=2023, produced_week=None)

    result = produced_after(filters=ALL, after=dt.date(2022, 1, 1))
    assert (result["dated"], result["produced_after"]) == (15, 9)
