"""Readers of sanctions lists: each turns a file into a stream of records the importer writes.

Three formats, guessed from the first bytes when not given:
- `ftm`: a FollowTheMoney entity stream (one JSON entity per line, OpenSanctions `entities.ftm.json`), or its
  delta lines `{"op": "ADD"|"MOD"|"DEL", "entity": {...}}`;
- `csl`: the US Consolidated Screening List CSV;
- `eu-journal`: OpenSanctions' EU Official Journal extract CSV (`eu-journal-FORMAT.md`).

A reader never holds the file: it yields one record per entity (or per CSV row) with its line number. A line
it cannot read raises `LineError` naming the line. Readers map the source's vocabulary onto ours (authority,
programme id, measure, date and date kind); what they keep of the source is also stored as published (`raw`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.utils.translation import gettext as _

from config.common.countries import country_code
from manufacturers.sanctions.names import is_organisation_name

__all__ = [
    "ENTITY_SCHEMATA",
    "Delete",
    "EntityRecord",
    "LineError",
    "OwnershipRecord",
    "SanctionRecord",
    "Skipped",
    "detect_format",
    "parse_date",
    "read_csl",
    "read_eu_journal",
    "read_ftm",
]

# FtM schemata kept as listed entities; every other schema is skipped and counted.
ENTITY_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
# Every schema of the FollowTheMoney model (followthemoney/schema/*.yaml): others are not FtM at all.
FTM_SCHEMATA = frozenset(
    [
        "Address",
        "Airplane",
        "Analyzable",
        "Article",
        "Assessment",
        "Asset",
        "Associate",
        "Audio",
        "BankAccount",
        "Call",
        "CallForTenders",
        "Company",
        "Contract",
        "ContractAward",
        "CourtCase",
        "CourtCaseParty",
        "CryptoWallet",
        "Debt",
        "Directorship",
        "Document",
        "Documentation",
        "EconomicActivity",
        "Email",
        "Employment",
        "Event",
        "Family",
        "Folder",
        "HyperText",
        "Identification",
        "Image",
        "Interest",
        "Interval",
        "LegalEntity",
        "License",
        "Membership",
        "Mention",
        "Message",
        "Note",
        "Occupancy",
        "Organization",
        "Ownership",
        "Package",
        "Page",
        "Pages",
        "Passport",
        "Payment",
        "Person",
        "PlainText",
        "Position",
        "Post",
        "Project",
        "ProjectParticipant",
        "PublicBody",
        "RealEstate",
        "Representation",
        "Risk",
        "Sanction",
        "Security",
        "Similar",
        "Succession",
        "Table",
        "TaxRoll",
        "Thing",
        "Transaction",
        "Trip",
        "UnknownLink",
        "UserAccount",
        "Value",
        "Vehicle",
        "Vessel",
        "Video",
        "Workbook",
    ]
)
MAX_LINE_BYTES = 16 * 1024 * 1024
# Bump when the mapping below changes, so a re-import rewrites what it maps differently.
MAPPING_VERSION = "1"

NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias")
IDENTIFIER_PROPERTIES = (
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "taxNumber",
    "idNumber",
    "vatCode",
    "swiftBic",
    "dunsCode",
    "uniqueEntityId",
    "permId",
)
COUNTRY_PROPERTIES = ("jurisdiction", "country", "mainCountry")


class LineError(Exception):
    """A line the reader cannot take: its number and what is wrong with it."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(slots=True)
class EntityRecord:
    line: int
    source_id: str
    schema: str
    caption: str
    names: list[tuple[str, str]]  # (kind, name)
    countries: list[str]
    identifiers: dict[str, list[str]]
    websites: list[str]
    datasets: list[str]
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    raw: dict

    @property
    def digest(self) -> str:
        return content_digest(self.schema, self.raw)


@dataclass(slots=True)
class SanctionRecord:
    line: int
    source_id: str
    entity_id: str
    authority: str
    program: str
    measure: str
    provisions: str
    listed_on: dt.date | None
    delisted_on: dt.date | None
    date_kind: str
    date_source: str
    reason: str
    reference: str
    source_url: str
    raw: dict

    @property
    def digest(self) -> str:
        return content_digest("Sanction", self.raw)


@dataclass(slots=True)
class OwnershipRecord:
    line: int
    source_id: str
    owner_id: str
    asset_id: str
    percentage: Decimal | None
    role: str
    start_on: dt.date | None
    end_on: dt.date | None
    raw: dict

    @property
    def digest(self) -> str:
        return content_digest("Ownership", self.raw)


@dataclass(slots=True)
class Delete:
    line: int
    source_id: str


@dataclass(slots=True)
class Skipped:
    line: int
    source_id: str
    schema: str


Record = EntityRecord | SanctionRecord | OwnershipRecord | Delete | Skipped


def content_digest(schema: str, raw: dict) -> str:
    text = json.dumps([MAPPING_VERSION, schema, raw], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# --- dates ---------------------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_WORDED_FORMATS = ("%d %B %Y", "%d %b %Y", "%d %b. %Y", "%B %Y")


def parse_date(text: str) -> dt.date | None:
    """A date as lists print it: ISO, partial ISO (`2014`, `2014-07`: the first day), dotted (`28.2.2011`),
    worded (`2 December 1985`, `26 Feb. 2011`). None when it is none of these or not a calendar date."""
    text = " ".join((text or "").split())
    if not text:
        return None
    try:
        if match := _ISO.match(text):
            year, month, day = match.groups()
            return dt.date(int(year), int(month or 1), int(day or 1))
        if match := _DOTTED.match(text):
            day, month, year = match.groups()
            return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    for fmt in _WORDED_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _datetime(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _earliest_date(values: list[str]) -> tuple[dt.date | None, str]:
    """The earliest parseable date among `values`, and its printed text."""
    dated = [(parsed, value) for value in values if (parsed := parse_date(value))]
    return min(dated) if dated else (None, "")


def _countries(values) -> list[str]:
    codes: list[str] = []
    for value in values:
        text = str(value).strip()
        code = "EU" if text.lower() == "eu" else country_code(text)
        if code and code not in codes:
            codes.append(code)
    return codes


def _unique(values) -> list[str]:
    seen: list[str] = []
    for value in values:
        text = " ".join(str(value).split())
        if text and text not in seen:
            seen.append(text)
    return seen


# --- measures ------------------------------------------------------------------------------------------

_MEASURE_WORDS = (
    ("asset freeze", ("asset freeze", "asset_freeze", "block", "targeted financial sanction", "fund freeze", "gel")),
    ("export control", ("export", "entity list", " ear", "end user", "end-user", "military end")),
    ("financial restrictions", ("financial restriction", "securities", "directive", "sectoral")),
    ("transport restrictions", ("transport", "ship ban", "aircraft ban")),
    ("debarment", ("debar", "exclusion", "disqualif")),
    ("trade restrictions", ("trade", "import ban")),
)


def measure_of(*texts: str) -> str:
    """Our measure for a list's wording of it ("" when the wording names none we know)."""
    text = " " + " ".join(texts).lower()
    for measure, words in _MEASURE_WORDS:
        if any(word in text for word in words):
            return measure
    return ""


# --- format guessing -----------------------------------------------------------------------------------

CSL_HEADER_START = "_id,source,"
EU_HEADER_STARTS = ("celex,recordId,", "amendedCelex,amendmentCelex,")


def detect_format(stream: BinaryIO) -> str:
    """`ftm`, `csl` or `eu-journal` from the first bytes; the stream is left at its start."""
    head = stream.read(4096)
    stream.seek(0)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if text.startswith("{"):
        return "ftm"
    if text.startswith(CSL_HEADER_START):
        return "csl"
    if text.startswith(EU_HEADER_STARTS):
        return "eu-journal"
    raise LineError(1, _("the format cannot be recognised: expected JSON entities, a CSL or an EU Journal CSV header"))


# --- lines ---------------------------------------------------------------------------------------------


def _text_lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """Numbered, decoded lines; a line that is not UTF-8 or longer than MAX_LINE_BYTES is a LineError."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise LineError(number, _("the line is longer than %(size)d MB") % {"size": MAX_LINE_BYTES // 2**20})
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise LineError(
                number,
                _("the line is not UTF-8 text (byte 0x%(byte)02x at position %(position)d)")
                % {"byte": raw[error.start], "position": error.start + 1},
            ) from None
        if number == 1:
            text = text.lstrip("\ufeff")
        yield number, text


# --- FollowTheMoney ------------------------------------------------------------------------------------


def read_ftm(stream: BinaryIO) -> Iterator[Record]:
    """FtM entities (or delta lines) as records. Blank lines are ignored."""
    for number, text in _text_lines(stream):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise LineError(number, _("not a complete JSON object (%(error)s)") % {"error": error.msg}) from None
        if not isinstance(data, dict):
            raise LineError(number, _("not a JSON object"))
        if "op" in data:
            op = data.get("op")
            entity = data.get("entity")
            if op not in ("ADD", "MOD", "DEL") or not isinstance(entity, dict):
                raise LineError(number, _("a delta line needs op ADD, MOD or DEL and an entity"))
            if op == "DEL":
                source_id = entity.get("id")
                if not isinstance(source_id, str) or not source_id:
                    raise LineError(number, _("the entity has no id"))
                yield Delete(number, source_id)
                continue
            data = entity
        yield ftm_record(number, data)


def _props(line: int, data: dict) -> dict[str, list[str]]:
    properties = data.get("properties", {})
    if not isinstance(properties, dict) or not all(isinstance(v, list) for v in properties.values()):
        raise LineError(line, _("'properties' must map each property to a list of values"))
    return properties


def _one_ref(line: int, props: dict, name: str, schema: str) -> str:
    values = props.get(name) or []
    if len(values) != 1 or not isinstance(values[0], str) or not values[0]:
        raise LineError(line, _("a %(schema)s needs exactly one '%(prop)s'") % {"schema": schema, "prop": name})
    return values[0]


def ftm_record(line: int, data: dict) -> Record:
    source_id = data.get("id")
    schema = data.get("schema")
    if not isinstance(source_id, str) or not source_id:
        raise LineError(line, _("the entity has no id"))
    if len(source_id) > 255:
        raise LineError(line, _("the entity id is longer than 255 characters"))
    if not isinstance(schema, str) or not schema:
        raise LineError(line, _("the entity %(id)s has no schema") % {"id": source_id})
    props = _props(line, data)
    if schema in ENTITY_SCHEMATA:
        names = [(kind, name) for kind in NAME_PROPERTIES for name in _unique(props.get(kind, []))]
        caption = data.get("caption") or (names[0][1] if names else "")
        if not caption:
            raise LineError(line, _("the %(schema)s %(id)s has no name") % {"schema": schema, "id": source_id})
        identifiers = {kind: _unique(props[kind]) for kind in IDENTIFIER_PROPERTIES if props.get(kind)}
        return EntityRecord(
            line=line,
            source_id=source_id,
            schema=schema,
            caption=caption[:1000],
            names=names,
            countries=_countries(value for kind in COUNTRY_PROPERTIES for value in props.get(kind, [])),
            identifiers=identifiers,
            websites=_unique(props.get("website", [])),
            datasets=_unique(data.get("datasets", [])),
            first_seen=_datetime(data.get("first_seen")),
            last_seen=_datetime(data.get("last_seen")),
            raw=data,
        )
    if schema == "Sanction":
        return _ftm_sanction(line, source_id, props, data)
    if schema == "Ownership":
        percentage = None
        if props.get("percentage"):
            text = str(props["percentage"][0]).strip().rstrip("%").replace(",", ".")
            try:
                percentage = Decimal(text)
            except InvalidOperation:
                percentage = None
            if percentage is not None and not 0 <= percentage <= 100:
                percentage = None
        return OwnershipRecord(
            line=line,
            source_id=source_id,
            owner_id=_one_ref(line, props, "owner", schema),
            asset_id=_one_ref(line, props, "asset", schema),
            percentage=percentage,
            role="; ".join(_unique(props.get("role", [])))[:200],
            start_on=_earliest_date(props.get("startDate", []))[0],
            end_on=_earliest_date(props.get("endDate", []))[0],
            raw=data,
        )
    if schema not in FTM_SCHEMATA:
        raise LineError(line, _("'%(schema)s' is not a FollowTheMoney schema") % {"schema": schema[:50]})
    return Skipped(line, source_id, schema)


def _authority_of(props: dict) -> str:
    """EU, or the alpha-2 code of the national authority: from `country`, else from the programme id."""
    for value in props.get("country", []):
        code = "EU" if str(value).lower() == "eu" else country_code(str(value))
        if code:
            return code
    for value in props.get("programId", []):
        prefix = str(value).split("-", 1)[0].upper()
        code = "EU" if prefix == "EU" else country_code(prefix)
        if code:
            return code
    return ""


def _ftm_sanction(line: int, source_id: str, props: dict, data: dict) -> SanctionRecord:
    authority = _authority_of(props)
    if not authority:
        raise LineError(
            line,
            _("the Sanction %(id)s names no authority country nor a programme id we can place") % {"id": source_id},
        )
    program = (props.get("programId") or [""])[0]
    if not program:
        datasets = data.get("datasets") or []
        program = str(datasets[0]).upper().replace("_", "-") if datasets else ""
    listed_on, printed = _earliest_date(props.get("listingDate", []))
    date_kind, date_source = "listing", "FtM Sanction.listingDate"
    if listed_on is None:
        listed_on, printed = _earliest_date(props.get("startDate", []))
        date_kind, date_source = "entry into force", "FtM Sanction.startDate"
    if listed_on is None and (first_seen := _datetime(data.get("first_seen"))):
        listed_on, printed = first_seen.date(), data["first_seen"]
        date_kind, date_source = "first seen", "FtM first_seen (the date OpenSanctions first saw the listing)"
    if listed_on is None:
        date_kind, date_source = "unknown", "the Sanction carries no date"
    else:
        date_source = f"{date_source} '{printed}'"
    provisions = _unique(props.get("provisions", []))
    return SanctionRecord(
        line=line,
        source_id=source_id,
        entity_id=_one_ref(line, props, "entity", "Sanction"),
        authority=authority,
        program=program[:200],
        measure=measure_of(*provisions, *props.get("program", [])),
        provisions="; ".join(provisions),
        listed_on=listed_on,
        delisted_on=_earliest_date(props.get("endDate", []))[0],
        date_kind=date_kind,
        date_source=date_source[:300],
        reason="\n".join(_unique(props.get("reason", []))),
        reference="; ".join(_unique(props.get("authorityId", []) or props.get("unscId", [])))[:200],
        source_url=(props.get("sourceUrl") or [""])[0][:1000],
        raw=data,
    )


# --- CSV formats ---------------------------------------------------------------------------------------


def _csv_rows(stream: BinaryIO, header_start: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with the line each starts on, read from the numbered, decoded lines (so a line that is not
    UTF-8 is reported with its own number)."""
    reader = csv.DictReader(text for _number, text in _text_lines(stream))
    fields = reader.fieldnames or []
    if not ",".join(fields).startswith(header_start):
        raise LineError(1, _("unexpected header: %(header)s") % {"header": ",".join(fields)[:200]})
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise LineError(line, _("malformed CSV (%(error)s)") % {"error": error}) from None
        if None in row or any(value is None for value in row.values()):
            raise LineError(line, _("the row has %(n)d cells, the header %(m)d") % {"n": _cells(row), "m": len(fields)})
        yield line, row


def _cells(row: dict) -> int:
    extra = row.get(None) or []
    return sum(1 for key, value in row.items() if key is not None and value is not None) + len(extra)


_CSL_SOURCE = re.compile(r"\(([A-Z]+)\)[^-]*-\s*(.+)$")
_CSL_AGENCIES = {"Treasury Department": "OFAC", "Bureau of Industry and Security": "BIS", "State Department": "DOS"}
_CSL_MEASURES = {
    "US-BIS-EL": "export control",
    "US-BIS-MEU": "export control",
    "US-BIS-UVL": "export control",
    "US-BIS-DPL": "export control",
    "US-OFAC-SDN": "asset freeze",
    "US-OFAC-FSE": "financial restrictions",
    "US-OFAC-SSI": "financial restrictions",
    "US-DOS-DTC": "debarment",
    "US-DOS-ISN": "trade restrictions",
}
_CSL_IDENTIFIERS = {
    "registration id": "registrationNumber",
    "business registration number": "registrationNumber",
    "public registration number": "registrationNumber",
    "registration number": "registrationNumber",
    "tax id no.": "taxNumber",
    "v.a.t. number": "vatCode",
    "swift/bic": "swiftBic",
    "inn": "innCode",
    "government gazette number": "registrationNumber",
}
_CSL_COUNTRY = re.compile(r",\s*([A-Z]{2})\s*$")


def csl_programme(source: str) -> str:
    """`Entity List (EL) - Bureau of Industry and Security` -> `US-BIS-EL`."""
    match = _CSL_SOURCE.search(source or "")
    if not match:
        return "US-" + re.sub(r"[^A-Z0-9]+", "-", (source or "CSL").upper()).strip("-")[:40]
    abbreviation, agency = match.groups()
    return f"US-{_CSL_AGENCIES.get(agency.strip(), re.sub(r'[^A-Z]', '', agency.upper())[:8])}-{abbreviation}"


def _split(value: str, separator: str = ";") -> list[str]:
    return _unique(part for part in (value or "").split(separator))


_CSL_PERSON_COLUMNS = ("dates_of_birth", "places_of_birth", "nationalities", "citizenships")
_CSL_PERSON_IDS = re.compile(r"(?:^|;\s*)(?:Passport|Gender|National ID No\.|Nationality of Registration)\b", re.I)


def _csl_untyped(row: dict[str, str], name: str) -> str | None:
    """Why a CSL row without a `type` is skipped, or None when it is kept as a LegalEntity.

    Several lists (BIS Entity, Unverified, Denied Persons lists, State ITAR debarments, nonproliferation
    sanctions) leave `type` empty for companies and people alike. A row with a person's details (birth date or
    place, nationality, citizenship, passport, gender) is a person; a row whose name says it is an
    organisation's (`is_organisation_name`: a legal form, "Company", "Institute", ...) is kept; any other is
    skipped, so a listed person never becomes a company a maker could be matched to (an analyst can enter a
    designation by hand for a company skipped this way).
    """
    if any(row.get(column, "").strip() for column in _CSL_PERSON_COLUMNS) or _CSL_PERSON_IDS.search(row.get("ids", "")):
        return _("Person (type missing)")
    if not is_organisation_name(name):
        return _("type missing, not a company name")
    return None


def read_csl(stream: BinaryIO) -> Iterator[Record]:
    """The US Consolidated Screening List: per row an entity (or a skipped individual/vessel) and its listing."""
    for line, row in _csv_rows(stream, (CSL_HEADER_START,)):
        row_id = row["_id"].strip()
        if not row_id:
            raise LineError(line, _("the row has no _id"))
        name = " ".join(row["name"].split())
        if not name:
            raise LineError(line, _("the row has no name"))
        source_id = f"us-csl-{row_id}"
        kind = row.get("type", "").strip().lower()
        if kind in ("individual", "vessel"):
            yield Skipped(line, source_id, "Person" if kind == "individual" else "Vessel")
            continue
        if not kind and (untyped := _csl_untyped(row, name)):
            yield Skipped(line, source_id, untyped)
            continue
        identifiers: dict[str, list[str]] = {}
        websites = []
        for part in _split(row.get("ids", "")):
            label, _sep, value = part.partition(",")
            value = value.strip()
            if label.strip().lower() == "website":
                websites.append(value)
            elif (prop := _CSL_IDENTIFIERS.get(label.strip().lower())) and value:
                number = _CSL_COUNTRY.sub("", value).strip()
                identifiers.setdefault(prop, []).append(number)
        countries = _countries(m.group(1) for a in _split(row.get("addresses", "")) if (m := _CSL_COUNTRY.search(a)))
        program = csl_programme(row["source"])
        start = row.get("start_date", "").strip()
        listed_on = parse_date(start)
        if start and listed_on is None:
            raise LineError(line, _("start_date '%(value)s' is not a date") % {"value": start})
        end = row.get("end_date", "").strip()
        delisted_on = parse_date(end)
        if end and delisted_on is None:
            raise LineError(line, _("end_date '%(value)s' is not a date") % {"value": end})
        if listed_on and delisted_on and delisted_on < listed_on:
            raise LineError(line, _("end_date is before start_date"))
        yield EntityRecord(
            line=line,
            source_id=source_id,
            schema="LegalEntity",
            caption=name[:1000],
            names=[("name", name)] + [("alias", alias) for alias in _split(row.get("alt_names", "")) if alias != name],
            countries=countries,
            identifiers=identifiers,
            websites=websites,
            datasets=["us_trade_csl"],
            first_seen=None,
            last_seen=None,
            raw=row,
        )
        yield SanctionRecord(
            line=line,
            source_id=f"{source_id}-{program}",
            entity_id=source_id,
            authority="US",
            program=program,
            measure=_CSL_MEASURES.get(program, ""),
            provisions="; ".join(_unique([row.get("programs", ""), row.get("license_requirement", "")])),
            listed_on=listed_on,
            delisted_on=delisted_on,
            date_kind="entry into force" if listed_on else "unknown",
            date_source=f"CSL start_date '{start}'" if listed_on else "the CSL row has no start_date",
            reason=row.get("remarks", "").strip(),
            reference=(row.get("federal_register_notice", "") or row.get("entity_number", "")).strip()[:200],
            source_url=(row.get("source_information_url") or row.get("source_list_url") or "").strip()[:1000],
            raw=row,
        )


_EU_ENTITY_COLUMNS_FROM = "schema"
_EU_MEASURES = {
    "asset freeze": "asset freeze",
    "export control": "export control",
    "financial restrictions": "financial restrictions",
    "transportation restrictions": "transport restrictions",
    "trade restrictions": "trade restrictions",
}
_CELEX = re.compile(r"^[0-9][0-9]{4}[A-Z][0-9]{4}$")
EUR_LEX_URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"


def _short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def read_eu_journal(stream: BinaryIO) -> Iterator[Record]:
    """OpenSanctions' EU Official Journal extract: per row an entity of the act and its designation.

    The rows carry no entity id: an entity is identified by the framework act (CELEX), its schema and its
    printed name (`eu-oj-<celex>-<hash>`), so the same company listed under two acts is two listed entities,
    each with its designations. A row repeating an entity (another measure) adds only the designation.
    """
    entity_seen: dict[str, str] = {}
    for line, row in _csv_rows(stream, EU_HEADER_STARTS):
        celex = (row.get("celex") or row.get("amendedCelex") or "").strip()
        if not _CELEX.match(celex):
            raise LineError(line, _("'%(value)s' is not a CELEX number") % {"value": celex})
        schema, name = row["schema"].strip(), " ".join(row["name"].split())
        if not schema or not name:
            raise LineError(line, _("schema and name are required"))
        keys = list(row)
        entity_raw = {k: row[k] for k in keys[keys.index(_EU_ENTITY_COLUMNS_FROM) :] if row[k]}
        entity_id = f"eu-oj-{celex}-{_short_hash(schema, name)}"
        if schema not in ENTITY_SCHEMATA:
            yield Skipped(line, entity_id, schema)
            continue
        digest = content_digest(schema, entity_raw)
        first_row = entity_id not in entity_seen
        if entity_seen.setdefault(entity_id, digest) != digest:
            raise LineError(
                line, _("'%(name)s' is listed again with other entity details than before") % {"name": name}
            )
        if first_row:
            multi = {key: _cells_split(value) for key, value in entity_raw.items() if key not in ("schema", "name")}
            names = [("name", name)]
            names += [(kind, value) for kind in NAME_PROPERTIES[1:] for value in multi.get(kind, []) if value != name]
            yield EntityRecord(
                line=line,
                source_id=entity_id,
                schema=schema,
                caption=name[:1000],
                names=names,
                countries=_countries(v for kind in COUNTRY_PROPERTIES for v in multi.get(kind, []))
                or _countries(address.rsplit(",", 1)[-1] for address in multi.get("address", [])),
                identifiers={kind: multi[kind] for kind in IDENTIFIER_PROPERTIES if multi.get(kind)},
                websites=multi.get("website", []),
                datasets=["eu_journal_sanctions"],
                first_seen=None,
                last_seen=None,
                raw=entity_raw,
            )
        start = row.get("startDate", "").strip()
        listed_on = parse_date(start)
        if start and listed_on is None:
            raise LineError(line, _("startDate '%(value)s' is not a date") % {"value": start})
        program, annex, measure = row["programKey"].strip(), row.get("annex", "").strip(), row["measure"].strip()
        if not program or not measure:
            raise LineError(line, _("programKey and measure are required"))
        record_id = row.get("recordId", "").strip()
        reference = f"{celex}" + (f" Annex {annex}" if annex else "") + (f" No {record_id}" if record_id else "")
        sanction_raw = {k: row[k] for k in keys[: keys.index(_EU_ENTITY_COLUMNS_FROM)] if row[k]}
        yield SanctionRecord(
            line=line,
            source_id=f"{entity_id}-{_short_hash(program, annex, measure)}",
            entity_id=entity_id,
            authority="EU",
            program=program[:200],
            measure=_EU_MEASURES.get(measure.lower(), "other"),
            provisions=measure,
            listed_on=listed_on,
            delisted_on=None,
            date_kind="listing" if listed_on else "unknown",
            date_source=(
                f"Official Journal, CELEX {celex}, printed date '{start}'"
                if listed_on
                else f"Official Journal, CELEX {celex}: no date printed for this entry"
            ),
            reason=row.get("reason", "").strip(),
            reference=reference[:200],
            source_url=EUR_LEX_URL.format(celex=celex),
            raw=sanction_raw,
        )


def _cells_split(value: str) -> list[str]:
    """A multi-valued EU Journal cell: `;`-separated, values CSV-quoted when they hold `;` or `"`."""
    return _unique(next(csv.reader([value], delimiter=";", skipinitialspace=True), []))
