"""Name keys: case and spacing never make two names differ."""

from hypothesis import given
from hypothesis import strategies as st

from config.common.text import name_key


def test_examples():
    assert name_key("  Texas   Instruments ") == name_key("texas instruments") == "texas instruments"
    assert name_key("College\u00a0Electronics LTD") == "college electronics ltd"
    assert name_key("") == ""


@given(st.text(max_size=40))
def test_key_is_idempotent(text):
    assert name_key(name_key(text)) == name_key(text)


@given(st.text(alphabet=st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=20), st.randoms())
def test_case_and_spacing_do_not_matter(word, rnd):
    noisy = "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in word)
    assert name_key(f"  {noisy} \t x ") == name_key(f"{word} x")
