"""What the benchmarks share: Django set up against a benchmark database, a scratch database made afresh and
dropped, the paired median timing, and the peak resident set.

A benchmark script puts the project root on `sys.path` and imports this module as `bench.common`.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT", "django_setup", "drop_database", "medians_ms", "recreate_database", "rss_mb"]


def django_setup(url: str, **environ: str) -> None:
    """Set up Django (base settings unless DJANGO_SETTINGS_MODULE says otherwise) against the database `url`;
    `environ` sets further variables first (e.g. DEBUG="false")."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.update(environ)
    import django

    django.setup()


def recreate_database(url: str, *, prefix: str) -> None:
    """Drop and create the database of `url`, whose name must start with `prefix` (never bench_1m itself)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if name in ("bench_1m", "postgres") or not name.startswith(prefix):
        raise SystemExit(f"refusing to recreate database {name!r}: use a {prefix}* database")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    """Drop the database of `url` (closing its sessions)."""
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def rss_mb() -> float:
    """The peak resident set of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def medians_ms(ours: Callable[[], object], theirs: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time of each, alternating the two so that a change in machine load hits both alike."""
    ours(), theirs()  # warm-up: caches, plans
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, bucket in ((ours, times[0]), (theirs, times[1])):
            start = time.perf_counter()
            fn()
            bucket.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])
