"""The demo dataset: published cases from public reporting, each with its source.

Where a source names makers only as "among them", one unit is attributed to each named maker and the
rest of that country's count is recorded as a country-only line, so every published count is kept
without inventing a maker's share.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.common.services import object_upsert
from manufacturers.selectors import manufacturer_by_name
from provenance.models import Finding, RecoveredItem, Source, Strike, WeaponModel
from provenance.models.items import TLP, DatePrecision
from provenance.services.findings import item_years
from provenance.services.organisations import organisation_internal
from provenance.services.public_flag import findings_public_sync

VLASIUK_2025 = {
    "publisher": "Kyiv Independent; Euromaidan Press",
    "title": "Vladyslav Vlasiuk (Presidential Commissioner for Sanctions Policy): components of a 9M727 "
    "Iskander-K examined in 2025",
    "published_on": dt.date(2025, 9, 8),
    "reliability": "B",
    "notes": "Statement of 8-9 Sept 2025. Most reports say the counts are for a similar missile examined by "
    "Ukrainian experts, not the one that hit the Cabinet of Ministers. Compared with missiles analysed in "
    "previous years, US and European components declined and Russian and Belarusian ones increased.",
}
GUR_PORTAL = {
    "publisher": "Defence Intelligence of Ukraine (GUR)",
    "title": "War & Sanctions portal: components of the 9M727 Iskander-K examined April 2022",
    "url": "https://war-sanctions.gur.gov.ua/en/components",
    "published_on": None,
    "reliability": "B",
    "notes": "Foreign components only (35). Russian parts of this sample are not listed.",
}
RUSI_2022 = {
    "publisher": "RUSI",
    "title": "Silicon Lifeline: Western Electronics at the Heart of Russia's War Machine",
    "published_on": dt.date(2022, 8, 8),
    "reliability": "B",
    "notes": "Reports 31 foreign components in the 9M727 and 31 in the Kh-101 (the GUR portal lists 35).",
}
NACP_2024 = {
    "publisher": "National Agency on Corruption Prevention of Ukraine (NACP)",
    "title": "Foreign components of the 9M727 that struck central Chernihiv on 19 Aug 2023",
    "published_on": dt.date(2024, 1, 15),
    "reliability": "B",
    "notes": "4 US components in the CH-99 satellite navigation module; the missile was produced no earlier "
    "than March 2023. Publication date within January 2024.",
}
STRIKES = [
    {
        "occurred_on": dt.date(2025, 3, 7),
        "place": "Ukraine (gas transport network)",
        "launched_summary": "261 aerial threats: Kh-101 from Tu-95MS, Kalibr, ballistic missiles, attack drones",
        "launched_count": 261,
        "description": "Hits on the gas transport network.",
        "source": {
            "publisher": "RBC-Ukraine",
            "title": "Combined missile and drone attack of 7 March 2025",
            "published_on": dt.date(2025, 3, 7),
            "reliability": "C",
        },
    },
    {
        "occurred_on": dt.date(2025, 7, 4),
        "place": "Kyiv",
        "launched_summary": "about 540 drones and 11 missiles (largest on Kyiv to that date)",
        "launched_count": None,
        "description": "23 injured across Ukraine; damage in 6 of Kyiv's 10 districts.",
        "source": {
            "publisher": "NBC News / AOL",
            "title": "Russia launches largest attack on Kyiv",
            "published_on": dt.date(2025, 7, 4),
            "reliability": "C",
        },
    },
    {
        "occurred_on": dt.date(2025, 9, 7),
        "place": "Kyiv",
        "launched_summary": "605 drones and 13 missiles",
        "launched_count": 618,
        "description": "A 9M727 hit the roof of the Cabinet of Ministers building; the warhead did not detonate; "
        "the fuel set the roof on fire. 3 killed in Sviatoshynskyi district.",
        "source": {
            "publisher": "Euromaidan Press",
            "title": "Attack of 7 September 2025 on Kyiv",
            "published_on": dt.date(2025, 9, 8),
            "reliability": "C",
        },
    },
    {
        "occurred_on": dt.date(2023, 8, 19),
        "place": "Chernihiv",
        "launched_summary": "one 9M727 Iskander-K",
        "launched_count": 1,
        "description": "A 9M727 struck the centre of Chernihiv.",
        "source": NACP_2024,
    },
]


@dataclass
class DemoItem:
    reference: str
    weapon: str
    sources: list[dict]
    lines: list[tuple[str | None, str, int, str]]  # (manufacturer, country, quantity, module/notes)
    recovered_on: dt.date | None = None
    recovered_on_precision: str = DatePrecision.DAY
    analysed_on: dt.date | None = None
    analysed_on_precision: str = DatePrecision.DAY
    strike_on: dt.date | None = None
    place: str = ""
    notes: str = ""
    modules: dict[int, str] = field(default_factory=dict)


ITEMS = [
    DemoItem(
        reference="UA-2025-9M727-SAMPLE",
        weapon="9M727",
        sources=[VLASIUK_2025],
        recovered_on=dt.date(2025, 1, 1),
        recovered_on_precision=DatePrecision.YEAR,
        analysed_on=dt.date(2025, 9, 1),
        analysed_on_precision=DatePrecision.MONTH,
        place="Ukraine",
        notes="Examined by Ukrainian experts; a sample similar to the missile that hit the Cabinet of Ministers "
        "on 7 Sept 2025. Recovery date not published: the year of examination is used.",
        lines=[
            ("Texas Instruments", "US", 1, "named in the statement"),
            ("Analog Devices", "US", 1, "named in the statement"),
            ("Altera", "US", 1, "named in the statement"),
            (None, "US", 32, "remaining US-made parts; makers not itemised"),
            ("Fujitsu", "JP", 1, ""),
            ("College Electronics Ltd", "GB", 1, "reported as 'College Electronics Ltd' (Golledge Electronics)"),
            ("Traco Power", "CH", 1, ""),
            ("JSC Integral", "BY", 5, ""),
            ("Mikron", "RU", 1, "named in the statement"),
            ("Angstrem", "RU", 1, "named in the statement"),
            ("PA Strela", "RU", 1, "named in the statement"),
            ("RDB Exciton", "RU", 1, "named in the statement"),
            ("Elektrodetal", "RU", 1, "named in the statement"),
            (None, "RU", 52, "remaining Russian parts; makers not itemised"),
        ],
    ),
    DemoItem(
        reference="UA-2022-04-9M727-GUR",
        weapon="9M727",
        sources=[GUR_PORTAL, RUSI_2022],
        recovered_on=dt.date(2022, 4, 1),
        recovered_on_precision=DatePrecision.MONTH,
        analysed_on=dt.date(2022, 4, 1),
        analysed_on_precision=DatePrecision.MONTH,
        place="Ukraine",
        notes="Foreign parts only, as listed on the GUR portal; Russian parts of this sample are not recorded. "
        "RUSI (Aug 2022) reports 31 foreign components for the 9M727.",
        lines=[
            (None, "US", 27, "US-made parts as listed by GUR; makers not itemised here"),
            ("Fujitsu", "JP", 1, ""),
            ("Toshiba", "JP", 1, ""),
            ("Nippon Instruments", "JP", 1, ""),
            ("HARTING", "DE", 3, ""),
            ("RIFA", "SE", 1, ""),
            ("Traco Power", "CH", 1, ""),
        ],
    ),
    DemoItem(
        reference="CHERNIHIV-2023-08-19-9M727",
        weapon="9M727",
        sources=[NACP_2024],
        recovered_on=dt.date(2023, 8, 19),
        strike_on=dt.date(2023, 8, 19),
        place="Chernihiv",
        notes="The missile was produced no earlier than March 2023 (NACP).",
        lines=[(None, "US", 4, "in the CH-99 satellite navigation module")],
        modules={0: "CH-99 satellite navigation module"},
    ),
    DemoItem(
        reference="KYIV-2025-09-07-CAB",
        weapon="9M727",
        sources=[VLASIUK_2025, STRIKES[2]["source"]],
        recovered_on=dt.date(2025, 9, 7),
        strike_on=dt.date(2025, 9, 7),
        place="Kyiv, Cabinet of Ministers",
        notes="The missile that hit the Cabinet of Ministers building. More than 30 foreign-made components "
        "reported; no breakdown published (the counts quoted are for a similar sample, UA-2025-9M727-SAMPLE).",
        lines=[],
    ),
]


def _source(spec: dict) -> Source:
    values = {k: spec.get(k, "") for k in ("publisher", "url", "reliability", "notes")}
    values["published_on"] = spec.get("published_on")
    source, _outcome = object_upsert(Source, lookup={"title": spec["title"]}, values=values)
    return source


# The keys of the counts (`load_demo` prints them in the user's language): kind and outcome of `object_upsert`.
COUNT_KEYS = {
    ("strikes", "created"): gettext_noop("strikes created"),
    ("strikes", "changed"): gettext_noop("strikes changed"),
    ("strikes", "unchanged"): gettext_noop("strikes unchanged"),
    ("items", "created"): gettext_noop("items created"),
    ("items", "changed"): gettext_noop("items changed"),
    ("items", "unchanged"): gettext_noop("items unchanged"),
    ("findings", "created"): gettext_noop("findings created"),
    ("findings", "changed"): gettext_noop("findings changed"),
    ("findings", "unchanged"): gettext_noop("findings unchanged"),
    ("findings", "removed"): gettext_noop("findings removed"),
}


@transaction.atomic
def demo_data_load() -> Counter:
    """Load the demo dataset (requires the reference data); idempotent. Returns outcome counts."""
    counts: Counter = Counter()
    owner = organisation_internal()
    strikes = {}
    for spec in STRIKES:
        values = {k: spec[k] for k in ("place", "launched_summary", "launched_count", "description")}
        strike, outcome = object_upsert(Strike, lookup={"occurred_on": spec["occurred_on"]}, values=values)
        strike.sources.add(_source(spec["source"]))
        strikes[spec["occurred_on"]] = strike
        counts[COUNT_KEYS["strikes", outcome]] += 1

    for demo in ITEMS:
        item, outcome = object_upsert(
            RecoveredItem,
            lookup={"reference": demo.reference},
            values={
                "weapon_model": WeaponModel.objects.get(designation=demo.weapon),
                "strike": strikes.get(demo.strike_on),
                "recovered_on": demo.recovered_on,
                "recovered_on_precision": demo.recovered_on_precision,
                "analysed_on": demo.analysed_on,
                "analysed_on_precision": demo.analysed_on_precision,
                "place": demo.place,
                "notes": demo.notes,
                "owner": owner,
                "status": RecoveredItem.Status.PUBLISHED,
                "tlp": TLP.CLEAR,
            },
        )
        counts[COUNT_KEYS["items", outcome]] += 1
        sources = [_source(spec) for spec in demo.sources]
        item.sources.add(*sources)
        recovered_year, analysed_year = item_years(recovered_on=item.recovered_on, analysed_on=item.analysed_on)
        for line_no, (maker_name, country, quantity, note) in enumerate(demo.lines, start=1):
            manufacturer = manufacturer_by_name(name=maker_name) if maker_name else None
            if maker_name and manufacturer is None:
                raise LookupError(_("Demo manufacturer “{name}” is not in the reference data.").format(name=maker_name))
            _record, outcome = object_upsert(
                Finding,
                lookup={"item": item, "line_no": line_no},
                values={
                    "manufacturer": manufacturer,
                    "country": country,
                    "quantity": quantity,
                    "notes": note,
                    "module": demo.modules.get(line_no - 1, ""),
                    "source": sources[0],
                    "recovered_year": recovered_year,
                    "analysed_year": analysed_year,
                },
            )
            counts[COUNT_KEYS["findings", outcome]] += 1
        stale = item.findings.filter(line_no__gt=len(demo.lines))
        counts[COUNT_KEYS["findings", "removed"]] += stale.count()
        stale.delete()
        findings_public_sync(item_ids=[item.pk])
    return counts
