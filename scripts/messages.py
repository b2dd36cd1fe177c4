"""The Ukrainian catalogues: extract every marked message, report what is untranslated or fuzzy, compile.

    .venv/bin/python scripts/messages.py            # `make messages`: update the .po files, list what is
                                                    # missing, compile the .mo files
    .venv/bin/python scripts/messages.py --check    # the same on a temporary copy: the work tree is untouched

Each app keeps its catalogue in `<app>/locale/uk/LC_MESSAGES/django.po`; strings of `config/` and of the
project-wide `templates/` go to `config/locale/` (settings.LOCALE_PATHS). An app without a `locale/` directory
gets one, so its strings land in its own catalogue. Needs GNU gettext (msgfmt, msgattrib, xgettext).
Exit status 1 when a message is untranslated or fuzzy; the list names the catalogue and the msgid.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "uk"
# Not ours, not shipped, or not user-facing: never scanned for messages. Templates include .css (the
# briefing's page headers and footers are translated).
IGNORED = (".venv", ".git", "tests", "bench", "scripts", "staticfiles", "media", ".test-media", "node_modules")


def catalogues(root: Path) -> list[Path]:
    """The project's .po files of LANGUAGE (one per app, plus config's)."""
    return sorted(root.glob(f"*/locale/{LANGUAGE}/LC_MESSAGES/django.po"))


def _apps(root: Path) -> list[Path]:
    """Top-level directories that are Django apps (an apps.py) or hold templates, config excluded."""
    return [
        path
        for path in sorted(root.iterdir())
        if path.is_dir()
        and path.name not in IGNORED
        and path.name != "config"
        and ((path / "apps.py").exists() or (path / "models.py").exists())
    ]


def extract(root: Path) -> None:
    """Run `makemessages -l uk` at `root`, giving every app its own catalogue."""
    for app in _apps(root):
        (app / "locale").mkdir(exist_ok=True)
    (root / "config" / "locale").mkdir(exist_ok=True)
    ignores = [f"--ignore={name}" for name in IGNORED]
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            LANGUAGE,
            "--no-obsolete",
            "-e",
            "html,txt,py,css",
            "-v",
            "0",
            *ignores,
        ],
        cwd=root,
        check=True,
    )


def _msgids(po: Path, option: str) -> list[str]:
    """The msgids `msgattrib option` selects (the header entry excluded)."""
    selected = subprocess.run(
        ["msgattrib", option, "--no-obsolete", "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    ids, parts = [], None
    for line in [*selected.splitlines(), ""]:
        if line.startswith('msgid "'):
            parts = [line[len('msgid "') : -1]]
        elif parts is not None and line.startswith('"'):
            parts.append(line[1:-1])  # a msgid with a newline goes on over several lines, even with --no-wrap
        else:
            if parts is not None and "".join(parts):
                ids.append("".join(parts))
            parts = None
    return ids


def missing(root: Path) -> list[str]:
    """One line per message of `root`'s catalogues that is untranslated or fuzzy."""
    lines = []
    for po in catalogues(root):
        name = po.relative_to(root)
        lines += [f"{name}: untranslated: {msgid}" for msgid in _msgids(po, "--untranslated")]
        lines += [f"{name}: fuzzy: {msgid}" for msgid in _msgids(po, "--only-fuzzy")]
    return lines


def count(root: Path) -> int:
    """How many messages the catalogues hold (each catalogue counted separately)."""
    return sum(len(_msgids(po, "--no-fuzzy")) for po in catalogues(root))


def compile_catalogues(root: Path) -> None:
    """`compilemessages -l uk` (msgfmt --check-format) for the project's own catalogues."""
    ignores = [f"--ignore={name}" for name in IGNORED]
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "-l", LANGUAGE, "-v", "0", *ignores], cwd=root, check=True
    )


def copy_tree(target: Path) -> Path:
    """A copy of the project's sources (no venv, data or caches) under `target`."""
    ignore = shutil.ignore_patterns(*IGNORED, "__pycache__", "*.pyc", "db.sqlite3*", "*.mo")
    for path in ROOT.iterdir():
        if path.name in IGNORED or path.name.startswith("db.sqlite3") or path.name == "__pycache__":
            continue
        if path.is_dir():
            shutil.copytree(path, target / path.name, ignore=ignore, symlinks=True)
        elif path.is_file():
            shutil.copy2(path, target / path.name)
    return target


def check() -> list[str]:
    """Extract the messages of a temporary copy of the work tree and return what has no translation."""
    with tempfile.TemporaryDirectory(prefix="messages-") as temporary:
        root = copy_tree(Path(temporary))
        extract(root)
        return missing(root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="work on a temporary copy; change nothing")
    args = parser.parse_args()
    if args.check:
        problems = check()
    else:
        extract(ROOT)
        problems = missing(ROOT)
        compile_catalogues(ROOT)
        print(f"{count(ROOT)} messages translated in {len(catalogues(ROOT))} catalogues.")
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} message(s) to translate: edit the .po files above, then run `make messages`.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
