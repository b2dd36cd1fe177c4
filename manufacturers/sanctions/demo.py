"""The demo's sanctions data: the real EU listings of the demo's Belarusian and Russian makers.

The three EU Official Journal extracts in `manufacturers/data/sanctions/` (OpenSanctions' compilation, CC BY-NC
4.0; EUR-Lex CELEX 32006R0765, 32014R0269, 32014R0833) go through the same importer as any list; the matcher
then proposes its candidates, and the pairs below, checked by hand against the acts (name, city, registration
number), are confirmed as decided by `load_demo`. Look-alikes stay pending for a person: Integral SPB is not
Integral of Minsk; NPO Strela (Tula) and Zvezda-Strela are not PA Strela (Orenburg); NII Submikron is not Mikron.
Idempotent: a file already imported (same SHA-256) is not imported again, and a decision once taken is kept.
"""

import hashlib
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_noop

from manufacturers.models import ListedEntity, ListImport, Manufacturer, SanctionMatch
from manufacturers.sanctions.importing import sanctions_list_import
from manufacturers.sanctions.matches import sanction_matches_decide, sanction_matches_propose
from manufacturers.sanctions.reasons import reason

__all__ = ["DEMO_LISTS", "DEMO_MATCHES", "demo_sanctions_load"]

DATA = Path(__file__).resolve().parent.parent / "data" / "sanctions"
DEMO_LISTS = (
    "eu-765-belarus-electronics-defence.csv",
    "eu-269-annex-i-electronics-defence.csv",
    "eu-833-annex-iv-electronics.csv",
)
VIA = "load_demo"

# manufacturer -> [(CELEX of the act, the entity's name as printed, why it is the same company)]
DEMO_MATCHES = {
    "Integral": [
        (
            "32006R0765",
            "JSC ‘INTEGRAL’ – the management company of the holding ‘INTEGRAL’",
            "the Minsk holding's managing company, registration number 100386629 (Regulation 765/2006)",
        ),
        (
            "32014R0269",
            "Joint Stock Company Integral – ‘Integral’ Holding Managing Company",
            "the Minsk holding's managing company, registration number 100386629 (Regulation 269/2014)",
        ),
    ],
    "Mikron": [("32014R0269", "Mikron JSC", "AO Mikron of Zelenograd, OGRN 1027700073466 (Regulation 269/2014)")],
    "Angstrem": [("32014R0833", "Angstrem JSC", "AO Angstrem of Zelenograd, INN 7735010706 (Regulation 833/2014)")],
    "PA Strela": [
        ("32014R0269", "JSC Production Association Strela", "PA Strela of Orenburg (Regulation 269/2014)"),
        ("32014R0833", "Production Association Strela", "AO PO Strela of Orenburg, INN 5609061432 (833/2014)"),
    ],
}


@transaction.atomic
def demo_sanctions_load() -> Counter:
    """Import the demo's EU lists, propose matches, confirm the hand-checked pairs. Returns outcome counts."""
    counts: Counter = Counter()
    for name in DEMO_LISTS:
        path = DATA / name
        if _imported(path):
            continue
        with path.open("rb") as stream:
            counts[gettext_noop("sanctions list rows created")] += sanctions_list_import(
                stream=stream, file_name=name, via=VIA
            ).created
    sanction_matches_propose()
    for maker_name, pairs in DEMO_MATCHES.items():
        maker = Manufacturer.objects.get(name=maker_name)
        for celex, caption, why in pairs:
            entity = ListedEntity.objects.get(source_id__startswith=f"eu-oj-{celex}-", caption=caption)
            match, created = SanctionMatch.objects.get_or_create(
                manufacturer=maker,
                listed_entity=entity,
                defaults={"score": 1.0, "strong": True, "reasons": [reason("checked_by_hand", why=why)]},
            )
            counts[gettext_noop("sanctions matches created")] += created
            pending = SanctionMatch.objects.filter(pk=match.pk, decision=SanctionMatch.Decision.PENDING)
            counts[gettext_noop("sanctions matches confirmed")] += sanction_matches_decide(
                matches=pending, decision=SanctionMatch.Decision.CONFIRMED, user=None, via=VIA
            )
    return counts


def _imported(path: Path) -> bool:
    """Whether this very file (the same SHA-256) was imported before."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ListImport.objects.filter(sha256=digest).exists()
