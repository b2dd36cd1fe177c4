"""Management commands that speak the user's language.

Every command of ours (a `LocalizedCommand`) takes `--language uk|en`; without it a command speaks the
active language, which in a fresh process is `settings.LANGUAGE_CODE` (the environment's `LANGUAGE_CODE`,
default `en-gb`). The help (`--help`), the output and the errors all follow it. A command class mixes
`LanguageMixin` in before its Django base (`BaseCommand` or a third party's command);
`options["language"]` then holds the language spoken (`uk` or `en`), e.g. for a briefing's language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext_lazy


def _supported(language: str | None) -> str:
    """`language` (or the active one) as one of settings.LANGUAGES (`en-gb` → `en`)."""
    return translation.get_supported_language_variant(language or translation.get_language() or "en")


def _language_in_argv(argv: list[str]) -> str | None:
    """The value of `--language X` / `--language=X` on a command line, read before argparse runs (so that
    `--help` and argparse's refusals already speak it); None when absent or not a supported language."""
    codes = {code for code, _name in settings.LANGUAGES}
    for index, word in enumerate(argv):
        value = None
        if word == "--language" and index + 1 < len(argv):
            value = argv[index + 1]
        elif word.startswith("--language="):
            value = word.partition("=")[2]
        if value in codes:
            return value
    return None


class LanguageMixin:
    """Adds `--language` and runs the command (parsing, output, errors) in that language."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)  # argparse needs text, not a lazy translation; the language is active here
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=gettext_lazy("the language of the messages (default: the LANGUAGE_CODE setting)"),
        )
        return parser

    def run_from_argv(self, argv):
        with translation.override(_supported(_language_in_argv(argv))):
            return super().run_from_argv(argv)

    def execute(self, *args, **options):
        language = _supported(options.get("language"))
        options["language"] = language
        with translation.override(language):
            return super().execute(*args, **options)


class LocalizedCommand(LanguageMixin, BaseCommand):
    """The base of our commands: `BaseCommand` with `--language`."""
