"""Importing sanctions lists: the real samples (OpenSanctions FtM, its deltas, the US CSL, EU Journal extracts),
re-imports, and every kind of bad input (with its line number, and nothing written)."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from manufacturers.models import Designation, ListedEntity, ListedName, ListedOwnership, ListImport, SanctionMatch
from manufacturers.sanctions import importing, readers
from manufacturers.sanctions.importing import SanctionsImportError, sanctions_list_import
from manufacturers.sanctions.readers import parse_date
from tests import factories

DATA = Path(__file__).resolve().parents[2] / "manufacturers" / "data" / "sanctions"
ZALA = DATA / "zala.entities.ftm.json"
CSL = DATA / "us-csl-sample.csv"
EU_765 = DATA / "eu-765-belarus-electronics-defence.csv"
EU_269 = DATA / "eu-269-annex-i-electronics-defence.csv"
DELTAS = sorted((DATA / "opensanctions-delta").glob("t2_2024*.delta.json"))

pytestmark = pytest.mark.django_db

ZALA_SKIPPED = {
    "Address": 11,
    "Directorship": 3,
    "Family": 4,
    "Passport": 1,
    "Person": 6,
    "Sanction of a Person": 13,
    "Ownership of a Person": 11,
}


def run(data: bytes | Path, name: str = "list", **kwargs):
    content = data.read_bytes() if isinstance(data, Path) else data
    return sanctions_list_import(stream=io.BytesIO(content), file_name=name, **kwargs)


def refused(data: bytes, **kwargs) -> list[str]:
    with pytest.raises(SanctionsImportError) as caught:
        run(data, **kwargs)
    assert ListedEntity.objects.count() == 0
    assert Designation.objects.count() == 0
    assert ListImport.objects.count() == 0
    return caught.value.lines()


def zala_lines() -> list[str]:
    return ZALA.read_text(encoding="utf-8").splitlines()


def test_zala_stream_counts_per_schema():
    summary = run(ZALA, "zala.entities.ftm.json")
    assert (summary.created, summary.changed, summary.unchanged) == (42, 0, 0)
    assert dict(summary.skipped_by_schema) == ZALA_SKIPPED
    assert summary.skipped == sum(ZALA_SKIPPED.values())
    assert ListedEntity.objects.filter(schema="Company").count() == 11
    assert Designation.objects.count() == 28
    assert ListedOwnership.objects.count() == 3
    run_row = ListImport.objects.get()
    assert (run_row.format, run_row.created, run_row.lines, run_row.file_name) == (
        "ftm",
        42,
        91,
        "zala.entities.ftm.json",
    )
    assert run_row.skipped_by_schema == ZALA_SKIPPED
    assert summary.line().startswith("created 42, changed 0, unchanged 0, skipped 49 (Address 11, Directorship 3")


def test_cst_is_listed_by_twelve_authorities_with_dates_and_their_kind():
    run(ZALA)
    cst = ListedEntity.objects.get(caption="LLC CST")
    assert cst.countries == ["RU"]
    assert cst.identifiers["innCode"] == ["1841015504"]
    assert set(cst.designations.values_list("authority", flat=True)) == {
        "AU", "BE", "CA", "CH", "EU", "FR", "GB", "JP", "MC", "NZ", "UA", "US"
    }  # fmt: skip
    eu = cst.designations.get(authority="EU")
    assert (eu.program, eu.listed_on, eu.date_kind) == ("EU-UKR", dt.date(2025, 3, 15), "listing")
    assert eu.date_source == "FtM Sanction.listingDate '2025-03-15'"
    bis = cst.designations.get(program="US-BIS-EL")
    assert (bis.listed_on, bis.date_kind, bis.measure) == (dt.date(2023, 11, 2), "entry into force", "export control")
    ofac = cst.designations.filter(program="US-RUSHAR").first()
    assert ofac.date_kind == "first seen"  # OFAC gives no date: OpenSanctions' first sighting, said as such
    assert ofac.date_source.startswith("FtM first_seen")
    assert ofac.measure == "asset freeze"


def test_kalashnikov_owns_49_percent_of_cst():
    run(ZALA)
    share = ListedOwnership.objects.get(owner__caption="JSC Kalashnikov Concern", percentage__isnull=False)
    assert share.asset.caption == "LLC CST"
    assert share.percentage == Decimal("49")
    assert share.start_on == dt.date(2016, 3, 29)


def test_names_are_kept_with_their_kind_for_blocking():
    run(ZALA)
    zala = ListedEntity.objects.get(caption__contains="Зала Аеро")
    assert set(ListedName.objects.filter(entity=zala).values_list("kind", flat=True)) == {"name", "alias"}
    assert set(ListedName.objects.filter(entity=zala).values_list("name", flat=True)) == set(zala.names)
    alias = ListedName.objects.filter(entity=zala, kind="alias").first()
    assert ListedName.objects.filter(key=" ".join(alias.name.casefold().split())).exists()


def test_reimport_creates_nothing_and_keeps_rows_and_decisions():
    run(ZALA)
    cst = ListedEntity.objects.get(caption="LLC CST")
    match = SanctionMatch.objects.create(
        manufacturer=factories.ManufacturerFactory(name="ZALA Aero", country="RU"),
        listed_entity=cst,
        score=1.0,
        strong=True,
        decision="confirmed",
        decided_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    summary = run(ZALA)
    assert (summary.created, summary.changed, summary.unchanged) == (0, 0, 42)
    assert ListedEntity.objects.get(caption="LLC CST").pk == cst.pk
    match.refresh_from_db()
    assert match.decision == "confirmed"
    assert ListImport.objects.count() == 2


def test_a_changed_entity_is_updated_in_place():
    run(ZALA)
    lines = zala_lines()
    index = next(i for i, line in enumerate(lines) if '"caption": "LLC CST"' in line)
    entity = json.loads(lines[index])
    entity["properties"]["alias"].append("ZALA AERO GROUP")
    lines[index] = json.dumps(entity, ensure_ascii=False)
    pk = ListedEntity.objects.get(caption="LLC CST").pk
    summary = run("\n".join(lines).encode())
    assert (summary.created, summary.changed, summary.unchanged) == (0, 1, 41)
    cst = ListedEntity.objects.get(pk=pk)
    assert "ZALA AERO GROUP" in cst.names
    assert ListedName.objects.filter(entity=cst, name="ZALA AERO GROUP").exists()


def test_sanctions_may_come_before_their_entity_in_the_file():
    summary = run("\n".join(reversed(zala_lines())).encode())
    assert summary.created == 42
    assert Designation.objects.filter(listed_entity__caption="LLC CST").count() == 28


def test_dry_run_counts_and_writes_nothing():
    summary = run(ZALA, dry_run=True)
    assert summary.created == 42
    assert "dry run" in summary.line()
    assert ListedEntity.objects.count() == 0
    assert ListImport.objects.count() == 0


def test_delta_add_mod_del_sequence():
    results = [run(path, path.name) for path in DELTAS]
    first, second, third, fourth = results
    assert (first.created, dict(first.skipped_by_schema)) == (1, {"Person": 1})
    assert (second.created, second.changed) == (1, 1)
    assert third.deleted == 1
    assert fourth.skipped_by_schema == {"Person": 1}
    removed = ListedEntity.objects.get(source_id="NK-500Poltergeist")
    assert removed.removed_at is not None  # kept, so matches and decisions survive; marked removed
    assert ListedEntity.objects.filter(removed_at__isnull=True).count() == 1


def test_delta_mod_brings_a_removed_entity_back():
    for path in DELTAS[:3]:
        run(path)
    add = DELTAS[1].read_text(encoding="utf-8").splitlines()
    line = next(line for line in add if "NK-500Poltergeist" in line)
    summary = run(line.replace('"op":"ADD"', '"op":"MOD"').encode())
    assert summary.changed == 1
    assert ListedEntity.objects.get(source_id="NK-500Poltergeist").removed_at is None


def test_csl_rows_become_entities_and_designations_with_their_dates():
    summary = run(CSL, "us-csl-sample.csv")
    assert (summary.created, dict(summary.skipped_by_schema)) == (
        12,
        {"Person": 4, "type missing, not a company name": 3},
    )
    cetc = Designation.objects.get(listed_entity__caption__startswith="China Electronics Technology Group")
    assert (cetc.authority, cetc.program, cetc.measure) == ("US", "US-BIS-EL", "export control")
    assert (cetc.listed_on, cetc.date_kind) == (dt.date(2018, 8, 1), "entry into force")
    assert cetc.date_source == "CSL start_date '2018-08-01'"
    assert "Hebei Semiconductor Research Institute" in cetc.listed_entity.names
    ssi = Designation.objects.get(listed_entity__caption="SME BANK")
    assert (ssi.program, ssi.listed_on, ssi.date_kind) == ("US-OFAC-SSI", None, "unknown")
    assert ssi.date_source == "the CSL row has no start_date"
    assert ssi.listed_entity.identifiers == {"registrationNumber": ["1027739108649"], "swiftBic": ["RUDVRUMM"]}
    assert ssi.listed_entity.countries == ["RU"]
    meu = Designation.objects.get(listed_entity__caption__startswith="Academy of Aerospace Solid")
    assert meu.program == "US-BIS-MEU"
    assert run(CSL).unchanged == 12


def test_csl_rows_without_a_type_keep_companies_and_never_make_a_person_a_company():
    """BIS and State lists leave `type` empty: a company name is kept as a LegalEntity, a person is skipped."""
    header, *rows = CSL.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    untyped_person = dict.fromkeys(columns, "")
    untyped_person.update(_id="p1", source="Entity List (EL) - Bureau of Industry and Security", name="Ivan PETROV",
                          dates_of_birth="1970-01-01", type="")  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerow(untyped_person)
    data = buffer.getvalue() + "\n".join(rows) + "\n"
    summary = run(data.encode(), "csl.csv")
    assert dict(summary.skipped_by_schema) == {
        "Person": 4,
        "Person (type missing)": 1,
        "type missing, not a company name": 3,
    }
    assert summary.skipped == 8
    kept = set(ListedEntity.objects.values_list("caption", flat=True))
    assert {"I. ASH", "Cesareo Estanislao Benitez", "Atlas Sanatgaran", "Ivan PETROV"}.isdisjoint(kept)
    assert {"SME BANK", "Academy of Aerospace Solid Propulsion Technology (AASPT)"} <= kept
    assert any(caption.startswith("Sinobright Import and Export Company") for caption in kept)
    assert set(ListedEntity.objects.values_list("schema", flat=True)) == {"LegalEntity"}
    run_import = ListImport.objects.get()
    assert run_import.skipped_by_schema["type missing, not a company name"] == 3


def test_eu_journal_rows_for_integral_of_belarus():
    run(EU_765, "eu-765.csv")
    integral = ListedEntity.objects.get(caption__startswith="JSC ‘INTEGRAL’")
    assert integral.countries == ["BY"]
    assert integral.identifiers == {"registrationNumber": ["100386629"]}
    listing = integral.designations.get()
    assert (listing.authority, listing.program, listing.measure) == ("EU", "EU-BLR", "asset freeze")
    assert (listing.listed_on, listing.date_kind) == (dt.date(2025, 3, 27), "listing")
    assert listing.source_url == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32006R0765"
    assert listing.reference.startswith("32006R0765 Annex")
    run(EU_269, "eu-269.csv")
    integrals = ListedEntity.objects.filter(caption__icontains="integral")
    assert sorted(e.source_id[:16] for e in integrals if e.countries == ["BY"]) == [
        "eu-oj-32006R0765",
        "eu-oj-32014R0269",
    ]


def test_eu_journal_format_is_guessed_and_reimport_is_unchanged():
    first = run(EU_269)
    assert first.format == "eu-journal"
    assert first.created == 218 * 2
    again = run(EU_269)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 436)


# --- bad input: each is refused with its line number, and nothing is written ---


def test_truncated_last_line_is_refused():
    data = ZALA.read_bytes()
    errors = refused(data[: len(data) - 40])
    assert errors[0].startswith("line 91: not a complete JSON object")


def test_wrong_encoding_is_refused_with_its_line():
    lines = ZALA.read_bytes().split(b"\n")
    lines[2] = "Сокіл".encode("cp1251").join([lines[2][:20], lines[2][20:]])
    errors = refused(b"\n".join(lines))
    assert errors == ["line 3: the line is not UTF-8 text (byte 0xd1 at position 21)"]


def test_csv_in_a_wrong_encoding_is_refused():
    data = CSL.read_text(encoding="utf-8").replace("Atlas Sanatgaran", "Atlas Sanatgarän").encode("latin-1")
    assert refused(data)[0] == "line 3: the line is not UTF-8 text (byte 0xe4 at position 142)"


def test_a_missing_reference_is_refused_with_its_line():
    lines = [line for line in zala_lines() if '"caption": "LLC CST"' not in line]
    errors = refused("\n".join(lines).encode())
    assert len(errors) == 20 + 1  # CST has 28 sanctions and 3 ownerships: the first 20 errors, then a note
    assert errors[-1] == "(stopped after 20 errors)"
    assert "which is neither in this file nor in the database" in errors[0]
    assert errors[0].startswith("line ")


def test_a_reference_to_an_entity_of_an_earlier_import_resolves():
    lines = zala_lines()
    run("\n".join(line for line in lines if '"schema": "Company"' in line).encode())
    summary = run("\n".join(line for line in lines if '"schema": "Company"' not in line).encode())
    assert summary.created == 31  # 28 sanctions and 3 ownerships of the companies imported before


def test_a_duplicate_id_is_refused():
    lines = zala_lines()
    errors = refused("\n".join([*lines, lines[5]]).encode())
    assert errors[0].startswith("line 92: the id ") and errors[0].endswith("appears twice in the file")


def test_batches_of_two_lines_import_the_same_and_find_ids_repeated_across_them(monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)
    lines = zala_lines()
    errors = refused("\n".join([*lines, lines[0], lines[5], lines[0]]).encode())
    assert [error.split(":")[0] for error in errors] == ["line 92", "line 93", "line 94"]
    assert all(error.endswith("appears twice in the file") for error in errors)
    summary = run("\n".join(reversed(lines)).encode())
    assert (summary.created, dict(summary.skipped_by_schema)) == (42, ZALA_SKIPPED)
    assert (ListedName.objects.count(), Designation.objects.count(), ListedOwnership.objects.count()) == (
        sum(len(names) for names in ListedEntity.objects.values_list("names", flat=True)),
        28,
        3,
    )
    assert run(ZALA).unchanged == 42


def test_an_unknown_schema_is_refused():
    line = json.dumps({"id": "x-1", "schema": "Spaceship", "properties": {}})
    assert refused(f"{ZALA.read_text(encoding='utf-8').rstrip()}\n{line}\n".encode()) == [
        "line 92: 'Spaceship' is not a FollowTheMoney schema"
    ]


def test_an_over_long_line_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 2000)
    errors = refused(ZALA.read_bytes())
    assert errors[0].endswith("the line is longer than 0 MB") and errors[0].startswith("line ")


def test_a_file_of_no_known_format_is_refused():
    assert refused(b"name;country\nIntegral;BY\n") == [
        "line 1: the format cannot be recognised: expected JSON entities, a CSL or an EU Journal CSV header"
    ]


def test_a_csv_row_with_too_many_cells_is_refused():
    lines = CSL.read_text(encoding="utf-8").splitlines()
    lines[4] += ",extra"
    assert refused("\n".join(lines).encode())[0].startswith("line 5: the row has")


def test_a_delta_line_without_a_valid_op_is_refused():
    assert refused(b'{"op": "ADD", "entity": {"id": "a", "schema": "Company"}}\n{"op": "PUT", "entity": {}}\n') == [
        "line 1: the Company a has no name"
    ]


# --- the command ---


def test_command_prints_the_summary_and_exits_0(capsys):
    call_command("import_sanctions", str(ZALA), "--format", "ftm")
    out = capsys.readouterr().out
    assert out.startswith("zala.entities.ftm.json (ftm): created 42, changed 0, unchanged 0, skipped 49")


def test_command_exits_1_with_the_line_number(tmp_path, capsys):
    bad = tmp_path / "bad.ftm.json"
    bad.write_bytes(ZALA.read_bytes()[:-40])
    with pytest.raises(SystemExit) as exited:
        call_command("import_sanctions", str(bad))
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "bad.ftm.json: not imported, nothing was written:" in err
    assert "line 91: not a complete JSON object" in err
    assert ListedEntity.objects.count() == 0


def test_command_dry_run(capsys):
    call_command("import_sanctions", str(CSL), "--dry-run")
    assert "(dry run: nothing written)" in capsys.readouterr().out
    assert ListedEntity.objects.count() == 0


# --- properties ---


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_parse_in_every_printed_shape(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}.{day.month}.{day.year}") == day
    assert parse_date(f"{day.day} {day:%B %Y}") == day
    assert parse_date(f"{day.year}") == dt.date(day.year, 1, 1)


@settings(max_examples=8, deadline=None)
@given(st.permutations(list(range(91))))
def test_any_order_of_the_lines_imports_the_same(order):
    lines = zala_lines()
    with_rollback = run("\n".join(lines[i] for i in order).encode(), dry_run=True)
    assert (with_rollback.created, dict(with_rollback.skipped_by_schema)) == (42, ZALA_SKIPPED)
