"""The columns of a teardown list (the formula escape of its cells is `config.common.exports`)."""

from config.common.exports import escape_formula, unescape_formula
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
