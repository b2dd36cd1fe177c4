"""Our parties as a FollowTheMoney entity stream, so partners can load them into their own tools.

Each manufacturer is a `Company` (name, aliases, country, website, identifiers under their FtM property),
each ownership between manufacturers an `Ownership` (owner, asset, start and end dates), and each of a
manufacturer's designations a `Sanction` whose `entity` is the manufacturer: those entered by hand, and those
of listed entities a person (or a command) confirmed as this manufacturer. Ids are ours, prefixed `ctp-`
(component provenance), stable across exports.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from manufacturers.models import (
    Designation,
    Manufacturer,
    ManufacturerAlias,
    ManufacturerIdentifier,
    Ownership,
    SanctionMatch,
)

__all__ = ["ftm_export_entities"]

PREFIX = "ctp"


def _company_id(pk: int) -> str:
    return f"{PREFIX}-manufacturer-{pk}"


def _country(code) -> str:
    """FtM writes countries in lower case (`us`, `eu`); the Soviet Union is `suhh`."""
    code = str(code).lower()
    return "suhh" if code == "su" else code


def _sanction(designation: Designation, manufacturer_id: int, entity_id: str) -> dict:
    dated = "listingDate" if designation.date_kind == Designation.DateKind.LISTING else "startDate"
    properties = {
        "entity": [_company_id(manufacturer_id)],
        "country": [_country(designation.authority)],
        "programId": [designation.program],
        "provisions": [designation.measure, designation.provisions],
        "reason": [designation.reason],
        "sourceUrl": [designation.source_url],
        "authorityId": [designation.reference],
        dated: [designation.listed_on.isoformat()] if designation.listed_on else [],
        "endDate": [designation.delisted_on.isoformat()] if designation.delisted_on else [],
        "summary": [f"date: {designation.get_date_kind_display()}; {designation.date_source}".strip("; ")],
    }
    return {"id": entity_id, "schema": "Sanction", "properties": _clean(properties)}


def _clean(properties: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: [v for v in values if v] for key, values in properties.items() if any(values)}


def ftm_export_entities() -> Iterator[dict]:
    """Companies, then ownerships, then sanctions (a constant number of queries)."""
    makers = Manufacturer.objects.order_by("pk").prefetch_related(
        Prefetch("aliases", queryset=ManufacturerAlias.objects.order_by("alias")),
        Prefetch("identifiers", queryset=ManufacturerIdentifier.objects.order_by("kind", "value")),
    )
    for maker in makers.iterator(chunk_size=2000):
        properties = {
            "name": [maker.name],
            "alias": [alias.alias for alias in maker.aliases.all()],
            "country": [_country(maker.country)],
            "website": [maker.website],
            "notes": [maker.notes],
        }
        for identifier in maker.identifiers.all():
            properties.setdefault(identifier.kind, []).append(identifier.value)
        yield {"id": _company_id(maker.pk), "schema": "Company", "properties": _clean(properties)}
    for ownership in Ownership.objects.order_by("pk").iterator(chunk_size=2000):
        properties = {
            "owner": [_company_id(ownership.parent_id)],
            "asset": [_company_id(ownership.child_id)],
            "startDate": [ownership.start_on.isoformat()],
            "endDate": [ownership.end_on.isoformat()] if ownership.end_on else [],
            "summary": [ownership.notes],
        }
        yield {"id": f"{PREFIX}-ownership-{ownership.pk}", "schema": "Ownership", "properties": _clean(properties)}
    for designation in Designation.objects.filter(manufacturer__isnull=False).order_by("pk").iterator(chunk_size=2000):
        yield _sanction(designation, designation.manufacturer_id, f"{PREFIX}-designation-{designation.pk}")
    confirmed = SanctionMatch.objects.filter(decision=SanctionMatch.Decision.CONFIRMED).values_list(
        "manufacturer_id", "listed_entity__designations"
    )
    pairs = sorted((m, d) for m, d in confirmed if d is not None)
    by_pk = Designation.objects.in_bulk([d for _m, d in pairs])
    for manufacturer_id, designation_pk in pairs:
        entity_id = f"{PREFIX}-designation-{designation_pk}-manufacturer-{manufacturer_id}"
        yield _sanction(by_pk[designation_pk], manufacturer_id, entity_id)
