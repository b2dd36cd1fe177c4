"""What every download shares: the content type of each format and the formula escape of spreadsheet cells."""

import re
from typing import Any

__all__ = ["CONTENT_TYPES", "escape_formula", "safe_cell", "unescape_formula"]

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

# A spreadsheet evaluates a cell starting with one of these. An exported cell that would start with one
# (possibly after apostrophes we added earlier) gets one more leading apostrophe; the teardown reader removes
# exactly one, so `=A1`, `'=A1` and `''=A1` all survive a round trip unchanged.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def escape_formula(value: str) -> str:
    """Prefix `value` with an apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if _FORMULA.match(value) else value


def unescape_formula(value: str) -> str:
    """Undo `escape_formula`: drop the one apostrophe it added, leave every other text alone."""
    return value[1:] if _ESCAPED.match(value) else value


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: text is escaped, numbers and dates stay as they are."""
    return escape_formula(value) if isinstance(value, str) else value
