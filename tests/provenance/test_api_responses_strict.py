"""Real responses of every API operation, briefings included, checked strictly against `/api/schema/`.

What a client generated from the schema (openapi-python-client, a strict OpenAPI 3.0.3 validator) meets: each
response's status code and media type are declared for its operation, its JSON body matches the declared schema
read the strict 3.0.3 way, with no undeclared field, and the declared headers are sent (Retry-After on a 429).

Needs only `jsonschema` (already a dependency of drf-spectacular and schemathesis). The OpenAPI Schema Objects are
translated to JSON Schema by `_json_schema()`, with OpenAPI 3.0.3's reading of `nullable`: it adds null only to a
`type` given beside it, and a `$ref` ignores its siblings. The document itself is checked against the official
OpenAPI 3.0 JSON Schema (as bundled with drf-spectacular) and those two rules.
"""

import datetime as dt
import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

import drf_spectacular
import jsonschema
import pytest
from django.test import Client

from provenance.models import BriefingReport
from tests import factories
from tests.provenance.api_world import World, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

LISTS = ("weapon-models", "strikes", "recovered-items", "findings", "manufacturers", "parts")
STATS = ("breakdown", "shift", "sanctions")

# Keywords of an OpenAPI Schema Object that JSON Schema does not have (annotations only, or `nullable`, below).
_OPENAPI_ONLY = {"nullable", "readOnly", "writeOnly", "example", "discriminator", "xml", "externalDocs", "deprecated"}


def _json_schema(node: dict) -> dict:
    """An OpenAPI 3.0.3 Schema Object as JSON Schema (draft 4), read strictly:
    - a Reference Object is the reference alone (OpenAPI 3.0.3: its siblings SHALL be ignored);
    - `nullable: true` adds null only to the `type` beside it (OpenAPI 3.0.3); an `enum` must list null itself;
    - an object with `properties` and no `additionalProperties` takes no other property: a response field the
      schema does not declare is a failure (the serializer and the schema drifted apart)."""
    if "$ref" in node:
        return {"$ref": node["$ref"]}
    out = {key: value for key, value in node.items() if key not in _OPENAPI_ONLY}
    if node.get("nullable") is True and "type" in node:
        out["type"] = [node["type"], "null"]
    if "properties" in node:
        out["properties"] = {name: _json_schema(schema) for name, schema in node["properties"].items()}
        out.setdefault("additionalProperties", False)
    for key in ("items", "not"):
        if key in node:
            out[key] = _json_schema(node[key])
    if isinstance(node.get("additionalProperties"), dict):
        out["additionalProperties"] = _json_schema(node["additionalProperties"])
    for key in ("allOf", "oneOf", "anyOf"):
        if key in node:
            out[key] = [_json_schema(schema) for schema in node[key]]
    return out


_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("date", raises=ValueError)
def _date(value) -> bool:
    return not isinstance(value, str) or bool(dt.date.fromisoformat(value))


@_FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    return not isinstance(value, str) or bool(dt.datetime.fromisoformat(value))


@_FORMATS.checks("uri")
def _uri(value) -> bool:
    """An absolute URI (RFC 3986): a scheme, a host, and nothing a URI may not hold unencoded."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and value.isascii() and not any(c.isspace() for c in value)


class StrictSchema:
    """The schema served at /api/schema/, and the checks of one response against it."""

    def __init__(self, document: dict) -> None:
        self.document = document
        self.components = {name: _json_schema(s) for name, s in document["components"]["schemas"].items()}
        self.checked: dict[tuple[str, str], set[int]] = {}

    def check(self, method: str, path: str, response) -> None:
        """`response` of `method` on the operation `path` (a template: `/api/v1/findings/{id}/`), strictly."""
        operation = self.document["paths"][path][method]
        where = f"{method.upper()} {path} -> {response.status_code}"
        declared = operation["responses"].get(str(response.status_code))
        assert declared is not None, f"{where}: status code not declared"
        media_type = response["Content-Type"].split(";")[0]
        assert media_type in declared.get("content", {}), f"{where}: {media_type} not declared"
        for name, header in declared.get("headers", {}).items():
            if header.get("required"):
                assert response.has_header(name), f"{where}: header {name} missing"
                assert response[name].isdigit(), f"{where}: header {name} is {response[name]!r}"
        schema = declared["content"][media_type]["schema"]
        if media_type == "application/json":
            validator = jsonschema.Draft4Validator(
                {"allOf": [_json_schema(schema)], "components": {"schemas": self.components}}, format_checker=_FORMATS
            )
            found = validator.iter_errors(response.json())
            errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in found]
            assert not errors, f"{where}: {errors[:5]}"
        else:
            assert schema == {"type": "string", "format": "binary"}, where
        self.checked.setdefault((method, path), set()).add(response.status_code)


@pytest.fixture
def strict(client) -> StrictSchema:
    return StrictSchema(client.get("/api/schema/", {"format": "json"}).json())


def _walk(node, path: str = ""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _walk(value, f"{path}/{n}")


def test_the_schema_document_is_strict_openapi_3_0_3(strict: StrictSchema):
    document = strict.document
    assert document["openapi"] == "3.0.3"
    official = Path(drf_spectacular.__file__).parent / "validation" / "openapi_3_0_schema.json"
    jsonschema.validate(document, json.loads(official.read_text()))
    schemas = [(path, node) for path, node in _walk(document) if "/schema" in path or "/schemas/" in path]
    assert not [path for path, node in schemas if "nullable" in node and "type" not in node]
    assert not [path for path, node in schemas if "$ref" in node and len(node) > 1]


def _reference_data(world: World) -> None:
    """Two rows a partner may see in every list (so `next` and `previous` are real links), and findings with a
    catalogued part and a source and one with no known maker: every nullable nested object of a finding appears
    both as an object and as null."""
    factories.WeaponModelFactory(designation="Kh-101", family="Kh-101")
    maker = factories.ManufacturerFactory(name="Analog Devices", country="US", reviewed=True)
    for n, reference in enumerate(("CLEAR-published-none", "GREEN-published-none")):
        item = world.items[reference]
        item.strike = factories.StrikeFactory(place=f"Place {n}")
        item.save()
        part = factories.PartFactory(part_number=f"AD722{n}", manufacturer=maker)
        source = factories.SourceFactory()
        factories.FindingFactory(item=item, part=part, manufacturer=maker, source=source, line_no=2, quantity=2)
    factories.FindingFactory(item=world.items["CLEAR-published-none"], manufacturer=None, line_no=3, quantity=1)


def _exercise_lists(strict: StrictSchema, client: Client) -> None:
    for resource in LISTS:
        path = f"/api/v1/{resource}/"
        first = client.get(path, {"page_size": 1})
        strict.check("get", path, first)
        assert first.json()["next"], resource  # more than one row: a real `next` link
        strict.check("get", path, client.get(path, {"page_size": 1, "page": 2}))  # a real `previous` link
        allowed = next(p for p in strict.document["paths"][path]["get"]["parameters"] if p["name"] == "ordering")
        for ordering in allowed["schema"]["enum"]:
            strict.check("get", path, client.get(path, {"ordering": ordering, "page_size": 500}))
        strict.check("get", path, client.get(path, {"ordering": "secret_notes"}))  # a 400
        rows = client.get(path, {"page_size": 500}).json()["results"]
        for row in rows:
            strict.check("get", f"{path}{{id}}/", client.get(f"{path}{row['id']}/"))
        strict.check("get", f"{path}{{id}}/", client.get(f"{path}999999/"))  # a 404


def _exercise_statistics(strict: StrictSchema, client: Client) -> None:
    for name in STATS:
        path = f"/api/v1/stats/{name}/"
        for by in ("country", "manufacturer"):
            strict.check("get", path, client.get(path, {"weapon": "9M727", "by": by, "attribution": "parent"}))
        strict.check("get", path, client.get(path, {"weapon": "NOPE"}))  # a 400


def _exercise_briefings(strict: StrictSchema, client: Client) -> None:
    path = "/api/v1/briefings/"
    body = {"weapon": "9M727", "foreign_only": True, "from": "2020-01-01", "formats": ["csv", "html"]}
    created = client.post(path, body, content_type="application/json")
    strict.check("post", path, created)
    assert created.status_code == 201
    strict.check("post", path, client.post(path, {"unit": "kg", "colour": "red"}, content_type="application/json"))
    strict.check("get", path, client.get(path))
    report = created.json()
    strict.check("get", f"{path}{{id}}/", client.get(f"{path}{report['id']}/"))
    strict.check("get", f"{path}{{id}}/", client.get(f"{path}999999/"))
    for fmt, file in report["files"].items():
        download = client.get(f"{path}{report['id']}/{fmt}/")
        strict.check("get", f"{path}{{id}}/{{fmt}}/", download)
        assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == file["sha256"]
    strict.check("get", f"{path}{{id}}/{{fmt}}/", client.get(f"{path}{report['id']}/pdf/"))  # not rendered: 404


def test_every_operation_answers_as_the_schema_says(world: World, strict: StrictSchema, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _reference_data(world)
    for caller in ("partner_a", "staff"):  # a partner's answers and the fuller ones of staff
        client = world.client(caller)
        _exercise_lists(strict, client)
        _exercise_statistics(strict, client)
        _exercise_briefings(strict, client)

    # Refusals: no key (401), staff without the permissions (403), a partner past its briefing quota (429).
    for path in ("/api/v1/findings/", "/api/v1/briefings/"):
        strict.check("get", path, Client().get(path))
    bare = Client()
    bare.force_login(factories.UserFactory(username="bare", is_staff=True))
    strict.check("get", "/api/v1/recovered-items/", bare.get("/api/v1/recovered-items/"))
    settings.BRIEFING_QUEUE_PER_ORGANISATION = 1
    BriefingReport.objects.create(organisation=world.partner_a, parameters={}, title="waiting")
    refused = world.client("partner_a").post("/api/v1/briefings/", {}, content_type="application/json")
    strict.check("post", "/api/v1/briefings/", refused)
    assert refused.status_code == 429

    # Every operation of the schema was checked with a successful answer.
    operations = {(method, path) for path, item in strict.document["paths"].items() for method in item}
    assert operations == set(strict.checked)
    assert not [op for op, codes in strict.checked.items() if not any(200 <= code < 300 for code in codes)]
    assert {401, 403, 404, 400} <= set().union(*strict.checked.values())


def test_the_strict_reading_refuses_what_a_generated_client_would(strict: StrictSchema):
    """The checks above can fail: a null where only an object is declared, an undeclared field, a bad date."""
    finding = {"allOf": [{"$ref": "#/components/schemas/Finding"}], "components": {"schemas": strict.components}}
    validator = jsonschema.Draft4Validator(finding, format_checker=_FORMATS)
    line = {
        "id": 1,
        "item": {"id": 1, "reference": "UA-1"},
        "weapon_model": "9M727",
        "line_no": 1,
        "part": None,
        "manufacturer": {"id": 1, "name": "TI", "country": "US"},
        "country": "US",
        "category": None,
        "quantity": 1,
        "marking": "",
        "date_code": "",
        "produced_year": None,
        "produced_week": None,
        "lot_code": "",
        "origin_marking": "",
        "origin_country": "",
        "module": "",
        "confidence": "confirmed",
        "source": None,
    }
    assert validator.is_valid(line)
    assert not validator.is_valid({**line, "item": None})  # not declared nullable
    assert not validator.is_valid({**line, "notes": "internal"})  # not declared at all
    assert not validator.is_valid({**line, "confidence": None})  # an enum without null
    nullable_ref_in_3_0_3 = {"allOf": [{"$ref": "#/components/schemas/PartRef"}], "nullable": True}
    loose = {"allOf": [_json_schema(nullable_ref_in_3_0_3)], "components": {"schemas": strict.components}}
    assert not jsonschema.Draft4Validator(loose).is_valid(None)  # drf-spectacular's own form, read strictly
