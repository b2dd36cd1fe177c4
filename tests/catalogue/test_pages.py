"""The public catalogue's pages: what the public sees, and that nothing of a hidden sample or an internal
field reaches a page, a filter's option list or a count (CLEAR published vs GREEN, AMBER, RED, draft)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.cache import cache

from provenance.services.findings import evidence_file_store, recovered_item_save
from provenance.services.photos import evidence_public_set
from tests import factories
from tests.catalogue.world import HIDDEN, build_world, hidden_texts, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _assert_nothing_hidden(html: str) -> None:
    leaked = [text for text in hidden_texts() if text.lower() in html.lower()]
    assert leaked == []


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


def test_root_goes_to_the_catalogue_in_the_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uk-UA,uk;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/uk/components/"
    assert "Accept-Language" in response["Vary"]
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")["Location"] == "/en/components/"


@pytest.mark.parametrize("language", ["en", "uk"])
def test_list_shows_the_public_component_with_its_maker_parent_country_weapon_and_date(client, world, language):
    html = _text(client.get(f"/{language}/components/"))
    assert f'<html lang="{language}">' in html
    assert "MAX2769" in html
    assert "Maxim Integrated" in html and "(Analog Devices)" in html
    assert "9M727" in html and "KYIV-2025-09-07-CAB" in html
    assert "2022" in html and "35" in html and "<code>2235</code>" in html
    assert "RUSSIAN-PART" in html  # Russian parts are listed too
    _assert_nothing_hidden(html)


def test_list_count_and_every_option_list_hold_only_public_data(client, world):
    html = _text(client.get("/en/components/"))
    assert re.search(r'<h2 id="results">\s*2 component lines\s*</h2>', html)
    # Each value with its number of public lines: the hidden samples' 7-unit lines count nowhere.
    assert _options(html, "manufacturer") == ["All", "Maxim Integrated (1)"]
    assert _options(html, "country") == ["All", "Russia (1)", "United States (1)"]
    assert _options(html, "weapon") == ["All", "9M727 (2)"]
    assert _options(html, "category") == ["All", "microcontroller (1)"]
    _assert_nothing_hidden(html)


@pytest.mark.parametrize("reference", [h[0] for h in HIDDEN])
def test_asking_a_filter_for_a_hidden_value_shows_nothing_of_it(client, world, reference):
    finding = world.hidden_findings[reference]
    for query in (
        {"manufacturer": finding.manufacturer_id},
        {"country": finding.country.code},
        {"weapon": finding.item.weapon_model_id},
        {"category": finding.category_id},
        {"q": finding.marking},
        {"q": finding.part.part_number},
    ):
        html = _text(client.get("/en/components/", query))
        if "q" in query:  # the search box repeats what was typed: that is the visitor's text, not a leak
            html = re.sub(re.escape(query["q"]), "", html, flags=re.I)
        _assert_nothing_hidden(html)
        assert "MAX2769 ETI" not in html  # a filter that cannot match shows no row at all
        assert re.search(r'<h2 id="results">\s*0 component lines\s*</h2>', html), query


@pytest.mark.parametrize("reference", [h[0] for h in HIDDEN])
def test_hidden_components_weapons_makers_and_photos_answer_404(client, world, reference):
    finding = world.hidden_findings[reference]
    assert client.get(f"/en/components/{finding.pk}/").status_code == 404
    assert client.get(f"/en/weapons/{finding.item.weapon_model.designation}/").status_code == 404
    assert client.get(f"/uk/manufacturers/{finding.manufacturer_id}/").status_code == 404
    photo = finding.item.evidence.get()
    assert photo.public  # marked public by an analyst, but its sample is not
    assert client.get(f"/photos/{photo.pk}/thumb.jpg").status_code == 404
    assert client.get(f"/photos/{photo.pk}/full.jpg").status_code == 404


def test_filters_search_and_pages(client, world):
    maker = world.public_maker
    assert "MAX2769 ETI" in _text(client.get("/en/components/", {"manufacturer": maker.pk}))
    assert "MAX2769 ETI" not in _text(client.get("/en/components/", {"country": "RU"}))
    assert "RUSSIAN-PART" in _text(client.get("/en/components/", {"country": "RU"}))
    assert "MAX2769 ETI" in _text(client.get("/en/components/", {"q": "max-2769"}))  # part number, any spelling
    assert "MAX2769 ETI" in _text(client.get("/en/components/", {"q": "eti 2235"}))  # marking
    html = _text(client.get("/en/components/", {"q": "nothing-like-this"}))
    assert "No published component matches these filters." in html
    html = _text(client.get("/en/components/", {"manufacturer": "999999"}))
    assert "Some filters could not be used" in html


def test_pages_of_fifty(client, world):
    factories.FindingFactory.create_batch(60, item=world.public_item, manufacturer=world.public_maker)
    first = _text(client.get("/en/components/"))
    assert first.count('<tr>\n        <td data-label="Photo">') == 50
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = _text(client.get("/en/components/", {"page": 2}))
    assert second.count('<td data-label="Photo">') == 12
    assert "Page 2 of 2" in second


def test_component_page_shows_the_sample_and_no_internal_field(client, world):
    html = _text(client.get(f"/en/components/{world.public_finding.pk}/"))
    assert "MAX2769 ETI 2235" in html
    assert "2022, week 35" in html
    assert "Iskander teardown 2025" in html and "GUR" in html
    assert "KYIV-2025-09-07-CAB" in html and "Kyiv" in html
    _assert_nothing_hidden(html)


def test_weapon_page_breakdown_table_chart_shift_and_counting_rule(client, world):
    later = factories.RecoveredItemFactory(
        reference="ODESA-2026", weapon_model=world.public_item.weapon_model, recovered_on=dt.date(2026, 1, 10)
    )
    factories.FindingFactory(item=later, manufacturer=None, country="CN", quantity=3)
    html = _text(client.get("/en/weapons/9M727/"))
    assert "2 published samples, 10 component units." in html
    table = html[html.index('id="by-country"') : html.index('id="shift"')]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', table)
    assert rows == [("Russia (RU)", "5"), ("China (CN)", "3"), ("United States (US)", "2"), ("Total", "10")]
    assert 'src="data:image/svg+xml;base64,' in html
    assert "How this is counted" in html and "Only published TLP:CLEAR samples are counted." in html
    assert "2025" in html and "2026" in html and "+100.0 pp" in html  # China's share went from 0 to 100 %
    _assert_nothing_hidden(html)


def test_manufacturer_page_parent_components_and_designations(client, world):
    factories.DesignationFactory(manufacturer=world.public_maker, program="Entity List")
    html = _text(client.get(f"/en/manufacturers/{world.public_maker.pk}/"))
    assert "Maxim Integrated" in html and "Analog Devices" in html
    assert "United States" in html
    assert "MAX2769" in html and "Entity List" in html
    # The parent has no component of its own, but owns one that has: its page exists and links back.
    parent = _text(client.get(f"/en/manufacturers/{world.parent_maker.pk}/"))
    assert "Maxim Integrated" in parent
    _assert_nothing_hidden(html + parent)


def test_public_photo_of_the_component_is_listed_and_served_without_metadata(client, world):
    evidence = evidence_file_store(file=upload(), finding=world.public_finding, uploaded_by=None)
    private = evidence_file_store(file=upload("private.jpg"), finding=world.public_finding, uploaded_by=None)
    evidence_public_set(evidence=evidence, public=True)
    html = _text(client.get("/en/components/"))
    assert f'src="/photos/{evidence.pk}/thumb.jpg"' in html
    assert f"/photos/{private.pk}/" not in html
    response = client.get(f"/photos/{evidence.pk}/full.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    body = b"".join(response.streaming_content)
    assert b"SecretCam" not in body and b"Exif" not in body
    assert client.get(f"/photos/{private.pk}/full.jpg").status_code == 404
    assert client.get(f"/en/components/{world.public_finding.pk}/").content.count(b"/photos/") >= 2


def test_pages_carry_an_etag_and_answer_304_until_the_data_changes(client, world):
    first = client.get("/en/components/")
    assert first["X-Cache"] == "miss" and "public" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get("/en/components/")["X-Cache"] == "hit"
    assert client.get("/en/components/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/uk/components/")["ETag"] != etag  # the language is part of the key
    world.public_item.tlp = "AMBER"
    recovered_item_save(item=world.public_item, user=None)
    changed = client.get("/en/components/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "MAX2769" not in changed.content.decode()  # turned AMBER: gone at once, no stale page


def test_list_page_query_count_does_not_grow_with_the_rows(client, world, django_assert_num_queries):
    for _ in range(30):
        finding = factories.FindingFactory(item=world.public_item, manufacturer=world.public_maker)
        evidence_public_set(evidence=evidence_file_store(file=upload(), finding=finding, uploaded_by=None), public=True)
    # 1 data version, 1 check of the public flags, 1 query for the option lists and the total, 3 names of
    # their values (makers, categories, weapons), 1 the makers' designations (manual, matched and through owners,
    # one UNION), 1 ownerships (parents), 1 parents' names, 1 page, 1 photos
    with django_assert_num_queries(11):
        assert client.get("/en/components/").status_code == 200
    # Another URL of the same list: the option lists and the count come from the cache.
    with django_assert_num_queries(5):
        assert client.get("/en/components/", {"page": 1}).status_code == 200
    # Another filter: its own count (1 more query).
    with django_assert_num_queries(6):
        assert client.get("/en/components/", {"country": "US"}).status_code == 200
    # The same page again: 1 data version, the rendered page from the cache.
    with django_assert_num_queries(1):
        assert client.get("/en/components/", {"country": "US"}).status_code == 200


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_holds_the_filtered_public_lines_only_escaped_against_formulas(client, world):
    factories.FindingFactory(item=world.public_item, manufacturer=None, country="CN", marking="=HYPERLINK(1)")
    rows = _csv(client.get("/en/components/export.csv"))
    assert rows[0][:3] == ["Component page", "Part number", "Marking"]
    body = rows[1:]
    assert len(body) == 3  # the three public lines: nothing of the hidden samples
    assert {row[2] for row in body} == {"MAX2769 ETI 2235", "RUSSIAN-PART", "'=HYPERLINK(1)"}
    maxim = next(row for row in body if row[2] == "MAX2769 ETI 2235")
    assert maxim[5:9] == ["Maxim Integrated", "Analog Devices", "US", "United States"]
    assert maxim[0].endswith(f"/en/components/{world.public_finding.pk}/")
    _assert_nothing_hidden("\n".join(",".join(row) for row in rows))
    only_russia = _csv(client.get("/en/components/export.csv", {"country": "RU"}))
    assert [row[2] for row in only_russia[1:]] == ["RUSSIAN-PART"]
    assert _csv(client.get("/uk/components/export.csv"))[0][1] != "Part number"  # the header speaks Ukrainian


@pytest.mark.parametrize("reference", [h[0] for h in HIDDEN])
def test_csv_export_of_a_hidden_value_is_refused_and_shows_nothing(client, world, reference):
    finding = world.hidden_findings[reference]
    response = client.get("/en/components/export.csv", {"manufacturer": finding.manufacturer_id})
    assert response.status_code == 400
    assert finding.manufacturer.name not in response.content.decode()
    rows = _csv(client.get("/en/components/export.csv", {"q": finding.marking}))
    assert rows[1:] == []


def test_sort_orders_and_an_unknown_order(client, world):
    old = factories.FindingFactory(item=world.public_item, manufacturer=None, country="CN", produced_year=1999)
    new = factories.FindingFactory(item=world.public_item, manufacturer=None, country="CN", produced_year=2024)
    rows = _csv(client.get("/en/components/export.csv", {"sort": "produced-old"}))
    assert [row[13] for row in rows[1:]] == ["1999", "2022", "2024", ""]  # undated last
    rows = _csv(client.get("/en/components/export.csv", {"sort": "produced"}))
    assert [row[13] for row in rows[1:]] == ["2024", "2022", "1999", ""]
    html = _text(client.get("/en/components/", {"sort": "maker"}))
    assert html.index("MAX2769 ETI") < html.index(f"/en/components/{old.pk}/")  # makers A to Z, unknown last
    assert _options(html, "sort")[0] == "Newest entries first"
    html = _text(client.get("/en/components/", {"sort": "price"}))
    assert "Some filters could not be used" in html and f"/en/components/{new.pk}/" not in html


def test_designations_column_shows_public_makers_listings_and_nothing_of_hidden_makers(client, world):
    factories.DesignationFactory(manufacturer=world.public_maker, authority="US", program="US-BIS-EL")
    for reference, maker in world.hidden_makers.items():
        factories.DesignationFactory(manufacturer=maker, authority="EU", program=f"{reference}-PROGRAMME")
    html = _text(client.get("/en/components/"))
    assert "US US-BIS-EL" in html
    assert "PROGRAMME" not in html
    rows = _csv(client.get("/en/components/export.csv"))
    column = rows[0].index("Sanctions designations in force")
    listed = sorted(row[column] for row in rows[1:])
    assert listed[0] == "" and listed[1].startswith("US US-BIS-EL since ")
    component = _text(client.get(f"/en/components/{world.public_finding.pk}/"))
    assert "US US-BIS-EL" in component and "PROGRAMME" not in component


def test_component_page_lists_the_other_components_of_its_sample(client, world):
    html = _text(client.get(f"/en/components/{world.public_finding.pk}/"))
    others = html[html.index('id="others"') :]
    assert "Other components of this sample" in html
    assert others.count('<tr><td class="num">') == 1  # the Russian line; not the page's own line
    russian = world.public_item.findings.exclude(pk=world.public_finding.pk).get()
    assert f"/en/components/{russian.pk}/" in others
    _assert_nothing_hidden(html)
