"""Load benchmark of the partner API: gunicorn + PostgreSQL (bench_1m), 20 concurrent clients for 60 s.

    .venv/bin/python bench/api_load.py [--database-url URL] [--workers 5] [--clients 20] [--seconds 60]

What it does:
1. creates (once) an organisation "API load benchmark" and a fresh API key for it in the database; that
   is the only thing it writes besides the API's own writes (the key's last-used time, one access-log row
   per request), which it deletes again at the end;
2. starts gunicorn (config.wsgi, production settings with a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   SECURE_SSL_REDIRECT=false, a throttle rate high enough not to interfere) on 127.0.0.1 with several
   workers;
3. runs N client threads (http.client, loopback only, bounded by the duration), each cycling through the
   findings list (filtered by weapon), one recovered-item detail (the visible item with the most findings,
   its whole teardown list included) and the breakdown endpoint; with `--spread N`, through N different
   URLs of each (further weapons and pages, the next items by size, breakdowns by manufacturer and with
   parent attribution), each client starting at another point of the list;
4. prints p50 / p95 / p99 latency, requests per second, errors and cache hits (`X-Cache`) per endpoint and
   overall, then stops gunicorn.

`--cache on` (default) runs with the API's response cache (provenance/api/caching.py) in a Redis database
that is emptied first, so each URL's first request is a miss; `--cache off` sets
API_RESPONSE_CACHE_SECONDS=0: every request computes its response, the worst case.

The partner sees what a new partner organisation sees (published CLEAR and GREEN items); the AMBER rule's
subquery is part of every query all the same. Target: p95 under 300 ms, no errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_1m"
ORGANISATION = "API load benchmark"
HOST = "127.0.0.1"


def _django(database_url: str):
    """Set up Django against `database_url` (base settings; this process only prepares data)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def prepare(database_url: str, spread: int = 1) -> dict:
    """The benchmark's organisation and key, and the URLs to call (chosen from what the partner sees): per
    endpoint `spread` different URLs (1: the weapon with the most findings, the item with the most findings;
    more: further weapons, pages, items and breakdown dimensions)."""
    _django(database_url)
    from django.db.models import Count

    from provenance.models import Organisation
    from provenance.selectors.visibility import findings_visible_to, items_visible_to
    from provenance.services.sharing import api_key_create

    organisation, _ = Organisation.objects.get_or_create(
        name=ORGANISATION, defaults={"kind": Organisation.Kind.PARTNER, "notes": "Created by bench/api_load.py"}
    )
    api_key, raw_key = api_key_create(organisation=organisation, name=f"load {time.strftime('%Y-%m-%d %H:%M')}")
    weapons = list(
        findings_visible_to(organisation=organisation)
        .values_list("item__weapon_model__designation")
        .annotate(n=Count("pk"))
        .order_by("-n", "item__weapon_model__designation")
    )
    items = list(
        items_visible_to(organisation=organisation).annotate(n=Count("findings")).order_by("-n", "pk")[:spread]
    )
    # Pages of 50 that exist, weapon after weapon: (weapon, page) for page 1 of every weapon, then page 2...
    pages = [(w, page) for page in range(1, 100) for w, n in weapons if n >= page * 50][:spread]
    dimensions = [(by, attribution) for attribution in ("hq", "parent") for by in ("country", "manufacturer")]
    breakdowns = [(w, by, attr) for by, attr in dimensions for w, _n in weapons][:spread]
    return {
        "key": raw_key,
        "key_prefix": api_key.prefix,
        "organisation_id": organisation.pk,
        "urls": {
            "findings list": [
                "/api/v1/findings/?" + urlencode({"weapon": w, **({"page": p} if p > 1 else {})}) for w, p in pages
            ],
            "item detail": [f"/api/v1/recovered-items/{item.pk}/" for item in items],
            "breakdown": [
                "/api/v1/stats/breakdown/?"
                + urlencode({"weapon": w, "by": by, **({"attribution": attr} if attr != "hq" else {})})
                for w, by, attr in breakdowns
            ],
        },
        "item_findings": items[0].n,
    }


def cleanup(organisation_id: int, key_prefix: str) -> int:
    """Delete the access-log rows the run wrote and revoke its key; returns the number of rows deleted."""
    from provenance.models import AccessLog, OrganisationAPIKey
    from provenance.services.sharing import api_key_revoke

    deleted, _ = AccessLog.objects.filter(organisation_id=organisation_id).delete()
    for api_key in OrganisationAPIKey.objects.filter(prefix=key_prefix):
        api_key_revoke(api_key=api_key)
    return deleted


def start_gunicorn(database_url: str, port: int, workers: int, cache: bool) -> subprocess.Popen:
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")
    if cache and cache_url.startswith("redis://"):
        import redis

        redis.Redis.from_url(cache_url).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "API_PARTNER_RATE": "100000000/minute",
        # The throttle's counters in a shared cache, as production runs them (a Redis round trip a request).
        "CACHE_URL": cache_url,
        "API_RESPONSE_CACHE_SECONDS": "600" if cache else "0",
        "LOG_LEVEL": "ERROR",
    }
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/v1/weapon-models/")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start within 120 s")


def client_loop(port: int, key: str, urls: list[tuple[str, str]], stop_at: float, offset: int, results: list):
    """One client: requests back to back until `stop_at`, cycling through the endpoints."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    i = offset
    while time.monotonic() < stop_at:
        name, url = urls[i % len(urls)]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            hit = response.getheader("X-Cache") == "hit"
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            status, hit = 0, False
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
        results.append((name, time.perf_counter() - started, status, hit))
    conn.close()


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def run(port: int, key: str, urls: dict[str, list[str]], clients: int, seconds: float) -> list:
    """Warm up (5 s, the first URL of each endpoint only), then `seconds` over every URL, endpoints in turn."""
    first = [(name, url_list[0]) for name, url_list in urls.items()]
    every = [
        (name, url_list[j % len(url_list)])
        for j in range(max(map(len, urls.values())))
        for name, url_list in urls.items()
    ]
    # Warm-up: every worker opens its database connection and loads the code.
    warm: list = []
    threads = [
        threading.Thread(target=client_loop, args=(port, key, first, time.monotonic() + 5, n, warm))
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results: list = []
    stop_at = time.monotonic() + seconds
    # Client n starts n/clients of the way into the list, so the clients do not ask for the same URLs in step.
    threads = [
        threading.Thread(
            target=client_loop, args=(port, key, every, stop_at, n * max(1, len(every) // clients), results)
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def report(results: list, seconds: float) -> dict:
    table = {}
    for name in [*sorted({r[0] for r in results}), "all"]:
        rows = [r for r in results if name in ("all", r[0])]
        times = [r[1] * 1000 for r in rows]
        errors = sum(1 for r in rows if r[2] != 200)
        table[name] = {
            "requests": len(rows),
            "req_per_s": round(len(rows) / seconds, 1),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "errors": errors,
            "cache_hits": sum(1 for r in rows if r[3]),
        }
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cache", choices=["on", "off"], default="on", help="the API's response cache")
    parser.add_argument(
        "--spread", type=int, default=1, help="distinct URLs per endpoint (1: the same three URLs throughout)"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    setup = prepare(args.database_url, args.spread)
    print(f"endpoints: {json.dumps(setup['urls'])} (item with {setup['item_findings']} findings)")
    server = start_gunicorn(args.database_url, args.port, args.workers, args.cache == "on")
    try:
        client_cpu = time.process_time()
        results = run(args.port, setup["key"], setup["urls"], args.clients, args.seconds)
        client_cpu = time.process_time() - client_cpu
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        deleted = cleanup(setup["organisation_id"], setup["key_prefix"])
    table = report(results, args.seconds)
    print(
        f"{args.clients} clients, {args.seconds:.0f} s, gunicorn with {args.workers} workers, response cache "
        f"{args.cache}, {args.spread} URL(s) per endpoint, {args.database_url}"
    )
    print(
        f"{os.cpu_count()} CPUs shared by gunicorn, PostgreSQL and the clients; load average before the run "
        f"{load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}; the clients themselves used {client_cpu:.1f} CPU-s "
        f"(warm-up included) of the {(args.seconds + 5) * (os.cpu_count() or 1):.0f} available"
    )
    print(
        f"{'endpoint':<15} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6} "
        f"{'hits':>6}"
    )
    for name, row in table.items():
        print(
            f"{name:<15} {row['requests']:>8} {row['req_per_s']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['p99_ms']:>8} {row['errors']:>6} {row['cache_hits']:>6}"
        )
    print(f"(access-log rows written by the run and deleted again: {deleted})")
    print(json.dumps(table))


if __name__ == "__main__":
    main()
