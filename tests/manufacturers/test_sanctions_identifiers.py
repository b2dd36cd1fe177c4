"""Identifiers in matching: our makers' INN / OGRN / registration numbers against those the lists print.

An identical identifier is the same company (strong, with the reason in words); a different identifier of the
same kind is another company, so a look-alike, even with an equal name, is never strong.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from manufacturers.models import Manufacturer, SanctionMatch
from manufacturers.sanctions.importing import sanctions_list_import
from manufacturers.sanctions.matches import sanction_matches_propose
from manufacturers.sanctions.matching import Party, score_pair
from manufacturers.sanctions.reasons import reasons_text

SAMPLES = Path(__file__).resolve().parents[2] / "manufacturers" / "data" / "sanctions"
ANGSTREM = Party(
    ref=1, name="Angstrem", aliases=["JSC Angstrem"], identifiers={"innCode": ["7735010706"]}, countries=["RU"]
)


@pytest.mark.parametrize(
    ("listed_name", "weak_aliases"),
    [
        ("Angstrem JSC", ()),  # an equal name: was strong on the name alone
        ("PJSC Angstrem-Tekh", ["Angstrem"]),  # an equal weak alias
        ("Angstrem Microelectronics", ()),  # a similar name
    ],
)
def test_a_look_alike_with_a_different_inn_is_never_strong(listed_name, weak_aliases):
    listed = Party(
        ref=2,
        name=listed_name,
        weak_aliases=weak_aliases,
        identifiers={"registrationNumber": ["7801047839 (Tax ID/INN)"]},
        countries=["ru"],
    )
    candidate = score_pair(ANGSTREM, listed)
    assert candidate is None or not candidate.strong
    if candidate is not None:
        assert "INN 7735010706 ≠ listed INN 7801047839: another company" in reasons_text(candidate.reasons)
        assert candidate.score <= 0.6


def test_an_equal_name_with_a_different_inn_is_proposed_weak_and_says_why():
    listed = Party(ref=2, name="Angstrem JSC", identifiers={"innCode": ["7801047839"]}, countries=["ru"])
    candidate = score_pair(ANGSTREM, listed)
    assert (candidate.score, candidate.strong) == (0.6, False)
    assert reasons_text(candidate.reasons) == [
        "name 'Angstrem' = listed name 'Angstrem JSC' (legal form removed)",
        "INN 7735010706 ≠ listed INN 7801047839: another company",
        "country RU = ru",
    ]


def test_the_same_inn_makes_a_look_alike_name_strong_with_the_reason():
    listed = Party(ref=2, name="AO Angstrem Zelenograd", identifiers={"taxNumber": ["7735010706"]}, countries=["ru"])
    assert score_pair(ANGSTREM, Party(ref=3, name="AO Angstrem Zelenograd", countries=["ru"])).strong is False
    candidate = score_pair(ANGSTREM, listed)
    assert (candidate.score, candidate.strong) == (1.0, True)
    assert reasons_text(candidate.reasons)[0] == "INN 7735010706 = listed INN 7735010706"
    with translation.override("uk"):
        assert reasons_text(candidate.reasons)[0] == "ІНН 7735010706 = ІНН 7735010706 у списку"


def test_identifiers_of_other_kinds_neither_match_nor_contradict():
    ours = Party(ref=1, name="Integral", identifiers={"registrationNumber": ["100386629"]}, countries=["BY"])
    listed = Party(ref=2, name="JSC Integral", identifiers={"innCode": ["7801047839"], "kppCode": ["780101001"]})
    candidate = score_pair(ours, listed)
    assert candidate.strong and not any("identifier" in r or "INN" in r for r in reasons_text(candidate.reasons))
    # A KPP is shared by many companies of one tax office: an equal KPP is no evidence.
    kpp = score_pair(
        Party(ref=1, name="Zavod One", identifiers={"kppCode": ["780101001"]}),
        Party(ref=2, name="Other Works", identifiers={"kppCode": ["780101001"]}),
    )
    assert kpp is None


@pytest.mark.django_db
def test_reference_makers_carry_their_identifiers_and_the_real_lists_match_by_them():
    call_command("load_reference", verbosity=0)
    for name in ("eu-269-annex-i-electronics-defence.csv", "eu-833-annex-iv-electronics.csv"):
        with (SAMPLES / name).open("rb") as stream:
            sanctions_list_import(stream=stream, file_name=name)
    sanction_matches_propose()
    mikron = Manufacturer.objects.get(name="Mikron")
    assert sorted(mikron.identifiers.values_list("kind", "value")) == [
        ("innCode", "7735007358"),
        ("ogrnCode", "1027700073466"),
    ]

    def matches(maker: str) -> dict[str, SanctionMatch]:
        rows = SanctionMatch.objects.filter(manufacturer__name=maker).select_related("listed_entity")
        return {m.listed_entity.caption: m for m in rows}

    angstrem = matches("Angstrem")["Angstrem JSC"]
    assert (angstrem.score, angstrem.strong) == (1.0, True)
    assert reasons_text(angstrem.reasons)[0] == "INN 7735010706 = listed INN 7735010706"
    mikron_jsc = matches("Mikron")["Mikron JSC"]  # 269/2014 prints the OGRN and the INN without labels
    assert reasons_text(mikron_jsc.reasons)[:2] == [
        "INN 7735007358 = listed INN 7735007358",
        "OGRN 1027700073466 = listed OGRN 1027700073466",
    ]
    submikron = matches("Mikron").get("Scientific Research Institute NII Submikron")
    assert submikron is None or not submikron.strong
    strela = matches("PA Strela")
    assert reasons_text(strela["Production Association Strela"].reasons)[0] == "INN 5609061432 = listed INN 5609061432"
    for caption, match in strela.items():
        if "NPO" in caption.upper() or "ZVEZDA" in caption.upper():
            assert not match.strong
            assert any(r.startswith("INN 5609061432 ≠ listed INN") for r in reasons_text(match.reasons)), match.reasons
