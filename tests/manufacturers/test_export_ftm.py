"""export_ftm: our parties as a FollowTheMoney entity stream, checked against FtM's published schema rules
(followthemoney itself needs PyICU, which has no wheel: not installed) and read back by our own importer."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manufacturers.models import ListedEntity, SanctionMatch
from manufacturers.sanctions.export import ftm_export_entities
from manufacturers.sanctions.importing import sanctions_list_import
from manufacturers.sanctions.readers import FTM_SCHEMATA
from tests import factories

pytestmark = pytest.mark.django_db

# From followthemoney/schema/{Thing,LegalEntity,Organization,Company,Interest,Ownership,Sanction}.yaml: the
# properties each schema has (of those an exporter of companies would use), which are required, and their type.
SCHEMA_RULES = {
    "Company": {
        "required": {"name"},
        "properties": {"name": "name", "alias": "name", "country": "country", "jurisdiction": "country",
                       "website": "url", "notes": "text", "registrationNumber": "identifier",
                       "innCode": "identifier", "ogrnCode": "identifier", "taxNumber": "identifier",
                       "vatCode": "identifier", "leiCode": "identifier", "okpoCode": "identifier",
                       "dunsCode": "identifier"},
    },
    "Ownership": {
        "required": {"owner", "asset"},
        "properties": {"owner": "entity", "asset": "entity", "startDate": "date", "endDate": "date",
                       "percentage": "string", "role": "string", "summary": "text"},
    },
    "Sanction": {
        "required": {"entity"},
        "properties": {"entity": "entity", "authority": "string", "authorityId": "identifier",
                       "country": "country", "program": "string", "programId": "string", "provisions": "string",
                       "reason": "text", "sourceUrl": "url", "startDate": "date", "endDate": "date",
                       "listingDate": "date", "summary": "text"},
    },
}  # fmt: skip
TYPE_PATTERNS = {
    "date": re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$"),
    "country": re.compile(r"^([a-z]{2}|eu|suhh)$"),
    "url": re.compile(r"^https?://"),
}


def assert_valid_ftm(entities: list[dict]) -> None:
    ids = [entity["id"] for entity in entities]
    assert len(ids) == len(set(ids)), "ids are unique"
    for entity in entities:
        assert set(entity) == {"id", "schema", "properties"}
        assert entity["schema"] in FTM_SCHEMATA
        rules = SCHEMA_RULES[entity["schema"]]
        properties = entity["properties"]
        assert rules["required"] <= set(properties), f"{entity['id']} lacks {rules['required'] - set(properties)}"
        for name, values in properties.items():
            kind = rules["properties"].get(name)
            assert kind is not None, f"{entity['schema']} has no property {name}"
            assert values and all(isinstance(v, str) and v.strip() for v in values)
            for value in values:
                if kind == "entity":
                    assert value in ids, f"{entity['id']}.{name} -> {value} does not resolve"
                elif kind in TYPE_PATTERNS:
                    assert TYPE_PATTERNS[kind].match(value), f"{entity['id']}.{name}: {value!r} is not a {kind}"


def _world():
    analog = factories.ManufacturerFactory(name="Analog Devices", country="US", website="https://www.analog.com")
    linear = factories.ManufacturerFactory(name="Linear Technology", country="US")
    factories.ManufacturerAliasFactory(manufacturer=linear, alias="LTC")
    factories.OwnershipFactory(parent=analog, child=linear, start_on=dt.date(2017, 3, 10))
    integral = factories.ManufacturerFactory(name="Integral", country="BY")
    integral.identifiers.create(kind="registrationNumber", value="100386629")
    factories.DesignationFactory(
        manufacturer=integral, authority="UA", program="UA-NSDC", listed_on=dt.date(2023, 5, 12), date_kind="listing"
    )
    listed = factories.ListedEntityFactory(caption="JSC Integral", countries=["BY"])
    listed.designations.create(authority="EU", program="EU-BLR", listed_on=dt.date(2025, 3, 27), measure="asset freeze")
    listed.designations.create(authority="US", program="US-OFAC-SDN", date_kind="unknown")
    SanctionMatch.objects.create(
        manufacturer=integral, listed_entity=listed, score=1, strong=True, decision="confirmed",
        decided_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    rejected = factories.ListedEntityFactory(caption="Integral SPB")
    rejected.designations.create(authority="EU", program="EU-RUS", listed_on=dt.date(2022, 3, 15))
    SanctionMatch.objects.create(
        manufacturer=integral, listed_entity=rejected, score=0.7, decision="rejected",
        decided_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    return integral


def test_export_is_valid_ftm_with_companies_ownerships_and_sanctions(tmp_path):
    integral = _world()
    out = tmp_path / "parties.ftm.json"
    call_command("export_ftm", "-o", str(out))
    entities = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert_valid_ftm(entities)
    by_schema = {}
    for entity in entities:
        by_schema.setdefault(entity["schema"], []).append(entity)
    assert len(by_schema["Company"]) == 3
    company = next(e for e in by_schema["Company"] if e["properties"]["name"] == ["Integral"])
    assert company["properties"]["registrationNumber"] == ["100386629"]
    linear = next(e for e in by_schema["Company"] if e["properties"]["name"] == ["Linear Technology"])
    assert linear["properties"]["alias"] == ["LTC"] and linear["properties"]["country"] == ["us"]
    (ownership,) = by_schema["Ownership"]
    assert ownership["properties"]["startDate"] == ["2017-03-10"]
    sanctions = by_schema["Sanction"]
    assert {s["properties"]["entity"][0] for s in sanctions} == {f"ctp-manufacturer-{integral.pk}"}
    programmes = sorted(s["properties"]["programId"][0] for s in sanctions)
    assert programmes == ["EU-BLR", "UA-NSDC", "US-OFAC-SDN"]  # the rejected look-alike's listing is not ours
    eu = next(s for s in sanctions if s["properties"]["programId"] == ["EU-BLR"])
    assert eu["properties"]["listingDate"] == ["2025-03-27"] and eu["properties"]["country"] == ["eu"]
    sdn = next(s for s in sanctions if s["properties"]["programId"] == ["US-OFAC-SDN"])
    assert "listingDate" not in sdn["properties"] and "startDate" not in sdn["properties"]


def test_export_reads_back_through_our_importer():
    _world()
    buffer = io.StringIO()
    call_command("export_ftm", stdout=buffer)
    summary = sanctions_list_import(stream=io.BytesIO(buffer.getvalue().encode()), file_name="ours.ftm.json")
    assert (summary.created, summary.skipped) == (3 + 1 + 3, 0)
    integral = ListedEntity.objects.get(source_id__startswith="ctp-", caption="Integral")
    assert integral.designations.count() == 3
    assert integral.identifiers == {"registrationNumber": ["100386629"]}


def test_export_costs_the_same_queries_for_more_makers():
    _world()
    with CaptureQueriesContext(connection) as few:
        small = list(ftm_export_entities())
    for n in range(20):
        maker = factories.ManufacturerFactory(name=f"Maker {n}")
        factories.ManufacturerAliasFactory(manufacturer=maker, alias=f"M{n}")
        factories.DesignationFactory(manufacturer=maker)
    with CaptureQueriesContext(connection) as many:
        large = list(ftm_export_entities())
    assert len(large) == len(small) + 40
    assert len(many.captured_queries) == len(few.captured_queries)
