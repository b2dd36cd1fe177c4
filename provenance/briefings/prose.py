"""The sentences of a briefing: its title, the scope and counting rules on the cover, the key figures, the
headline and the key points read off the tables.

The counting rules are worded once, in `provenance.selectors.analytics` (`*_RULES`); this module puts them
into sentences. Numbers and dates are formatted by the briefing's template filters (`{% load briefing %}`),
so a number reads the same in a sentence and in a table.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.common.countries import country_name
from config.common.text import localized
from provenance.selectors.analytics import (
    PERIOD_RULES,
    PRODUCED_AFTER_RULE,
    SCOPE_RULES,
    STATUS_RULES,
    UNIT_RULES,
    counting_rule_sentences,
)
from provenance.templatetags.briefing import fmt_date, fmt_int, fmt_pp, fmt_share

from .data import BriefingData

__all__ = [
    "CHPL_NOTE",
    "TLP_MEANING",
    "counting_rules",
    "default_title",
    "headline",
    "key_figures",
    "key_points",
    "scope",
]

TLP_MEANING = {
    "CLEAR": gettext_lazy("Disclosure is not limited."),
    "GREEN": gettext_lazy("Limited disclosure: recipients may share within their community, not publicly."),
    "AMBER": gettext_lazy(
        "Limited disclosure: recipients may share only on a need-to-know basis within their "
        "organisation and its clients."
    ),
    "AMBER+STRICT": gettext_lazy(
        "Limited disclosure: recipients may share only on a need-to-know basis within their organisation."
    ),
    "RED": gettext_lazy("For the eyes and ears of individual recipients only; no further disclosure."),
}

CHPL_NOTE = {
    "1": gettext_lazy("integrated circuits"),
    "2": gettext_lazy("wireless, navigation and passive components"),
    "3.A": gettext_lazy("discrete and other electronic components"),
}


def default_title(data: BriefingData) -> str:
    """A title from the selection when the analyst typed none."""
    params = data.params
    if params.item:
        return _("{what}: recovered item {item}").format(what=_what(params), item=params.item)
    if params.weapon and len(data.weapons) == 1:
        weapon = data.weapons[0]
        name = localized(weapon["weapon_model__name"], weapon.get("weapon_model__name_uk", ""))
        designation = weapon["weapon_model__designation"]
        label = designation if not name or name == designation else f"{designation} {name}"
        return _("{what} in the {weapon}").format(what=_what(params), weapon=label)
    if params.weapon:
        return _("{what} in the {weapon}").format(what=_what(params), weapon=params.weapon)
    if params.family:
        return _("{what} in weapons of the {family} family").format(what=_what(params), family=params.family)
    if params.items:
        return _("{what} in selected recovered items").format(what=_what(params))
    return _("{what} in recovered weapons").format(what=_what(params))


def _what(params) -> str:
    return _("Foreign-made components") if params.foreign_only else _("Where the components were made")


def _weapon_list(weapons: list[dict]) -> str:
    """ "9M727 Iskander-K" for one or a few models; designations only when there are many."""
    if len(weapons) > 4:
        return _("{count} models: ").format(count=len(weapons)) + ", ".join(
            w["weapon_model__designation"] for w in weapons
        )
    labels = []
    for w in weapons:
        designation = w["weapon_model__designation"]
        name = localized(w["weapon_model__name"] or "", w.get("weapon_model__name_uk", ""))
        labels.append(name if name.startswith(designation) else f"{designation} {name}".strip())
    return ", ".join(labels)


def scope(data: BriefingData, *, organisation: str = "") -> list[tuple[str, str]]:
    """What the briefing covers, as (label, value) lines of the cover's table."""
    params = data.params
    lines = [
        (_("Weapon models"), _weapon_list(data.weapons) or _("none in the selection")),
        (_("Recovered items"), fmt_int(data.items_total)),
        (_("Teardown lines"), fmt_int(data.annex_total)),
    ]
    if params.family:
        lines.append((_("Weapon family"), params.family))
    if params.item:
        lines.append((_("Recovered item"), params.item))
    if params.items:
        lines.append((_("Chosen items"), ", ".join(params.items[:20]) + (" …" if len(params.items) > 20 else "")))
    if params.date_from or params.date_to:
        lines.append(
            (
                _("Recovered between"),
                _("{start} and {end}").format(
                    start=fmt_date(params.date_from), end=fmt_date(params.date_to) or _("today")
                ),
            )
        )
    if organisation:
        lines.append(
            (_("Visibility"), _("only the items shared with {organisation}").format(organisation=organisation))
        )
    return lines


def counting_rules(data: BriefingData, *, as_of: str) -> list[tuple[str, str]]:
    """How the parts are counted, as (label, sentence): the analytics' rules for this briefing's choices."""
    params = data.params
    unit_name = UNIT_RULES[params.unit].label
    unit, attribution, unknown = counting_rule_sentences(unit=params.unit, attribution=params.attribution, as_of=as_of)
    denominator = SCOPE_RULES[bool(params.foreign_only)].rule.format(
        total=fmt_int(data.tables["country"]["total"]), unit=unit_name
    )
    return [
        (
            _("Review status"),
            _("Counts {rule}; each item's status is listed under Recovered items.").format(
                rule=STATUS_RULES[params.status].rule
            ),
        ),
        unit,
        attribution,
        (_("Denominator"), _("Shares are of {denominator}.").format(denominator=denominator)),
        unknown,
        (_("Year-over-year"), _("Periods are {rule}.").format(rule=PERIOD_RULES[params.period].rule)),
        (_("Production dates"), PRODUCED_AFTER_RULE.rule.format(date=fmt_date(params.produced_after))),
    ]


def key_figures(data: BriefingData) -> list[dict[str, str]]:
    """The cover's key figures: value, label and a note each."""
    params = data.params
    figures = data.key_figures
    unit_name = UNIT_RULES[params.unit].label
    return [
        {
            "value": fmt_int(figures["total"]),
            "label": unit_name,
            "note": _("in {count} items").format(count=fmt_int(figures["items"])),
        },
        {
            "value": fmt_share(figures["foreign_share"]),
            "label": _("foreign-made"),
            "note": f"{fmt_int(figures['foreign'])} {unit_name}",
        },
        {"value": fmt_int(figures["countries"]), "label": _("makers' countries"), "note": ""},
        {"value": fmt_int(figures["manufacturers"]), "label": _("manufacturers"), "note": ""},
        {
            "value": fmt_int(figures["chpl_priority"]),
            "label": _("CHPL tier 1–2"),
            "note": _("high-priority items"),
        },
        {
            "value": fmt_int(figures["produced_after"]),
            "label": _("made after {date}").format(date=fmt_date(params.produced_after)),
            "note": _("of {count} dated").format(count=fmt_int(figures["dated"])),
        },
    ]


def headline(data: BriefingData, *, top_country: dict | None) -> str:
    """The cover's lead sentence: how many parts in how many items, how many made abroad, the largest share."""
    figures = data.key_figures
    if not figures["total"]:
        return _("The selection holds no findings.")
    unit_name = UNIT_RULES[data.params.unit].label
    text = ngettext(
        "{total} {unit} in {items} recovered item; ",
        "{total} {unit} in {items} recovered items; ",
        figures["items"],
    ).format(total=fmt_int(figures["total"]), unit=unit_name, items=fmt_int(figures["items"]))
    text += ngettext(
        "{share} were made abroad by makers in {countries} country.",
        "{share} were made abroad by makers in {countries} countries.",
        figures["countries"],
    ).format(share=fmt_share(figures["foreign_share"]), countries=fmt_int(figures["countries"]))
    if top_country:
        text += " " + _("Largest share: {country} ({share}).").format(
            country=top_country["label"], share=fmt_share(top_country["share"])
        )
    return text


def _list(rows: list[dict], total: int, limit: int = 3) -> str:
    return ", ".join(f"{r['label']} {fmt_int(r['count'])} ({fmt_share(r['count'] / total)})" for r in rows[:limit])


def key_points(data: BriefingData) -> list[str]:
    """Plain sentences read off the tables, for the cover page: who made the parts, what changed."""
    tables = data.tables
    total = tables["country"]["total"]
    if not total:
        return []
    unit_name = UNIT_RULES[data.params.unit].label
    points = []
    foreign = [r for r in tables["foreign"]["rows"] if r["key"] is not None]
    domestic = total - tables["foreign"]["total"]
    if foreign:
        points.append(_("Largest foreign sources by maker's country: {list}.").format(list=_list(foreign, total)))
    if domestic > 0 and not data.params.foreign_only:
        origin = {w.get("weapon_model__origin_country") for w in data.weapons} - {None, ""}
        where = country_name(origin.pop()) if len(origin) == 1 else _("the weapon's country of origin")
        points.append(
            _("Made in {where}: {count} {unit} ({share}).").format(
                where=where, count=fmt_int(domestic), unit=unit_name, share=fmt_share(domestic / total)
            )
        )
    groups = [r for r in tables["parent"]["rows"] if r["key"] is not None]
    if groups:
        points.append(
            _("Largest manufacturers, rolled up to the parent company: {list}.").format(list=_list(groups, total))
        )
    shift = tables["shift"]
    if len(shift["periods"]) > 1:
        last, before = str(shift["periods"][-1]["period"]), str(shift["periods"][-2]["period"])
        moves = sorted(
            ((r["change_pp"].get(last), r["label"]) for r in shift["rows"] if r["change_pp"].get(last)),
            key=lambda pair: -abs(pair[0]),
        )[:3]
        if moves:
            points.append(
                _("From {before} to {last}, the largest changes in share: {moves}.").format(
                    before=before, last=last, moves=", ".join(f"{label} {fmt_pp(change)}" for change, label in moves)
                )
            )
    after = tables["produced_after"]
    if after["dated"]:
        points.append(
            _("{count} of {dated} dated {unit} ({share}) were produced after {date}.").format(
                count=fmt_int(after["produced_after"]),
                dated=fmt_int(after["dated"]),
                unit=unit_name,
                share=fmt_share(after["share_after"]),
                date=fmt_date(data.params.produced_after),
            )
        )
    priority = data.key_figures["chpl_priority"]
    if priority:
        points.append(
            _("{count} {unit} ({share}) fall in tiers 1 and 2 of the Common High Priority List.").format(
                count=fmt_int(priority), unit=unit_name, share=fmt_share(priority / total)
            )
        )
    return points
