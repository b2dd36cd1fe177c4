"""Text keys used for case- and space-insensitive matching of names and aliases."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def name_key(value: str) -> str:
    """`Texas  Instruments ` and `texas instruments` give the same key (NFKC, casefold, one space)."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value or "").casefold())
    return _SPACE.sub(" ", text).strip()


def localized(english: str, ukrainian: str) -> str:
    """Reference data in the active language: `ukrainian` when Ukrainian is active and it is filled in."""
    from django.utils.translation import get_language

    return ukrainian if ukrainian and (get_language() or "").startswith("uk") else english
