"""The OpenAPI schema: valid, documented errors, docs served locally, and the API conforms to it
(schemathesis, in-process, with a partner key). Real responses checked strictly: test_api_responses_strict.py."""

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.provenance.api_world import World, world_fixture  # noqa: F401

# Every partner endpoint: the read-only resources, the statistics and the briefings.
RESOURCES = ("weapon-models", "strikes", "recovered-items", "findings", "manufacturers", "parts", "stats", "briefings")
# 6 resources x (list, detail) + breakdown + shift + sanctions + briefings (list, request, detail, file)
OPERATIONS = 19


def _ours(path: str) -> bool:
    return path.split("/")[3] in RESOURCES


def test_schema_is_valid_without_warnings(tmp_path):
    # The CI check: drf-spectacular's validator, failing on any warning.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/findings/" in (tmp_path / "schema.yaml").read_text()


def test_schema_documents_errors_and_the_bearer_key(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["partnerKey"]["scheme"] == "bearer"
    paths = [path for path in schema["paths"] if _ours(path)]
    assert len(paths) == 18
    operations = [(path, method) for path in paths for method in schema["paths"][path]]
    assert len(operations) == OPERATIONS
    for path, method in operations:
        operation = schema["paths"][path][method]
        success = "201" if method == "post" else "200"
        assert {success, "400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)
        assert {"partnerKey": []} in operation["security"], (method, path)
        assert operation["responses"]["429"]["headers"]["Retry-After"]["required"] is True, (method, path)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_are_served_without_a_cdn(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page


def test_every_operation_refuses_requests_without_a_key(world: World, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in filter(_ours, schema["paths"]):
        url = path.replace("{id}", str(world.items["CLEAR-published-none"].pk)).replace("{fmt}", "csv")
        for method in schema["paths"][path]:
            response = getattr(client, method)(url, {}, content_type="application/json")
            assert response.status_code == 401, (method, url)
            assert set(response.json()) == {"detail"}, (method, url)


@pytest.fixture
def wsgi_app():
    """The real WSGI application, minus closing the database connection after each request (as Django's
    test client does): the test's transaction, and the world in it, must survive the requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_against_the_schema_with_a_partner_key(world: World, wsgi_app, settings):
    app = wsgi_app
    # Requested briefings stay queued (nothing renders a PDF per generated example); past the organisation's
    # quota a request is a 429, whose Retry-After header is checked too.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    # Django refuses NUL characters in any parameter (a 400 by design), so none are generated.
    config = SchemathesisConfig.from_dict({"generation": {"allow-x00": False}})
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, config=config)
    headers = {"Authorization": f"Bearer {world.key_a}"}
    operations = [result.ok() for result in schema.get_all_operations() if _ours(result.ok().path)]
    assert len(operations) == OPERATIONS

    for operation in operations:
        # The statistics, the lists and a briefing request answer 400 to what the schema cannot express: a weapon,
        # family, item or country that does not exist (free text in the schema), a page deeper than
        # API_MAX_PAGE_DEPTH, more than API_MAX_SEARCH_TERMS search terms, an end date before the start date. A
        # schema-valid value may rightly be refused there; a detail must accept it. No 5xx and a conforming body
        # are checked everywhere.
        is_list = operation.path.endswith("/") and "{" not in operation.path
        excluded = [positive_data_acceptance] if "/stats/" in operation.path or is_list else []

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=12,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call(headers=headers)
            # No server errors, documented status codes, bodies that match the schema; the auth check
            # replays each successful request without the key and with a wrong one, and expects a refusal.
            case.validate_response(response, headers=headers, excluded_checks=excluded)

        check()


def test_ordering_lists_its_values_and_refuses_any_other(world: World, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/recovered-items/"]["get"]["parameters"]
    ordering = next(parameter for parameter in parameters if parameter["name"] == "ordering")
    assert ordering["schema"]["enum"] == [
        "recovered_on",
        "-recovered_on",
        "analysed_on",
        "-analysed_on",
        "reference",
        "-reference",
        "id",
        "-id",
    ]
    partner = world.client("partner_a")
    rows = partner.get("/api/v1/recovered-items/", {"ordering": "-reference", "page_size": 500}).json()["results"]
    references = [row["reference"] for row in rows]
    assert len(references) == len(world.visible_references("partner_a"))
    assert references == sorted(references, reverse=True)
    assert partner.get("/api/v1/recovered-items/", {"ordering": "reference,-id"}).status_code == 200
    refused = partner.get("/api/v1/recovered-items/", {"ordering": "reference,notes"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["ordering"] == [
        "Cannot order by “notes”; order by one of: recovered_on, -recovered_on, analysed_on, -analysed_on, "
        "reference, -reference, id, -id."
    ]
