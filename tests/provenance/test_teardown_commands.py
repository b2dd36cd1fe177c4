"""import_teardown and export_teardown: exit codes, the summary line, the error report, files and stdout."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from provenance.models import Finding, RecoveredItem
from tests.provenance.test_teardown_import import EXAMPLE, build_world


@pytest.fixture
def world(db):
    return build_world()


def call(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_import_prints_the_summary_and_exits_0(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(EXAMPLE + "KYIV-2025-09-07-CAB,,,,,JSC Integral,BY,,5,,\n")

    code, out, err = call("import_teardown", str(path), "--source", "https://example.org/statement")

    assert code == 0, err
    assert out.splitlines() == [
        "new manufacturer to review: JSC Integral",
        "items: 1 created, 0 changed, 0 unchanged; findings: 3 created, 0 changed, 0 unchanged, 0 deleted; "
        "1 new manufacturer to review",
    ]
    assert set(Finding.objects.values_list("source__url", flat=True)) == {"https://example.org/statement"}
    assert call("import_teardown", str(path), "--source", "https://example.org/statement")[1] == (
        "items: 0 created, 0 changed, 1 unchanged; findings: 0 created, 0 changed, 3 unchanged, 0 deleted; "
        "0 new manufacturers to review\n"
    )


def test_invalid_input_exits_1_with_every_error_and_writes_nothing(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(EXAMPLE + "KYIV-2025-09-07-CAB,9M727,,,,Nobody,,,0,,\n")

    code, out, err = call("import_teardown", str(path))

    assert code == 1
    assert err.splitlines() == [
        "list.csv: the file was not imported because of these errors:",
        "  row 4, column manufacturer: 'Nobody' unknown manufacturer: give its manufacturer_country to create it",
        "  row 4, column quantity: '0' Quantity must be a positive whole number.",
    ]
    assert out == "invalid: 2 errors in 1 row; nothing imported\n"
    assert RecoveredItem.objects.count() == 0


def test_dry_run_writes_nothing(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(EXAMPLE)

    code, out, _ = call("import_teardown", str(path), "--dry-run")

    assert code == 0
    assert out.startswith("dry run (nothing written): items: 1 created")
    assert RecoveredItem.objects.count() == 0


def test_a_missing_file_is_a_command_error(world):
    with pytest.raises(CommandError, match=r"No such file: /nonexistent\.csv"):
        call_command("import_teardown", "/nonexistent.csv")


def test_export_to_stdout_and_to_a_file(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(EXAMPLE)
    call("import_teardown", str(path))
    factories_item = RecoveredItem.objects.get()

    code, out, _ = call("export_teardown", "--weapon", "iskander-k")
    assert code == 0
    assert out.splitlines()[1].startswith("KYIV-2025-09-07-CAB,9M727,2025-09-07,,")

    call("export_teardown", "--item", factories_item.reference, "--format", "json", "-o", str(tmp_path / "x.json"))
    assert [row["quantity"] for row in json.loads((tmp_path / "x.json").read_text())] == [1, 57]

    call("export_teardown", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"))
    assert (tmp_path / "x.xlsx").read_bytes()[:2] == b"PK"


def test_export_refuses_unknown_filters_and_xlsx_to_stdout(world):
    with pytest.raises(CommandError, match="Unknown weapon model: Tomahawk"):
        call_command("export_teardown", "--weapon", "Tomahawk")
    with pytest.raises(CommandError, match="Unknown item reference: NOPE"):
        call_command("export_teardown", "--item", "NOPE")
    with pytest.raises(CommandError, match="XLSX is binary"):
        call_command("export_teardown", "--format", "xlsx")


def test_manage_py_exit_code_is_1_on_a_bad_file(tmp_path):
    """The real process: no traceback, exit status 1, the error on stderr."""
    path = tmp_path / "list.csv"
    path.write_bytes(b"")
    root = Path(__file__).resolve().parents[2]

    process = subprocess.run(
        [sys.executable, str(root / "manage.py"), "import_teardown", str(path)],
        capture_output=True,
        text=True,
        cwd=root,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
             "PATH": "/usr/bin:/bin"},
        check=False,
    )  # fmt: skip

    assert process.returncode == 1
    assert "Traceback" not in process.stderr
    assert "The file is empty." in process.stderr
    assert process.stdout == "invalid: 1 error; nothing imported\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_only_on_a_terminal(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(EXAMPLE)
    terminal = _Terminal()

    call_command("import_teardown", str(path), "--dry-run", stdout=terminal)
    plain = call("import_teardown", str(path), "--dry-run")[1]

    assert "\r" not in plain
    assert terminal.getvalue() != plain
    assert terminal.getvalue().endswith(plain)
