"""The columns of a teardown list and the formula escape shared by the reader and the exporters."""

import re

from provenance.finding_columns import teardown_columns

__all__ = [
    "COLUMNS",
    "ITEM_COLUMNS",
    "REQUIRED_COLUMNS",
    "escape_formula",
    "unescape_formula",
]

# Columns that describe the recovered item, not the line: they must agree on every row of one item_ref.
ITEM_COLUMNS = ("weapon", "recovered_on", "analysed_on", "place", "strike_date", "serial")
# The order of the spec (the line columns come from `provenance.finding_columns`); exports write this order.
COLUMNS = ("item_ref", *ITEM_COLUMNS, *teardown_columns())
REQUIRED_COLUMNS = ("item_ref", "weapon")

# A spreadsheet evaluates a cell starting with one of these. An exported cell that would start with one
# (possibly after apostrophes we added earlier) gets one more leading apostrophe; the reader removes
# exactly one, so `=A1`, `'=A1` and `''=A1` all survive a round trip unchanged.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def escape_formula(value: str) -> str:
    """Prefix `value` with an apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if _FORMULA.match(value) else value


def unescape_formula(value: str) -> str:
    """Undo `escape_formula`: drop the one apostrophe it added, leave every other text alone."""
    return value[1:] if _ESCAPED.match(value) else value
