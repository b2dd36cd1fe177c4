"""Benchmark a briefing over the 1,000,000-finding dataset in `bench_1m`: time to data, HTML and PDF.

    .venv/bin/python bench/generate.py           # once (helper C's generator)
    .venv/bin/python bench/briefing_bench.py [--runs 3] [--weapon 9M727] [--csv]
        [--url postgres://postgres@127.0.0.1:5432/bench_1m]

Cases: the whole dataset (no filter: every finding counted, digested, the annex capped) and one weapon model.
For each: the median of `--runs` timed runs (after one warm-up) of
- data: every table from the analytics selectors, the item list, the capped annex and the SHA-256 digest
  over the ids and last-change times of all included findings;
- HTML: data + rendering the template with both charts (matplotlib SVG);
- PDF: HTML + WeasyPrint;
and, as the yardstick in the same run, the hand-written SQL doing the same database work (the GROUP BY
queries behind the tables plus reading every included finding's id and updated_at for the digest).
Target: the PDF under 30 s. Nothing is written to the database.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SQL_TABLES = [
    # country (hq), foreign only, manufacturer, chpl tier, shift by year recovered, produced after
    "SELECT f.country, SUM(f.quantity) FROM provenance_finding f {join} WHERE {where} GROUP BY 1",
    "SELECT f.country, SUM(f.quantity) FROM provenance_finding f {join} WHERE {where} "
    "AND f.country <> w.origin_country GROUP BY 1",
    "SELECT f.manufacturer_id, SUM(f.quantity) FROM provenance_finding f {join} WHERE {where} GROUP BY 1",
    "SELECT f.manufacturer_id, SUM(f.quantity) FROM provenance_finding f {join} WHERE {where} GROUP BY 1",
    "SELECT COALESCE(NULLIF(h1.chpl_tier, ''), NULLIF(h2.chpl_tier, '')), SUM(f.quantity) "
    "FROM provenance_finding f {join} LEFT JOIN components_part p ON p.id = f.part_id "
    "LEFT JOIN components_hscode h1 ON h1.id = p.hs_code_id LEFT JOIN components_category c ON c.id = f.category_id "
    "LEFT JOIN components_hscode h2 ON h2.id = c.hs_code_id WHERE {where} GROUP BY 1",
    "SELECT EXTRACT(YEAR FROM i.recovered_on), f.country, SUM(f.quantity) FROM provenance_finding f {join} "
    "WHERE {where} GROUP BY 1, 2",
    "SELECT f.country, CASE WHEN f.produced_year > 2022 OR (f.produced_year = 2022 AND f.produced_week > 8) "
    "THEN 2 WHEN f.produced_year IS NOT NULL THEN 1 ELSE 0 END, SUM(f.quantity) FROM provenance_finding f {join} "
    "WHERE {where} GROUP BY 1, 2",
]
SQL_DIGEST = "SELECT f.id, f.updated_at::text FROM provenance_finding f {join} WHERE {where} ORDER BY f.id"
JOIN = "JOIN provenance_recovereditem i ON i.id = f.item_id JOIN provenance_weaponmodel w ON w.id = i.weapon_model_id"


def _median(fn, runs: int) -> tuple[float, object]:
    result = fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_1m")
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--weapon", default="9M727")
    parser.add_argument("--csv", action="store_true", help="also time the complete CSV (every finding)")
    parser.add_argument("--pdf-out", help="write the whole-dataset PDF here to look at it")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    from django.db import connection

    from provenance.briefings.data import briefing_data
    from provenance.briefings.exports import write_csv
    from provenance.briefings.params import BriefingParams
    from provenance.briefings.render import render_html, render_pdf
    from provenance.models import Finding

    print(f"database: {connection.settings_dict['NAME']}, findings: {Finding.objects.count():,}")
    cases = [
        ("whole dataset", BriefingParams(), "TRUE", {}),
        (
            f"weapon {args.weapon}",
            BriefingParams(weapon=args.weapon),
            "w.designation = %(weapon)s",
            {"weapon": args.weapon},
        ),
    ]
    for name, params, where, sql_params in cases:

        def raw_sql(where=where, sql_params=sql_params) -> int:
            with connection.cursor() as cursor:
                for sql in SQL_TABLES:
                    cursor.execute(sql.format(join=JOIN, where=where), sql_params)
                    cursor.fetchall()
                cursor.execute(SQL_DIGEST.format(join=JOIN, where=where), sql_params)
                rows = 0
                while chunk := cursor.fetchmany(5000):
                    rows += len(chunk)
                return rows

        def data(params=params):
            return briefing_data(params=params)

        def html(params=params):
            return render_html(briefing_data(params=params))

        def pdf(params=params):
            return render_pdf(render_html(briefing_data(params=params)))

        sql_s, lines = _median(raw_sql, args.runs)
        data_s, result = _median(data, args.runs)
        html_s, page = _median(html, args.runs)
        pdf_s, document = _median(pdf, args.runs)
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(document)).pages)
        print(f"\n{name}: {result.annex_total:,} findings in {result.items_total:,} items, TLP:{result.tlp}")
        print(f"  raw SQL (tables + digest read)   {sql_s:7.2f} s   ({lines:,} finding ids read)")
        print(f"  data (selectors + list + digest) {data_s:7.2f} s   ratio to SQL {data_s / sql_s:5.2f}x")
        print(f"  HTML                             {html_s:7.2f} s   {len(page) / 1e6:.1f} MB")
        print(f"  PDF                              {pdf_s:7.2f} s   {pages} pages, {len(document) / 1e6:.1f} MB")
        print(f"  PDF target under 30 s: {'met' if pdf_s < 30 else 'MISSED'}")
        if args.pdf_out and name == "whole dataset":
            Path(args.pdf_out).write_bytes(document)
        if args.csv:
            start = time.perf_counter()
            with open(os.devnull, "wb") as sink:
                write_csv(result, sink)
            print(f"  CSV (every finding)              {time.perf_counter() - start:7.2f} s")


if __name__ == "__main__":
    main()
