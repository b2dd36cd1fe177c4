"""Charts for the analytics page and the briefing reports: matplotlib (Agg) rendered to SVG text.

Readable in greyscale print: bars carry hatches and value labels, axes are labelled, shifts have a legend.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
# Labels are data (maker names, titles): "$" must stay a dollar sign, never start TeX maths, which fails on
# `Bad $\\undefinedmacro$ Devices` (and would let a name change how a chart renders).
matplotlib.rcParams["text.parse_math"] = False

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["bar_chart_svg", "shift_chart_svg"]

_HATCHES = ("", "//", "..", "xx", "\\\\", "++", "--", "oo", "||", "**")
_GREYS = ("#222222", "#555555", "#888888", "#aaaaaa", "#cccccc", "#444444", "#777777", "#999999", "#bbbbbb")
_MAX_BARS = 15


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG can be inlined in HTML.
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def _top(rows: Sequence[dict], limit: int = _MAX_BARS) -> list[tuple[str, float]]:
    """Label and count of the largest rows; the rest folded into one "other" bar."""
    pairs = [(str(r.get("label") or r.get("key") or "unknown"), float(r.get("count") or 0)) for r in rows]
    if len(pairs) <= limit:
        return pairs
    head, tail = pairs[: limit - 1], pairs[limit - 1 :]
    return [*head, (f"other ({len(tail)})", sum(n for _, n in tail))]


def bar_chart_svg(rows: Sequence[dict], *, title: str, xlabel: str, ylabel: str) -> str:
    """Horizontal bars for breakdown rows (`label`, `count`), largest on top, each labelled with its count."""
    pairs = _top(rows)
    height = max(2.0, 0.4 * len(pairs) + 1.2)
    fig, ax = plt.subplots(figsize=(7, height))
    labels = [label for label, _ in pairs][::-1]
    values = [n for _, n in pairs][::-1]
    bars = ax.barh(labels, values, color="#bbbbbb", edgecolor="#000000", hatch="//")
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(
            f"{value:g}",
            xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.margins(x=0.12)
    if not pairs:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    return _svg(fig)


def shift_chart_svg(shift_result: dict, *, title: str, limit: int = 8) -> str:
    """Grouped bars: for each period, the share (%) of the largest keys; hatches tell the keys apart."""
    periods = [str(p["period"]) for p in shift_result.get("periods", [])]
    rows = list(shift_result.get("rows", []))[:limit]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.2 * len(periods) + 3), 4))
    width = 0.8 / max(1, len(rows))
    for index, row in enumerate(rows):
        xs = [p + index * width - 0.4 + width / 2 for p in range(len(periods))]
        shares = [100 * float(row.get("shares", {}).get(period, 0)) for period in periods]
        ax.bar(
            xs,
            shares,
            width=width,
            label=str(row.get("label") or row.get("key") or "unknown"),
            color=_GREYS[index % len(_GREYS)],
            edgecolor="#000000",
            hatch=_HATCHES[index % len(_HATCHES)],
        )
    ax.set_xticks(range(len(periods)), periods)
    ax.set_title(title)
    period_kind = shift_result.get("period", "recovered")
    ax.set_xlabel(f"year {period_kind}")
    ax.set_ylabel(f"share of {shift_result.get('unit', 'units')} (%)")
    if rows:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    return _svg(fig)
