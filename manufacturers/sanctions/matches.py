"""Services for sanctions matches: propose candidates (the command), decide them (a person or the command).

A decision is kept on the `SanctionMatch` row of its (manufacturer, listed entity) pair, and listed entities
keep their row across re-imports, so a decision survives re-imports and re-runs: a confirmed or rejected pair
is proposed again with fresh score and reasons but its decision, who and when stay; a rejected pair never
becomes pending again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from manufacturers.models import (
    ListedEntity,
    Manufacturer,
    ManufacturerAlias,
    ManufacturerIdentifier,
    SanctionMatch,
)
from manufacturers.sanctions.matching import Candidate, ListedIndex, Party

__all__ = [
    "COMMAND_CONFIRM",
    "MATCHED_SCHEMATA",
    "MatchRun",
    "listed_parties",
    "manufacturer_parties",
    "sanction_matches_decide",
    "sanction_matches_propose",
]

COMMAND_CONFIRM = "match_sanctions --confirm-strong"
MATCHED_SCHEMATA = ("Company", "Organization", "LegalEntity", "PublicBody")


@dataclass(frozen=True)
class MatchRun:
    """What a run proposed (best first, with each pair's decision) and what it changed."""

    matches: list[SanctionMatch]
    created: int
    updated: int
    confirmed: int
    withdrawn: int


def manufacturer_parties() -> list[Party]:
    """Every manufacturer as a matching party: name, aliases, HQ country, identifiers by kind (three queries)."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for manufacturer_id, alias in ManufacturerAlias.objects.order_by("pk").values_list("manufacturer_id", "alias"):
        aliases[manufacturer_id].append(alias)
    identifiers: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = ManufacturerIdentifier.objects.order_by("pk").values_list("manufacturer_id", "kind", "value")
    for manufacturer_id, kind, value in rows:
        identifiers[manufacturer_id][kind].append(value)
    return [
        Party(
            ref=pk,
            name=name,
            aliases=aliases.get(pk, ()),
            countries=[country] if country else (),
            identifiers=identifiers.get(pk, {}),
        )
        for pk, name, country in Manufacturer.objects.order_by("pk").values_list("pk", "name", "country")
    ]


def _split_names(caption: str, names) -> tuple[list[str], list[str]]:
    """Aliases and weak aliases of a listed entity from its `names` ([kind, name] pairs, or plain names)."""
    aliases, weak = [], []
    for entry in names or ():
        kind, name = entry if isinstance(entry, list | tuple) else ("alias", entry)
        if name and name != caption:
            (weak if kind == "weakAlias" else aliases).append(name)
    return aliases, weak


def listed_parties() -> list[Party]:
    """Listed companies and organisations still on their lists, as matching parties (one query)."""
    rows = (
        ListedEntity.objects.filter(removed_at__isnull=True, schema__in=MATCHED_SCHEMATA)
        .order_by("pk")
        .values_list("pk", "caption", "names", "countries", "identifiers")
        .iterator(chunk_size=5000)
    )
    parties = []
    for pk, caption, names, countries, identifiers in rows:
        aliases, weak = _split_names(caption, names)
        parties.append(
            Party(
                ref=pk,
                name=caption,
                aliases=aliases,
                weak_aliases=weak,
                countries=countries or (),
                identifiers=identifiers or {},
            )
        )
    return parties


def _candidates() -> list[Candidate]:
    index = ListedIndex(listed_parties())
    return [c for party in manufacturer_parties() for c in index.candidates(party)]


@transaction.atomic
def sanction_matches_propose(*, confirm_strong: bool = False) -> MatchRun:
    """Match every manufacturer against the listed entities and store the candidates.

    New pairs are created pending (or, with `confirm_strong`, strong ones confirmed by the command, with no
    user); known pairs get the new score, strength and reasons and keep their decision. A pending pair no
    longer proposed is withdrawn (deleted); decided pairs are never deleted.
    """
    candidates = _candidates()
    existing = {(m.manufacturer_id, m.listed_entity_id): m for m in SanctionMatch.objects.select_for_update()}
    now = timezone.now()
    new, changed, seen = [], [], set()
    confirmed = 0
    for c in candidates:
        pair = (c.manufacturer, c.listed)
        seen.add(pair)
        match = existing.get(pair)
        if match is None:
            match = SanctionMatch(manufacturer_id=c.manufacturer, listed_entity_id=c.listed)
            new.append(match)
        else:
            changed.append(match)
        match.score, match.strong, match.reasons = c.score, c.strong, list(c.reasons)
        if confirm_strong and c.strong and match.decision == SanctionMatch.Decision.PENDING:
            match.decision = SanctionMatch.Decision.CONFIRMED
            match.decided_by, match.decided_at, match.decided_via = None, now, COMMAND_CONFIRM
            confirmed += 1
    stale = [m.pk for pair, m in existing.items() if pair not in seen and m.decision == SanctionMatch.Decision.PENDING]
    SanctionMatch.objects.filter(pk__in=stale).delete()
    SanctionMatch.objects.bulk_create(new, batch_size=1000)
    SanctionMatch.objects.bulk_update(
        changed, ["score", "strong", "reasons", "decision", "decided_by", "decided_at", "decided_via"], batch_size=1000
    )
    ordered = sorted([*new, *changed], key=lambda m: (-m.score, m.manufacturer_id, m.listed_entity_id))
    return MatchRun(matches=ordered, created=len(new), updated=len(changed), confirmed=confirmed, withdrawn=len(stale))


@transaction.atomic
def sanction_matches_decide(
    *, matches: QuerySet[SanctionMatch], decision: str, user: AbstractBaseUser | None, via: str = "admin"
) -> int:
    """A person confirms or rejects the selected matches; who and when are kept (and in the history)."""
    if decision not in (SanctionMatch.Decision.CONFIRMED, SanctionMatch.Decision.REJECTED):
        raise ValueError("decision must be confirmed or rejected")
    now = timezone.now()
    count = 0
    # Locked by primary key: the admin's queryset joins nullable relations, which FOR UPDATE cannot lock.
    for match in SanctionMatch.objects.filter(pk__in=matches.values("pk")).order_by("pk").select_for_update():
        match.decision, match.decided_by, match.decided_at, match.decided_via = decision, user, now, via
        match.save(update_fields=["decision", "decided_by", "decided_at", "decided_via", "updated_at"])
        count += 1
    return count
