"""SVG charts: inline-ready, labelled, readable in greyscale (hatches), safe with hostile labels."""

from provenance.charts import bar_chart_svg, shift_chart_svg

ROWS = [
    {"key": "RU", "label": "Russia", "count": 57, "share": 0.57},
    {"key": "US", "label": "United States", "count": 35, "share": 0.35},
    {"key": None, "label": "unknown", "count": 8, "share": 0.08},
]
SHIFT = {
    "by": "country",
    "period": "recovered",
    "unit": "units",
    "periods": [{"period": 2022, "total": 35}, {"period": 2025, "total": 100}],
    "rows": [
        {"key": "US", "label": "United States", "shares": {"2022": 0.7714, "2025": 0.35}},
        {"key": "RU", "label": "Russia", "shares": {"2022": 0.0, "2025": 0.57}},
    ],
}


def test_bar_chart_is_inline_svg_with_hatched_bars():
    svg = bar_chart_svg(ROWS, title="9M727 by country", xlabel="units", ylabel="country")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<pattern" in svg and "url(#h" in svg  # bars filled with a hatch pattern


def test_long_breakdowns_fold_the_tail_into_one_bar():
    rows = [{"key": f"K{i}", "label": f"K{i}", "count": 100 - i} for i in range(40)]
    svg = bar_chart_svg(rows, title="many", xlabel="units", ylabel="key")
    # Every bar is drawn hatched: 14 largest keys and one "other (26)" bar, not 40.
    assert svg.count("url(#h") == 15
    assert bar_chart_svg(rows[:3], title="few", xlabel="units", ylabel="key").count("url(#h") == 3


def test_shift_chart_has_one_hatch_per_key_and_a_legend():
    svg = shift_chart_svg(SHIFT, title="9M727 over the years")
    assert svg.startswith("<svg")
    assert svg.count("<pattern") >= 1
    assert "legend" in svg


def test_empty_results_still_render():
    assert bar_chart_svg([], title="none", xlabel="units", ylabel="country").startswith("<svg")
    assert shift_chart_svg({"periods": [], "rows": []}, title="none").startswith("<svg")


def test_hostile_labels_cannot_inject_markup():
    rows = [{"key": "X", "label": "<script>alert(1)</script>", "count": 1}]
    assert "<script" not in bar_chart_svg(rows, title="<b>t</b>", xlabel="x", ylabel="y")
