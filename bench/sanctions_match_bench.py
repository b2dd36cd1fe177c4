"""Benchmark `match_sanctions`: 5,000 manufacturers against 200,000 listed companies on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres bench_sanctions_match_m   # any empty database of your own
    .venv/bin/python bench/sanctions_match_bench.py --url postgres://postgres@127.0.0.1:5432/<db> [--listed 200000]

Generates (deterministically, seed 11) manufacturers and listed companies with realistic names: Russian-like
words in Latin and Cyrillic script, legal forms (JSC, OOO, Акционерное Общество, ААТ...), organisation types
(NPO, PA, NII), common words ("Electronics", "Zavod") shared by thousands, 500 manufacturers planted on
the list under another script / legal form (they must come out strong), 500 planted look-alikes (the
name plus a distinctive word, e.g. "<name> SPB"; they must never be strong), and the rest unrelated.
Then times `sanction_matches_propose(confirm_strong=True)` end to end (read both sides, build the blocking
index, score, write the candidates) and checks the planted pairs. Target: under 60 s on this machine.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = ["ra", "vo", "mi", "kro", "tek", "sib", "ang", "stre", "la", "ne", "va", "pri", "bor", "zo", "lu",
             "ka", "ta", "gor", "dim", "sa", "ver", "ton", "el", "ru", "pol", "ko", "ma", "ze", "ni", "da"]  # fmt: skip
COMMON = ["Electronics", "Zavod", "Technologies", "Plant", "Instruments", "Trading", "Systems", "Radio", "Avia"]
FORMS = ["JSC", "OOO", "LLC", "AO", "PJSC", "OAO", "ZAO", "Joint Stock Company", "Limited Liability Company"]
CYR_FORMS = ["Акционерное Общество", "ООО", "ОАО", "ПАО", "ААТ", "ТАА"]
LAT_TO_CYR = {"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "k": "к", "l": "л",
              "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф"}  # fmt: skip


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def cyrillic(text: str) -> str:
    return "".join(LAT_TO_CYR.get(ch.lower(), ch) if ch.isalpha() else ch for ch in text).capitalize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--listed", type=int, default=200_000)
    parser.add_argument("--manufacturers", type=int, default=5_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from manufacturers.models import ListedEntity, Manufacturer, SanctionMatch
    from manufacturers.sanctions.matches import sanction_matches_propose

    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    SanctionMatch.objects.all().delete()
    if ListedEntity.objects.filter(source_id__startswith="gen-").count() + 1000 != args.listed:
        generate(rng, args.listed, args.manufacturers)
    ours = sorted(n[2:] for n in Manufacturer.objects.filter(name__startswith="B ").values_list("name", flat=True))
    planted = ours[:500]
    lookalikes = ours[500:1000]
    print(f"{Manufacturer.objects.count():,} manufacturers, {ListedEntity.objects.count():,} listed companies")

    cpu = time.process_time()
    start = time.perf_counter()
    run = sanction_matches_propose(confirm_strong=True)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    strong_pairs = set(
        SanctionMatch.objects.filter(strong=True).values_list("manufacturer__name", "listed_entity__source_id")
    )
    planted_found = sum(1 for i, name in enumerate(planted) if (f"B {name}", f"planted-{i}") in strong_pairs)
    lookalike_strong = sum(1 for _m, source in strong_pairs if source.startswith("lookalike-"))
    load = os.getloadavg()[0]
    print(
        f"match_sanctions --confirm-strong: {elapsed:.1f} s wall, {cpu:.1f} s CPU of this process (target < 60 s; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs); peak RSS {peak:.0f} MiB\n"
        f"  {len(run.matches):,} candidates ({run.confirmed:,} strong, confirmed), "
        f"{SanctionMatch.objects.filter(strong=False).count():,} weak\n"
        f"  planted true matches found strong: {planted_found} / {len(planted)}; "
        f"look-alikes made strong: {lookalike_strong} / {len(lookalikes)}"
    )
    start = time.perf_counter()
    again = sanction_matches_propose(confirm_strong=True)
    print(f"  re-run (decisions kept, nothing new): {time.perf_counter() - start:.1f} s, {again.created} created")


def generate(rng: random.Random, listed: int, manufacturers: int) -> None:
    """Write the generated manufacturers and listed companies (replacing an earlier generation)."""
    from django.db import connection

    from manufacturers.models import ListedEntity, Manufacturer

    ListedEntity.objects.all().delete()
    Manufacturer.objects.filter(name__startswith="B ").delete()

    names: set[str] = set()
    while len(names) < manufacturers:
        base = " ".join(word(rng) for _ in range(rng.randint(1, 2)))
        if rng.random() < 0.3:
            base = f"{base} {rng.choice(COMMON)}"
        names.add(base)
    ours = sorted(names)
    Manufacturer.objects.bulk_create(
        [Manufacturer(name=f"B {n}", name_key=f"b {n.lower()}", country="RU") for n in ours], batch_size=2000
    )
    planted = ours[:500]
    lookalikes = ours[500:1000]
    entities = []
    for i, name in enumerate(planted):
        printed = f"B {name}"
        caption = f"{rng.choice(FORMS)} «{printed}»" if i % 2 else f"{rng.choice(CYR_FORMS)} «{cyrillic(printed)}»"
        entities.append(ListedEntity(source_id=f"planted-{i}", schema="Company", caption=caption, names=[caption],
                                     countries=["RU"], digest="x"))  # fmt: skip
    for i, name in enumerate(lookalikes):
        caption = f"{rng.choice(FORMS)} B {name} {rng.choice(['SPB', 'Tula', 'Submikron', 'Vostok', 'Ural'])}"
        entities.append(ListedEntity(source_id=f"lookalike-{i}", schema="Company", caption=caption, names=[caption],
                                     digest="x"))  # fmt: skip
    while len(entities) < listed:
        n = len(entities)
        base = " ".join(word(rng) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.4:
            base = f"{rng.choice(['NPO', 'PA', 'NII', 'KB'])} {base}"
        if rng.random() < 0.4:
            base = f"{base} {rng.choice(COMMON)}"
        caption = f"{rng.choice(FORMS)} {base}"
        aliases = [f"{rng.choice(CYR_FORMS)} «{cyrillic(base)}»"] if rng.random() < 0.5 else []
        entities.append(ListedEntity(source_id=f"gen-{n}", schema="Company", caption=caption,
                                     names=[caption, *aliases], countries=["RU"], digest="x"))  # fmt: skip
    ListedEntity.objects.bulk_create(entities, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE manufacturers_listedentity")


if __name__ == "__main__":
    main()
