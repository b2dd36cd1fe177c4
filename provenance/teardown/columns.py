"""The columns of a teardown list and the formula escape shared by the reader and the exporters."""

import re

__all__ = [
    "COLUMNS",
    "HEADER_ALIASES",
    "ITEM_COLUMNS",
    "REQUIRED_COLUMNS",
    "escape_formula",
    "unescape_formula",
]

# The order of the spec; exports write the columns in this order.
COLUMNS = (
    "item_ref",
    "weapon",
    "recovered_on",
    "analysed_on",
    "place",
    "strike_date",
    "serial",
    "part_number",
    "manufacturer",
    "manufacturer_country",
    "category",
    "quantity",
    "marking",
    "date_code",
    "lot_code",
    "origin_marking",
    "module",
    "confidence",
    "source_url",
    "notes",
)
REQUIRED_COLUMNS = ("item_ref", "weapon")
# Ukrainian header names accepted for the English ones (matched like them: case-insensitive, spaces = "_").
_UKRAINIAN_HEADERS = {
    "item_ref": ("шифр зразка", "шифр", "номер зразка"),
    "weapon": ("озброєння", "зразок озброєння", "модель озброєння"),
    "recovered_on": ("дата вилучення", "вилучено"),
    "analysed_on": ("дата дослідження", "досліджено"),
    "place": ("місце",),
    "strike_date": ("дата удару",),
    "serial": ("серійний номер", "заводський номер"),
    "part_number": ("партномер", "номер деталі", "каталожний номер"),
    "manufacturer": ("виробник",),
    "manufacturer_country": ("країна виробника",),
    "category": ("категорія",),
    "quantity": ("кількість",),
    "marking": ("маркування",),
    "date_code": ("код дати",),
    "lot_code": ("код партії",),
    "origin_marking": ("маркування країни походження", "країна походження"),
    "module": ("модуль", "блок"),
    "confidence": ("достовірність",),
    "source_url": ("джерело", "посилання на джерело"),
    "notes": ("примітки", "примітка"),
}
HEADER_ALIASES = {
    alias.lower().replace(" ", "_"): column for column, aliases in _UKRAINIAN_HEADERS.items() for alias in aliases
}

# Columns that describe the recovered item, not the line: they must agree on every row of one item_ref.
ITEM_COLUMNS = ("weapon", "recovered_on", "analysed_on", "place", "strike_date", "serial")

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
