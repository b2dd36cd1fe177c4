"""Loading reference data (CHPL HS codes, categories, manufacturers, weapon models) from the shipped files."""

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from components.models import HSCode
from components.services import category_upsert, hs_code_upsert
from config.common.countries import country_code
from config.common.services import Outcome, object_upsert
from config.common.text import name_key
from manufacturers.models import Manufacturer
from manufacturers.services import manufacturer_identifiers_add, manufacturer_upsert, ownership_upsert
from provenance.models import WeaponAlias, WeaponModel

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _identifiers(value: str, where: str) -> list[tuple[str, str]]:
    """`innCode:7735010706|ogrnCode:1027700073466` -> [(kind, value), ...]."""
    pairs = []
    for part in _split(value):
        kind, colon, number = part.partition(":")
        if not colon or not number.strip():
            raise ValidationError(_("{where}: identifier “{value}” is not kind:value.").format(where=where, value=part))
        pairs.append((kind.strip(), number.strip()))
    return pairs


def _since(value: str) -> dt.date:
    """`2017` or `2017-03-10` -> a date (a bare year means 1 January)."""
    return dt.date(int(value), 1, 1) if len(value) == 4 else dt.date.fromisoformat(value)


def _country(value: str, where: str) -> str:
    code = country_code(value)
    if code is None:
        raise ValidationError(_("{where}: unknown country “{value}”.").format(where=where, value=value))
    return code


def weapon_model_upsert(
    *,
    designation: str,
    name: str,
    family: str,
    kind: str,
    origin_country: str,
    aliases: list[str] = (),
    name_uk: str = "",
) -> tuple[WeaponModel, Outcome]:
    """Create or update a weapon model by designation, with its aliases (added, never removed)."""
    weapon, outcome = object_upsert(
        WeaponModel,
        lookup={"designation": designation},
        values={"name": name, "name_uk": name_uk, "family": family, "kind": kind, "origin_country": origin_country},
    )
    for alias in aliases:
        key = name_key(alias)
        existing = WeaponAlias.objects.filter(alias_key=key).first()
        if existing is None:
            WeaponAlias.objects.create(weapon_model=weapon, alias=alias)
            outcome = "changed" if outcome == "unchanged" else outcome
        elif existing.weapon_model_id != weapon.pk:
            raise ValidationError(
                _("Weapon alias “{alias}” of {designation} already belongs to another model.").format(
                    alias=alias, designation=designation
                )
            )
    return weapon, outcome


@transaction.atomic
def reference_data_load(*, data_dir: Path = DATA_DIR) -> dict[str, Counter]:
    """Load or update all reference data; idempotent. Returns outcome counts per kind of record."""
    summary: dict[str, Counter] = {}

    counts = summary.setdefault(gettext_noop("HS codes"), Counter())
    for row in _rows(data_dir / "chpl-2024-02-23.csv"):
        _record, outcome = hs_code_upsert(code=row["hs6"], description=row["description"], chpl_tier=row["chpl_tier"])
        counts[outcome] += 1

    counts = summary.setdefault(gettext_noop("categories"), Counter())
    for row in _rows(data_dir / "categories.csv"):
        hs_code = HSCode.objects.get(code=row["hs6"]) if row["hs6"] else None
        _record, outcome = category_upsert(name=row["name"], hs_code=hs_code, name_uk=row.get("name_uk") or "")
        counts[outcome] += 1

    counts = summary.setdefault(gettext_noop("weapon models"), Counter())
    for row in _rows(data_dir / "weapon-models.csv"):
        _record, outcome = weapon_model_upsert(
            designation=row["designation"],
            name=row["name"],
            family=row["family"],
            kind=row["kind"],
            origin_country=_country(
                row["origin_country"], _("weapon model {designation}").format(designation=row["designation"])
            ),
            aliases=_split(row["aliases"]),
            name_uk=row.get("name_uk") or "",
        )
        counts[outcome] += 1

    manufacturer_rows = _rows(data_dir / "manufacturers.csv")
    counts = summary.setdefault(gettext_noop("manufacturers"), Counter())
    for row in manufacturer_rows:
        where = _("manufacturer {name}").format(name=row["name"])
        manufacturer, outcome = manufacturer_upsert(
            name=row["name"],
            country=_country(row["country"], where),
            aliases=_split(row["aliases"]),
            notes=row["note"],
        )
        try:
            added = manufacturer_identifiers_add(
                manufacturer=manufacturer,
                identifiers=_identifiers(row.get("identifiers", ""), where),
                source=row.get("identifiers_source", ""),
            )
        except ValidationError as error:
            raise ValidationError(
                _("{where}: {problems}").format(where=where, problems="; ".join(error.messages))
            ) from error
        counts["changed" if added == "changed" and outcome == "unchanged" else outcome] += 1

    counts = summary.setdefault("ownerships", Counter())
    for row in manufacturer_rows:
        if not row["parent"]:
            continue
        _record, outcome = ownership_upsert(
            parent=Manufacturer.objects.get(name_key=name_key(row["parent"])),
            child=Manufacturer.objects.get(name_key=name_key(row["name"])),
            start_on=_since(row["parent_since"]),
        )
        counts[outcome] += 1
    return summary
