"""The columns of a teardown list (the formula escape of its cells is `config.common.exports`)."""

from config.common.exports import escape_formula, unescape_formula
from provenance.finding_columns import teardown_columns

__all__ = [
    "COLUMNS",
    "HEADER_ALIASES",
    "ITEM_COLUMNS",
    "REQUIRED_COLUMNS",
    "escape_formula",
    "unescape_formula",
]

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
# The order of the spec (the line columns come from `provenance.finding_columns`); exports write this order.
COLUMNS = ("item_ref", *ITEM_COLUMNS, *teardown_columns())
REQUIRED_COLUMNS = ("item_ref", "weapon")
