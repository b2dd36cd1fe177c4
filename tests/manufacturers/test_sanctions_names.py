"""Name keys and the matcher on the real EU extracts (../shared/data/sanctions), look-alikes included."""

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from manufacturers.sanctions.identifiers import identifier_kinds, identifier_values
from manufacturers.sanctions.matching import ListedIndex, Party, score_pair
from manufacturers.sanctions.names import is_organisation_name, name_key, normalised_name_keys
from manufacturers.sanctions.reasons import reasons_text

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "sanctions"
EU_FILES = ("eu-269-annex-i-electronics-defence.csv", "eu-765-belarus-electronics-defence.csv",
            "eu-833-annex-iv-electronics.csv")  # fmt: skip


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("JSC ‘Integral’", "integral"),
        ("Открытое Акционерное Общество ‘Интеграл’", "integral"),
        ("ААТ ‘Iнтэграл’", "integral"),
        ("OAO «Integral»", "integral"),
        ("Mikron JSC", "mikron"),
        ("Акционерное Общество ‘Микрон’", "mikron"),
        ("Production Association Strela", "pa strela"),
        ("Акционерное Общество «Производственное Объединение «Стрела»", "pa strela"),
        ("AO Proizvodstvennoye Obyedineniye Strela", "pa strela"),
        ("PJSC ‘NPO “STRELA”’", "npo strela"),
        ("JSC Zvezda-Strela", "strela zvezda"),
        ("Общество с ограниченной ответственностью «Спецтехника»", "spetstekhnika"),
        ("Joint Venture JSC Integral SPB", "integral spb"),
    ],
)
def test_name_key_removes_legal_forms_quotes_and_script(printed, key):
    assert name_key(printed) == key


def test_bracketed_short_form_and_dash_give_their_own_keys():
    keys = normalised_name_keys("Совместное Предприятие Акционерное Общество «Интеграл СПБ» (СП АО «Интеграл СПБ»)")
    assert keys == ["integral spb"]
    assert "integral" in normalised_name_keys("JSC ‘INTEGRAL’ – the management company of the holding ‘INTEGRAL’")
    assert normalised_name_keys("Joint Stock Company") == []


def test_identifiers_drop_their_labels():
    assert identifier_values(["7735574607 (Tax ID/INN)", "1027700073466", "n/a"]) == {"7735574607", "1027700073466"}


def test_identifier_kinds_come_from_labels_and_check_digits():
    # As printed in the EU extracts: an INN filed as a registration number with its label, an OGRN and an INN
    # filed as registration and tax numbers (269/2014, Mikron JSC); a KPP never identifies a company.
    assert identifier_kinds(
        {
            "registrationNumber": ["7735574607 (Tax ID/INN)", "1027700073466", "100386629"],
            "taxNumber": ["7735007358", "CHE-267.936.404"],
            "kppCode": ["773501001"],
        }
    ) == {
        "innCode": {"7735574607", "7735007358"},
        "ogrnCode": {"1027700073466"},
        "registrationNumber": {"100386629"},
        "taxNumber": {"CHE267936404"},
    }
    # A 13-digit number failing the OGRN check digit stays a registration number.
    assert identifier_kinds({"registrationNumber": ["1027700073467"]}) == {"registrationNumber": {"1027700073467"}}


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzабвгдежзиклмнопрстуфхцчшщыэюяі", min_size=2, max_size=9)
legal_forms = st.sampled_from(["JSC", "OAO", "AO", "PJSC", "OOO", "LLC", "ZAO", "Акционерное Общество", "ОАО", "ПАО",
                               "ООО", "ААТ", "ТАА", "Joint Stock Company", "Limited Liability Company"])  # fmt: skip
quotes = st.sampled_from([("«", "»"), ("‘", "’"), ('"', '"'), ("“", "”"), ("", "")])


@given(st.lists(words, min_size=1, max_size=4))
def test_key_is_idempotent(parts):
    key = name_key(" ".join(parts))
    assert name_key(key) == key


@given(st.lists(words, min_size=1, max_size=4), legal_forms, quotes, st.booleans())
def test_adding_a_legal_form_or_quotes_never_changes_the_key(parts, form, quote, before):
    name = " ".join(parts)
    quoted = f"{quote[0]}{name}{quote[1]}"
    decorated = f"{form} {quoted}" if before else f"{quoted} {form}"
    assert name_key(decorated) == name_key(name)


@given(st.lists(words, min_size=1, max_size=4), st.sampled_from(["BY", "RU", ""]))
def test_a_name_always_matches_itself_strongly(parts, country):
    name = " ".join(parts)
    if not name_key(name):
        return  # only legal forms: nothing to match on (no key)
    ours = Party(ref=1, name=name, countries=[country] if country else [])
    theirs = Party(ref="x", name=f"JSC «{name}»", countries=[country.lower()] if country else [])
    candidate = score_pair(ours, theirs)
    assert candidate is not None
    assert candidate.strong
    assert candidate.score >= 0.95


def _eu_listed() -> list[Party]:
    parties = []
    for file in EU_FILES:
        with (SAMPLES / file).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["schema"] == "Person":
                    continue
                ids = [v for k in ("registrationNumber", "taxNumber", "innCode", "ogrnCode") for v in row[k].split(";")]
                parties.append(
                    Party(
                        ref=f"{row['celex']}-{row['recordId']}",
                        name=row["name"],
                        aliases=[a.strip() for a in row["alias"].split(";") if a.strip()],
                        countries=[c for c in row["country"].split(";") if c],
                        identifiers=ids,
                    )
                )
    return parties


@pytest.fixture(scope="module")
def eu_index():
    return ListedIndex(_eu_listed())


OURS = {
    "Integral": Party(ref="Integral", name="Integral", aliases=["JSC Integral", "OAO Integral"], countries=["BY"]),
    "Mikron": Party(ref="Mikron", name="Mikron", aliases=["JSC Mikron", "PJSC Mikron"], countries=["RU"]),
    "PA Strela": Party(ref="PA Strela", name="PA Strela", aliases=["Strela", "Production Association Strela"],
                       countries=["RU"]),
}  # fmt: skip


def _by_listed(index, maker):
    return {c.listed: c for c in index.candidates(OURS[maker])}


def test_integral_of_minsk_matches_its_eu_listings_strongly_but_not_integral_spb(eu_index):
    found = _by_listed(eu_index, "Integral")
    assert found["32014R0269-535"].strong  # JSC Integral, asset freeze 24.2.2025
    assert found["32006R0765-42"].strong  # JSC Integral, Belarus regime 27.3.2025
    assert "legal form removed" in reasons_text(found["32014R0269-535"].reasons)[0]
    spb = found.get("32014R0833-71")  # Integral SPB, St Petersburg: another company
    assert spb is None or not spb.strong


def test_mikron_is_not_nii_submikron(eu_index):
    found = _by_listed(eu_index, "Mikron")
    assert found["32014R0269-306"].strong  # Mikron JSC
    submikron = found.get("32014R0833-112")
    assert submikron is None or not submikron.strong


def test_pa_strela_is_not_npo_strela_nor_zvezda_strela(eu_index):
    found = _by_listed(eu_index, "PA Strela")
    assert found["32014R0833-101"].strong  # Production Association Strela (Orenburg)
    assert found["32014R0269-395"].strong  # JSC Production Association Strela
    for other in ("32014R0269-140", "32014R0833-220"):  # NPO Strela (Tula), Zvezda-Strela (Taganrog)
        assert other not in found or not found[other].strong
    npo = found.get("32014R0269-140")
    if npo:
        assert any("npo" in reason for reason in reasons_text(npo.reasons))


def test_word_overlap_alone_is_never_strong():
    ours = Party(ref=1, name="Integral", countries=["BY"])
    theirs = Party(ref=2, name="Integral SPB", aliases=["Joint Venture JSC Integral SPB"])
    candidate = score_pair(ours, theirs)
    assert candidate is None or (not candidate.strong and candidate.score < 0.9)


def test_country_contradiction_keeps_an_equal_name_weak_and_says_so():
    candidate = score_pair(
        Party(ref=1, name="Micron", countries=["US"]), Party(ref=2, name="Micron JSC", countries=["ru"])
    )
    assert candidate is not None and not candidate.strong
    assert "country US ≠ listed ru" in reasons_text(candidate.reasons)


def test_identifier_match_is_strong_and_contract_reason_shape():
    ours = Party(ref=1, name="Submikron Research", identifiers={"innCode": ["7735574607"]}, countries=["RU"])
    theirs = Party(
        ref=2,
        name="AO NII Submikron",
        identifiers={"registrationNumber": ["7735574607 (Tax ID/INN)"]},
        countries=["ru"],
    )
    candidate = score_pair(ours, theirs)
    assert candidate.strong and candidate.score == 1.0
    assert reasons_text(candidate.reasons)[0] == "INN 7735574607 = listed INN 7735574607"
    exact = score_pair(
        Party(ref=1, name="Integral", aliases=["JSC Integral"], countries=["BY"]),
        Party(ref=2, name="JSC 'Integral'", aliases=["JSC ‘Integral’"], countries=["by"]),
    )
    assert exact.score == 0.97 and exact.strong
    assert reasons_text(exact.reasons)[-1] == "country BY = by"


def test_an_equal_weak_alias_is_never_strong():
    ours = Party(ref=1, name="Strela", countries=["RU"])
    theirs = Party(ref=2, name="PJSC NPO Strela", weak_aliases=["Strela"], countries=["RU"])
    candidate = score_pair(ours, theirs)
    assert candidate is not None and not candidate.strong and candidate.score == 0.8
    assert "listed weak alias 'Strela'" in reasons_text(candidate.reasons)[0]


@pytest.mark.parametrize(
    ("name", "organisation"),
    [
        ("Sinobright Import and Export Company", True),
        ("ROSNEFT TRADE LIMITED", True),
        ("АО «Ангстрем»", True),
        ("NPO Strela", True),
        ("I. ASH", False),
        ("Cesareo Estanislao Benitez", False),
        ("Atlas Sanatgaran", False),
    ],
)
def test_a_name_says_whether_it_is_an_organisations(name, organisation):
    assert is_organisation_name(name) is organisation
