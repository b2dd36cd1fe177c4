"""Part-number normalisation: upper case, without spaces, dashes, dots, slashes or underscores.

`tms320f28335-pgfa`, `TMS 320F28335PGFA` and `TMS320F28335PGFA` share the key `TMS320F28335PGFA`.
"""

import re
import unicodedata

_DROP = re.compile(r"[\s\-\u2010-\u2015./_]+")


def part_number_key(value: str) -> str:
    text = _DROP.sub("", unicodedata.normalize("NFKC", value or "")).upper()
    # Upper-casing can leave a decomposed form (U + combining macron): normalise again so the key is stable.
    return _DROP.sub("", unicodedata.normalize("NFKC", text))
