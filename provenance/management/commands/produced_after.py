"""`manage.py produced_after`: how many dated parts were produced after a date (default 2022-02-24).

manage.py produced_after --weapon 9M727 --by manufacturer --produced-after 2023-01-01
"""

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.filters import AnalyticsParamsForm
from provenance.selectors.analytics import produced_after

from ._analytics_output import (
    add_filter_arguments,
    add_produced_after_argument,
    heading,
    parse_options,
    percent,
    render,
)


def render_produced_after(form: AnalyticsParamsForm, fmt: str) -> str:
    """Run `produced_after` with the form's parameters and render it (shared with `breakdown`)."""
    result = produced_after(**form.produced_after_kwargs())
    header = [heading(name, fmt) for name in ("key", "label", "dated", "produced_after", "share_after", "undated")]
    rows = [
        [r["key"], r["label"], r["dated"], r["produced_after"], percent(r["share_after"], fmt), r["undated"]]
        for r in result["rows"]
    ]
    if fmt == "table":
        rows.append(
            [
                "",
                _("total"),
                result["dated"],
                result["produced_after"],
                percent(result["share_after"], fmt),
                result["undated"],
            ]
        )
    return render(result, header, rows, fmt)


class Command(LocalizedCommand):
    help = gettext_lazy("Per country or manufacturer: dated parts, and how many were produced after a date.")

    def add_arguments(self, parser: CommandParser) -> None:
        add_filter_arguments(parser)
        add_produced_after_argument(parser, gettext_lazy("restrictions date (default 2022-02-24)"))

    def handle(self, *args, **options) -> None:
        form = parse_options(options, ("produced_after",))
        self.stdout.write(render_produced_after(form, options["format"]), ending="")
