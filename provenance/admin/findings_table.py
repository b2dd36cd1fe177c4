"""An item's lines on its admin page: all of them in a compact read-only table, editing one page at a time.

A teardown may hold hundreds or thousands of lines; an inline form per line (three autocompletes each)
made a 350-line item take seconds and megabytes. Here:

- the table lists every line from plain rows (`finding_rows`, one query), rendered in Python, sortable
  in the browser by any column (`findings_table.js`); each line links to its own page for editing;
- the inline form set holds one page of lines (`?lines=<page>`; `?lines=new`: none, only blank lines
  to add, the default once an item has more than one page) plus blank lines;
- saving keeps today's checks (each line through the finding form and `findings_save`) and the admin's
  single transaction (all or nothing);
- quick entry: the part is typed as a number and found or created by the import's rule
  (`components.services.part_for_line`); the lookup view fills the maker, country and category and
  decodes the date code as the analyst types (`findings_entry.js`, no inline script: CSP-friendly).
"""

from html import escape

from django.contrib.admin.views.decorators import staff_member_required
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from components.models import Part
from components.partnumbers import part_number_key
from manufacturers.models import Manufacturer
from provenance.datecodes import parse_date_code
from provenance.models import Finding
from provenance.selectors.items import finding_rows

__all__ = ["LINES_PER_PAGE", "FindingLinesFormSet", "date_code_label", "finding_lookup_view", "lines_table_html"]

LINES_PER_PAGE = 25


def date_code_label(*, date_code: str, year: int | None, week: int | None) -> tuple[str, bool]:
    """("2022, week 35", True) for a readable code; (a flag, False) for an unreadable one; ("", True) if none."""
    if not date_code:
        return "", True
    if year is None:
        return _("unreadable: kept as printed, counted as undated"), False
    return _("%(year)s, week %(week)s") % {"year": year, "week": week}, True


def esc(value) -> str:
    return escape(str(value), quote=True)


def _date_cell(row: dict) -> SafeString:
    label, readable = date_code_label(date_code=row["date_code"], year=row["produced_year"], week=row["produced_week"])
    if not row["date_code"]:
        return SafeString("")
    if not readable:
        return SafeString(f'{esc(row["date_code"])} <span class="date-unreadable" title="{esc(label)}">⚠</span>')
    return SafeString(f'{esc(row["date_code"])} <span class="date-decoded">{esc(label)}</span>')


def lines_table_html(*, rows: list[dict], change_prefix: str, editing: set[int]) -> SafeString:
    """The read-only table of all lines; lines of the page being edited are marked."""
    confidence = dict(Finding.Confidence.choices)
    headers = [
        (_("line"), "num"),
        (_("part number"), "text"),
        (_("manufacturer"), "text"),
        (_("country"), "text"),
        (_("qty"), "num"),
        (_("category"), "text"),
        (_("marking"), "text"),
        (_("date code"), "text"),
        (_("lot"), "text"),
        (_("origin marking"), "text"),
        (_("module"), "text"),
        (_("confidence"), "text"),
    ]
    head = format_html_join(
        "", '<th><button type="button" class="sort" data-sort="{}">{}</button></th>', ((k, t) for t, k in headers)
    )
    # Built with the standard library's escape: a 2,000-line teardown is 34,000 cells.
    rows_html = []
    prefix = esc(change_prefix)
    confidence = {value: esc(label) for value, label in confidence.items()}
    for row in rows:
        line = row["line_no"]
        cells = [
            f'<td data-value="{line}"><a href="{prefix}{row["id"]}/change/">{line}</a></td>',
            *(f"<td>{esc(row[name] or '')}</td>" for name in ("part__part_number", "manufacturer__name", "country")),
            f'<td data-value="{row["quantity"]}">{row["quantity"]}</td>',
            f"<td>{esc(row['category__name'] or '')}</td>",
            f'<td class="marking">{esc(row["marking"])}</td>',
            f"<td>{_date_cell(row)}</td>",
            *(f"<td>{esc(row[name])}</td>" for name in ("lot_code", "origin_marking", "module")),
            f"<td>{confidence.get(row['confidence']) or esc(row['confidence'])}</td>",
        ]
        marked = ' class="editing"' if row["id"] in editing else ""
        rows_html.append(f"<tr{marked}>{''.join(cells)}</tr>")
    body = SafeString("\n".join(rows_html))
    return format_html(
        '<table class="findings-table" data-sortable><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, body
    )


class FindingLinesFormSet(BaseInlineFormSet):
    """The item's finding form set, holding one page of its lines (`lines_page`, set by the inline)."""

    lines_page: str | None = None

    def __init__(self, data=None, files=None, instance=None, save_as_new=False, prefix=None, queryset=None, **kw):
        self.rows: list[dict] = []
        self.page: int | None = None
        if instance is not None and instance.pk is not None and queryset is not None:
            self.rows = finding_rows(item=instance)
            pages = self.page_count
            if self.lines_page == "new":
                self.page = None
            elif (self.lines_page or "").isdigit() and 1 <= int(self.lines_page) <= pages:
                self.page = int(self.lines_page)
            elif pages == 1:
                self.page = 1  # a short teardown: all its lines, editable, as one page
            else:
                self.page = None  # a long one opens fast: its table, and blank lines to add
            ids = [row["id"] for row in self.page_rows]
            queryset = queryset.filter(pk__in=ids)
        super().__init__(data, files, instance, save_as_new, prefix, queryset, **kw)

    @property
    def page_count(self) -> int:
        return -(-len(self.rows) // LINES_PER_PAGE)

    @property
    def page_rows(self) -> list[dict]:
        if self.page is None:
            return []
        return self.rows[(self.page - 1) * LINES_PER_PAGE : self.page * LINES_PER_PAGE]

    @cached_property
    def lines_table(self) -> SafeString:
        editing = {row["id"] for row in self.page_rows}
        prefix = reverse("admin:provenance_finding_changelist")
        return lines_table_html(rows=self.rows, change_prefix=prefix, editing=editing)

    @cached_property
    def page_links(self) -> list[tuple[str, str, bool]]:
        """(query, label, current) for each page of lines, then "new lines only"."""
        links = []
        for page in range(1, self.page_count + 1):
            chunk = self.rows[(page - 1) * LINES_PER_PAGE : page * LINES_PER_PAGE]
            label = f"{chunk[0]['line_no']}–{chunk[-1]['line_no']}"
            links.append((f"?lines={page}", label, page == self.page))
        links.append(("?lines=new", _("new lines only"), self.page is None))
        return links


def _maker(manufacturer: Manufacturer | None) -> dict | None:
    if manufacturer is None:
        return None
    return {"id": manufacturer.pk, "name": str(manufacturer), "country": str(manufacturer.country)}


@staff_member_required
def finding_lookup_view(request: HttpRequest) -> JsonResponse:
    """What the quick entry shows beside a line as it is typed (JSON; read-only).

    `?date_code=2235` → the decoded production date (or the unreadable flag), by the project's parser;
    `?part_number=...[&manufacturer=<id>]` → the catalogue's parts with that normalised number (with maker,
    maker's country and category), and whether saving will add a new part; `?manufacturer=<id>` → the
    maker and its HQ country.
    """
    answer: dict = {}
    if "date_code" in request.GET:
        text = request.GET["date_code"].strip()
        year, week = parse_date_code(text)
        label, readable = date_code_label(date_code=text, year=year, week=week)
        answer["date_code"] = {"text": text, "year": year, "week": week, "label": label, "readable": readable}
    maker_id = request.GET.get("manufacturer", "")
    manufacturer = Manufacturer.objects.filter(pk=maker_id).first() if maker_id.isdigit() else None
    if maker_id:
        answer["manufacturer"] = _maker(manufacturer)
    part_number = request.GET.get("part_number", "").strip()
    if part_number:
        key = part_number_key(part_number)
        parts = Part.objects.filter(part_number_key=key).select_related("manufacturer", "category")
        if manufacturer is not None:
            parts = parts.filter(manufacturer=manufacturer)
        found = [
            {
                "id": part.pk,
                "part_number": part.part_number,
                "manufacturer": _maker(part.manufacturer),
                "category": {"id": part.category_id, "name": part.category.name} if part.category else None,
            }
            for part in parts.order_by("manufacturer__name")[:10]
        ]
        if found:
            note = "" if len(found) == 1 else _("Made by several manufacturers: choose the maker.")
        elif manufacturer is not None:
            note = _("New part: it will be added to the catalogue for %(maker)s on save.") % {"maker": manufacturer}
        else:
            note = _("Not in the catalogue: choose its manufacturer and it will be added on save.")
        answer["parts"] = {"key": key, "found": found, "note": note}
    return JsonResponse(answer)
