"""Country normalisation: alpha-2, alpha-3, English names and common names all give alpha-2."""

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.common.countries import country_code, country_name, valid_country_codes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("US", "US"),
        ("us", "US"),
        ("USA", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("  united   states ", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("GBR", "GB"),
        ("Great Britain", "GB"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("RUS", "RU"),
        ("Belarus", "BY"),
        ("BLR", "BY"),
        ("Switzerland", "CH"),
        ("Taiwan", "TW"),
        ("South Korea", "KR"),
        ("MALAYSIA", "MY"),
        ("Czech Republic", "CZ"),
        ("SU", "SU"),
        ("USSR", "SU"),
    ],
)
def test_known_names_give_alpha2(value, expected):
    assert country_code(value) == expected


@pytest.mark.parametrize("value", ["", "   ", None, "XX", "Atlantis", "U", "ZZZ", "Made in"])
def test_unknown_values_give_none(value):
    assert country_code(value) is None


@given(st.sampled_from(list(pycountry.countries)))
def test_every_iso_country_resolves_by_each_form(country):
    assert country_code(country.alpha_2) == country.alpha_2
    assert country_code(country.alpha_3.lower()) == country.alpha_2
    assert country_code(country.name) == country.alpha_2


@given(st.text(max_size=12))
def test_result_is_always_a_valid_code_or_none(text):
    assert country_code(text) in {*valid_country_codes(), None}


@given(
    st.sampled_from(list(pycountry.countries)),
    st.sampled_from([str.upper, str.lower, str.title]),
    st.sampled_from(["", " ", "  \t"]),
)
def test_a_typed_country_reads_whatever_its_case_and_padding(country, case, padding):
    """Every generated input is a real country as an analyst might type it, so the assertion always runs."""
    assert country_code(padding + case(country.alpha_2) + padding) == country.alpha_2
    assert country_code(padding + case(country.alpha_3) + padding) == country.alpha_2


def test_names_for_display():
    assert country_name("US") == "United States"
    assert country_name("GB") == "United Kingdom"
    assert country_name("TW") == "Taiwan"
    assert country_name("SU") == "Soviet Union"
    assert country_name(None) == "unknown"
