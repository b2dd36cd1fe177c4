"""The Ukrainian catalogues: complete, compiled, and the tooling that says what is missing.

`scripts/messages.py --check` extracts every marked message of a temporary copy of the work tree (the work
tree itself is never modified) and lists what has no Ukrainian translation or is fuzzy.
"""

import gettext
import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("messages_script", ROOT / "scripts" / "messages.py")
messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(messages)

pytestmark = pytest.mark.skipif(
    shutil.which("msgattrib") is None and not os.environ.get("CI"),
    reason="GNU gettext (msgfmt, msgattrib) is not installed: apt-get install gettext",
)


def test_every_message_of_our_code_has_a_ukrainian_translation():
    problems = messages.check()
    assert not problems, (
        f"{len(problems)} message(s) without a Ukrainian translation; run `make messages` and translate:\n"
        + "\n".join(problems)
    )


def test_the_check_names_a_new_untranslated_message():
    """A string marked for translation and absent from the catalogue is reported by its msgid (as fuzzy when
    msgmerge guessed a translation from a similar message, which is not a translation either)."""
    with tempfile.TemporaryDirectory() as temporary:
        root = messages.copy_tree(Path(temporary))
        (root / "provenance" / "i18n_probe.py").write_text(
            "from django.utils.translation import gettext as _\n\nPROBE = _('A recovered item nobody translated')\n"
            "LINES = _('Two lines\\nnobody translated')\n"
        )
        messages.extract(root)
        problems = messages.missing(root)
    assert len(problems) == 2, problems  # a msgid with a newline is written over several lines: still seen
    found = sorted(problem.split(": ", 2) for problem in problems)
    assert {catalogue for catalogue, _kind, _msgid in found} == {"provenance/locale/uk/LC_MESSAGES/django.po"}
    assert {kind for _catalogue, kind, _msgid in found} <= {"untranslated", "fuzzy"}
    assert sorted(msgid for _catalogue, _kind, msgid in found) == [
        "A recovered item nobody translated",
        "Two lines\\nnobody translated",
    ]


def test_the_catalogues_cover_every_app_and_are_committed_compiled_and_current(tmp_path):
    catalogues = {str(po.relative_to(ROOT)) for po in messages.catalogues(ROOT)}
    assert {
        "provenance/locale/uk/LC_MESSAGES/django.po",
        "manufacturers/locale/uk/LC_MESSAGES/django.po",
        "components/locale/uk/LC_MESSAGES/django.po",
        "config/locale/uk/LC_MESSAGES/django.po",
    } <= catalogues
    for po in messages.catalogues(ROOT):
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run `make messages`"
        fresh = tmp_path / "fresh.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
        with mo.open("rb") as committed, fresh.open("rb") as compiled:
            stale = gettext.GNUTranslations(committed)._catalog != gettext.GNUTranslations(compiled)._catalog
        assert not stale, f"{mo.relative_to(ROOT)} is older than its .po: run `make messages`"
