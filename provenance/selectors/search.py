"""Reads for the admin's searches across 1,000,000 findings: each served by an index, none by a full scan.

A search term is split into words (as Django's admin does) and every word must match. A word matches a
finding when it is part of its part number (as printed, or normalised: `tms320f28335-pgfa` finds
`TMS320F28335PGFA`), its marking or module (trigram GIN index on PostgreSQL), its maker's name or its
item's reference. The small tables (parts, makers, items) are searched first and their matches handed to
the findings as lists of ids, so that PostgreSQL combines index scans (a bitmap OR) instead of scanning
every finding; a recovered item matches through `EXISTS`-style `IN (subquery)`, never a join + DISTINCT.
"""

from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal

from components.models import Part
from components.partnumbers import part_number_key
from manufacturers.models import Manufacturer
from provenance.models import Finding, RecoveredItem

__all__ = ["findings_search", "recovered_items_search", "search_words"]

# Above this many matches in a small table, the ids stay a subquery rather than a literal list.
_ID_LIST_LIMIT = 2_000
# Shortest word a trigram index can serve.
_TRIGRAM = 3


def search_words(term: str) -> list[str]:
    """The words of an admin search box, quotes honoured as in Django's admin."""
    words = []
    for bit in smart_split(term or ""):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            words.append(bit.strip())
    return words


def _ids(queryset: QuerySet) -> list[int] | QuerySet:
    ids = list(queryset.values_list("pk", flat=True)[: _ID_LIST_LIMIT + 1])
    return queryset.values("pk") if len(ids) > _ID_LIST_LIMIT else ids


def _part_match(word: str) -> Q:
    key = part_number_key(word)
    matches = Q(part_number__icontains=word)
    if key:
        matches |= Q(part_number_key__contains=key)
    return matches


def _finding_word(word: str) -> Q:
    """Findings that `word` matches (part number, marking, module, maker's name, item reference).

    A word of one or two characters ("TI") is not looked for inside markings and modules: a trigram index
    cannot serve it and a million lines would be scanned; it still finds makers, parts and items.
    """
    match = Q(marking__icontains=word) | Q(module__icontains=word) if len(word) >= _TRIGRAM else Q(pk__in=[])
    for field, queryset in (
        ("part_id", Part.objects.filter(_part_match(word))),
        ("manufacturer_id", Manufacturer.objects.filter(name__icontains=word)),
        ("item_id", RecoveredItem.objects.filter(reference__icontains=word)),
    ):
        ids = _ids(queryset.order_by())
        if not isinstance(ids, list) or ids:
            match |= Q(**{f"{field}__in": ids})
    return match


def findings_search(queryset: QuerySet[Finding], term: str) -> QuerySet[Finding]:
    """The findings of `queryset` that every word of `term` matches."""
    for word in search_words(term):
        queryset = queryset.filter(_finding_word(word))
    return queryset


def recovered_items_search(queryset: QuerySet[RecoveredItem], term: str) -> QuerySet[RecoveredItem]:
    """The items of `queryset` whose reference or serial number, or one of whose findings, matches each word."""
    for word in search_words(term):
        with_finding = Finding.objects.filter(_finding_word(word)).order_by().values("item_id")
        queryset = queryset.filter(
            Q(reference__icontains=word) | Q(serial_number__icontains=word) | Q(pk__in=with_finding)
        )
    return queryset
