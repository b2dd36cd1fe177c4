"""Part-number normalisation: case, spaces and dashes do not make a different part."""

from hypothesis import given
from hypothesis import strategies as st

from components.partnumbers import part_number_key

PART = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=20)


def test_examples():
    assert part_number_key("TMS320F28335PGFA") == "TMS320F28335PGFA"
    assert part_number_key("tms320f28335-pgfa") == "TMS320F28335PGFA"
    assert part_number_key(" TMS 320F28335 PGFA ") == "TMS320F28335PGFA"
    assert part_number_key("LT1964ES5-BYP#TRPBF") == "LT1964ES5BYP#TRPBF"
    assert part_number_key("") == ""


@given(PART, st.lists(st.sampled_from([" ", "-", "\u2013", ".", "/", "_", "\t"]), max_size=5), st.randoms())
def test_separators_and_case_do_not_change_the_key(part, separators, rnd):
    chars = list(part)
    for sep in separators:
        chars.insert(rnd.randint(0, len(chars)), sep)
    noisy = "".join(c.lower() if rnd.random() < 0.5 else c for c in chars)
    assert part_number_key(noisy) == part


@given(st.text(max_size=30))
def test_key_is_idempotent_and_upper_case(text):
    key = part_number_key(text)
    assert part_number_key(key) == key
    assert key == key.upper()
    assert not any(c.isspace() or c == "-" for c in key)
