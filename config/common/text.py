"""Text keys used for case- and space-insensitive matching of names and aliases."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def name_key(value: str) -> str:
    """`Texas  Instruments ` and `texas instruments` give the same key (NFKC, casefold, one space)."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value or "").casefold())
    return _SPACE.sub(" ", text).strip()
