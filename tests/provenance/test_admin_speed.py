"""The admin on large data: searches and filters give the right rows in a fixed number of queries; an item's
lines are a read-only table with editing one page at a time; quick entry's lookups (part, maker, date code).

Timings are measured by bench/admin_bench.py on 1,000,000 findings, not here; these tests pin what a user
sees and how many queries each page costs, on SQLite and PostgreSQL alike.
"""

import html
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.common.paginators import EstimatedCountPaginator
from provenance.admin.findings_table import LINES_PER_PAGE
from provenance.models import Finding
from tests import factories

pytestmark = pytest.mark.django_db

FINDINGS = reverse("admin:provenance_finding_changelist")
ITEMS = reverse("admin:provenance_recovereditem_changelist")
MAKERS = reverse("admin:manufacturers_manufacturer_changelist")
LOOKUP = reverse("admin:provenance_finding_lookup")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def catalogue(db):
    """Two items; a TI part on KYIV-A, a Russian marking on ODESA-B, a GNSS module line on ODESA-B."""
    texas = factories.ManufacturerFactory(name="Texas Instruments", country="US")
    milandr = factories.ManufacturerFactory(name="Milandr", country="RU")
    a = factories.RecoveredItemFactory(reference="KYIV-A")
    b = factories.RecoveredItemFactory(reference="ODESA-B")
    part = factories.PartFactory(manufacturer=texas, part_number="TMS320F28335PGFA")
    lines = {
        "ti": factories.FindingFactory(item=a, part=part, manufacturer=texas, marking="TI 2235", quantity=2),
        "ti_plain": factories.FindingFactory(item=a, manufacturer=texas, quantity=3),
        "ru": factories.FindingFactory(item=b, manufacturer=milandr, marking="1986VE91T", quantity=4),
        "gnss": factories.FindingFactory(item=b, manufacturer=None, country="RU", module="CH-99 GNSS receiver"),
    }
    return {"texas": texas, "a": a, "b": b, "part": part, **lines}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TMS320F28335PGFA", {"ti"}),  # part number as printed
        ("tms320f28335-pgfa", {"ti"}),  # normalised: case, dashes
        ("F28335", {"ti"}),  # a fragment
        ("1986VE91T", {"ru"}),  # the marking
        ("Texas", {"ti", "ti_plain"}),  # the maker's name
        ("ODESA-B", {"ru", "gnss"}),  # the item's reference
        ("GNSS", {"gnss"}),  # the module
        ("Texas 2235", {"ti"}),  # every word must match
        ("nothing-like-this", set()),
    ],
)
def test_findings_search(admin_client, catalogue, query, expected):
    response = admin_client.get(FINDINGS, {"q": query})
    assert {f.pk for f in response.context["cl"].result_list} == {catalogue[key].pk for key in expected}
    assert response.context["cl"].result_count == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("tms320f28335-pgfa", ["KYIV-A"]), ("1986VE91T", ["ODESA-B"]), ("GNSS", ["ODESA-B"]), ("KYIV", ["KYIV-A"])],
)
def test_items_search_through_their_findings(admin_client, catalogue, query, expected):
    response = admin_client.get(ITEMS, {"q": query})
    assert [i.reference for i in response.context["cl"].result_list] == expected


def test_findings_country_filter_offers_only_countries_in_use(admin_client, catalogue):
    response = admin_client.get(FINDINGS, {"country": "RU"})
    assert {f.pk for f in response.context["cl"].result_list} == {catalogue["ru"].pk, catalogue["gnss"].pk}
    [country] = [
        spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "country"
    ]
    assert [code for code, _name in country.lookup_choices] == ["RU", "US"]  # Russia, United States


def test_manufacturer_country_filter_offers_only_countries_in_use(admin_client, catalogue):
    response = admin_client.get(MAKERS, {"country": "US"})
    assert [m.name for m in response.context["cl"].result_list] == ["Texas Instruments"]
    [country] = [
        spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "country"
    ]
    assert [code for code, _name in country.lookup_choices] == ["RU", "US"]


def test_findings_list_is_newest_first_and_shows_country_codes(admin_client, catalogue):
    response = admin_client.get(FINDINGS)
    assert [f.pk for f in response.context["cl"].result_list] == sorted(
        Finding.objects.values_list("pk", flat=True), reverse=True
    )
    assert '<td class="field-country_code">RU</td>' in response.content.decode()


def test_findings_count_above_the_cap_is_an_estimate_said_so(admin_client, catalogue, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "cap", 2)
    response = admin_client.get(FINDINGS)
    if connection.vendor == "postgresql":
        assert response.context["cl"].paginator.estimated
        assert "(an estimate)" in text(response)
    else:  # small embedded databases count exactly
        assert response.context["cl"].result_count == 4
        assert "4 findings" in text(response)


def _queries(client, url, params=None) -> int:
    client.get(url, params)  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        # session, user, count, page, countries (filter)
        (FINDINGS, None, 5),
        (FINDINGS, {"country": "RU"}, 5),
        # + three small tables searched first (parts, makers, items)
        (FINDINGS, {"q": "Texas"}, 8),
        # session, user, count, full count, page, countries, weapons, years (filters), date navigation (2)
        (ITEMS, None, 10),
        # + three small tables searched first
        (ITEMS, {"q": "tms320f28335"}, 13),
        # session, user, count, full count, page, countries (filter)
        (MAKERS, None, 6),
    ],
)
def test_list_pages_cost_a_fixed_number_of_queries(admin_client, catalogue, url, params, expected):
    assert _queries(admin_client, url, params) == expected
    for n in range(30):
        maker = factories.ManufacturerFactory(name=f"Texas Maker {n}", country="DE")
        part = factories.PartFactory(manufacturer=maker, part_number=f"TMS320-{n}")
        factories.FindingFactory(item=catalogue["a"], part=part, manufacturer=maker, marking="Texas")
    assert _queries(admin_client, url, params) == expected


# --- an item's lines -------------------------------------------------------------------------------------


def _item_with_lines(count: int, reference: str = "KYIV-LONG"):
    item = factories.RecoveredItemFactory(reference=reference)
    maker = factories.ManufacturerFactory(name="Analog Devices", country="US")
    category = factories.CategoryFactory(name="ADC")
    for n in range(1, count + 1):
        part = factories.PartFactory(manufacturer=maker, part_number=f"{reference}-AD{n:04d}", category=category)
        factories.FindingFactory(item=item, line_no=n, part=part, manufacturer=maker, category=category)
    return item


def test_a_long_item_shows_all_lines_read_only_and_only_blank_lines_to_edit(admin_client):
    item = _item_with_lines(LINES_PER_PAGE + 5)
    response = admin_client.get(reverse("admin:provenance_recovereditem_change", args=[item.pk]))
    page = text(response)
    assert page.count('<tr class="editing">') == 0
    assert "30 lines" in page
    for n in (1, LINES_PER_PAGE + 5):
        assert f"<td>KYIV-LONG-AD{n:04d}</td>" in page  # every line in the table
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.initial_form_count() == 0  # "new lines only": blank lines to add
    assert f'href="?lines=2">{LINES_PER_PAGE + 1}–{LINES_PER_PAGE + 5}</a>' in page


def test_a_page_of_lines_is_edited_and_saved_with_todays_checks(admin_client):
    item = _item_with_lines(LINES_PER_PAGE + 5)
    url = reverse("admin:provenance_recovereditem_change", args=[item.pk]) + "?lines=2"
    response = admin_client.get(url)
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.line_no for form in formset.initial_forms] == list(range(26, 31))
    data = _post_of(response)
    data["findings-0-quantity"] = "7"  # line 26
    data["findings-1-country"] = "RU"  # line 27: contradicts its US maker
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert text(refused).count("Analog Devices is a US manufacturer; the row says RU.") == 1
    assert Finding.objects.get(item=item, line_no=26).quantity == 1  # all or nothing
    data["findings-1-country"] = ""
    saved = admin_client.post(url, data)
    assert saved.status_code == 302, text(saved)
    assert Finding.objects.get(item=item, line_no=26).quantity == 7
    assert Finding.objects.filter(item=item).count() == LINES_PER_PAGE + 5


def _post_of(response) -> dict:
    """The POST body a browser would send back from a change page (every bound field's current value)."""
    data = {}
    adminform = response.context["adminform"]
    for name, field in adminform.form.fields.items():
        value = adminform.form[name].value()
        if value is None or name in adminform.readonly_fields:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in ("TOTAL_FORMS", "INITIAL_FORMS"):
            data[f"{formset.prefix}-{name}"] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            for name in form.fields:
                value = form[name].value()
                if value not in (None, False):
                    data[form.add_prefix(name)] = str(value)
    return {k: v for k, v in data.items() if v != "None"}


def test_item_change_page_queries_do_not_grow_with_its_lines(admin_client, django_assert_num_queries):
    small = _item_with_lines(LINES_PER_PAGE + 1, "KYIV-26")
    large = _item_with_lines(4 * LINES_PER_PAGE, "KYIV-100")
    small_url = reverse("admin:provenance_recovereditem_change", args=[small.pk])
    large_url = reverse("admin:provenance_recovereditem_change", args=[large.pk])
    n = _queries(admin_client, small_url)
    assert n == _queries(admin_client, large_url)
    # A page of lines to edit costs one more query (its lines as forms), whatever the page and the item.
    assert _queries(admin_client, small_url, {"lines": "1"}) == n + 1
    with django_assert_num_queries(n + 1):
        admin_client.get(large_url, {"lines": "3"})


def test_an_unreadable_date_code_is_flagged_and_the_table_escapes_text(admin_client):
    item = _item_with_lines(1)
    Finding.objects.filter(item=item).update(date_code="99ZZ", marking="<b>TI</b>")
    raw = admin_client.get(reverse("admin:provenance_recovereditem_change", args=[item.pk])).content.decode()
    assert 'title="unreadable: kept as printed, counted as undated"' in raw
    assert '<td class="marking">&lt;b&gt;TI&lt;/b&gt;</td>' in raw  # the table escapes what was typed


# --- quick entry -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label", "readable"),
    [("2235", "2022, week 35", True), ("1748A", "2017, week 48", True), ("99ZZ", "unreadable", False)],
)
def test_lookup_decodes_a_date_code(admin_client, code, label, readable):
    answer = json.loads(admin_client.get(LOOKUP, {"date_code": code}).content)["date_code"]
    assert answer["label"].startswith(label)
    assert answer["readable"] is readable


def test_lookup_finds_a_part_with_its_maker_country_and_category(admin_client, catalogue, django_assert_num_queries):
    catalogue["part"].category = factories.CategoryFactory(name="microcontroller")
    catalogue["part"].save()
    with django_assert_num_queries(3):  # session, user, parts
        answer = json.loads(admin_client.get(LOOKUP, {"part_number": "tms320f28335 pgfa"}).content)["parts"]
    [found] = answer["found"]
    assert found["manufacturer"] == {"id": catalogue["texas"].pk, "name": "Texas Instruments", "country": "US"}
    assert found["category"]["name"] == "microcontroller"


def test_lookup_says_a_new_part_will_be_added_for_the_chosen_maker(admin_client, catalogue):
    answer = json.loads(
        admin_client.get(LOOKUP, {"part_number": "LM317", "manufacturer": catalogue["texas"].pk}).content
    )
    assert answer["manufacturer"]["country"] == "US"
    assert answer["parts"]["found"] == []
    assert "added to the catalogue for Texas Instruments" in answer["parts"]["note"]


def test_lookup_needs_a_staff_login(client):
    assert client.get(LOOKUP, {"date_code": "2235"}).status_code == 302


def test_a_line_edited_on_its_own_page_gets_a_new_part_by_the_same_rule(admin_client, catalogue):
    line = catalogue["ti_plain"]
    url = reverse("admin:provenance_finding_change", args=[line.pk])
    data = _post_of(admin_client.get(url))
    data["part_number"] = "LM 317"
    response = admin_client.post(url, data)
    assert response.status_code == 302, text(response)
    line.refresh_from_db()
    assert (line.part.part_number, line.part.manufacturer, line.part.part_number_key) == (
        "LM 317",
        catalogue["texas"],
        "LM317",
    )


def test_a_two_letter_word_finds_makers_and_parts_but_is_not_looked_for_in_markings(admin_client, catalogue):
    factories.ManufacturerFactory(name="TI Japan", country="JP")
    response = admin_client.get(FINDINGS, {"q": "TI"})  # "TI 2235" is a marking: not searched for "TI"
    assert {f.pk for f in response.context["cl"].result_list} == set()
    response = admin_client.get(FINDINGS, {"q": "Mi"})  # Milandr, a maker
    assert {f.pk for f in response.context["cl"].result_list} == {catalogue["ru"].pk}
