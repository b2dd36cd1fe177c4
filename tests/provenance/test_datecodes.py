"""Date-code parsing: the year and week where the code is unambiguous, nothing otherwise."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance.datecodes import DateCode, parse_date_code

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2235", DateCode(2022, 35)),
        ("1748A", DateCode(2017, 48)),
        ("A1748", DateCode(2017, 48)),
        (" 0512 ", DateCode(2005, 12)),
        ("202235", DateCode(2022, 35)),
        ("2022-35", DateCode(2022, 35)),
        ("22-35", DateCode(2022, 35)),
        ("22/35", DateCode(2022, 35)),
        ("2020W53", DateCode(2020, 53)),
        ("9912", DateCode(1999, 12)),
        # Four digits are read as YYWW, the form printed on packages (not as a bare year).
        ("2022", DateCode(2020, 22)),
    ],
)
def test_readable_codes(raw, expected):
    assert parse_date_code(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "2260",  # week 60
        "2200",  # week 0
        "2153",  # 2021 has no ISO week 53
        "235",  # one-digit year: ambiguous across decades
        "XK12345",
        "ABCD",
        "12345678901234567",
        "2912",  # 2029: in the future, and 1929 predates ICs
    ],
)
def test_ambiguous_or_impossible_codes_give_nothing(raw):
    assert parse_date_code(raw, today=TODAY) == DateCode(None, None)


@given(
    st.integers(min_value=2000, max_value=2026), st.integers(min_value=1, max_value=52), st.sampled_from(["", "A", "Z"])
)
def test_yyww_round_trip(year, week, suffix):
    raw = f"{year % 100:02d}{week:02d}{suffix}"
    assert parse_date_code(raw, today=TODAY) == DateCode(year, week)


@given(st.text(max_size=20))
def test_never_raises_and_never_gives_an_impossible_date(raw):
    year, week = parse_date_code(raw, today=TODAY)
    assert (year is None) == (week is None)
    if year is not None:
        assert 1970 <= year <= TODAY.year + 1
        assert 1 <= week <= 53
