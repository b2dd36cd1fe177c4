"""The public catalogue's pages: no login, server-rendered, every read through `catalogue.selectors`."""

from __future__ import annotations

import base64
from functools import cached_property

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.common.exports import CONTENT_TYPES
from provenance.charts import bar_chart_svg, shift_chart_svg
from provenance.selectors.analytics import counting_rule_sentences
from provenance.storage import public_media_storage

from . import selectors
from .caching import content_cached, public_page, version_cached
from .exports import csv_lines
from .forms import ComponentFilterForm

PAGE_SIZE = 50


class _CountCachedPaginator(Paginator):
    """A paginator whose total is kept under the data version and the filters (paging counts once)."""

    def __init__(self, *args, request: HttpRequest, count_key: str, known: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self._request, self._count_key, self._known = request, count_key, known

    @cached_property
    def count(self) -> int:
        if self._known is not None:
            return self._known
        return version_cached(self._request, self._count_key, lambda: self.object_list.count())


def _languages(request: HttpRequest) -> list[dict]:
    """The page in each language, for the switcher and the `hreflang` links."""
    path = request.get_full_path()
    current = translation.get_language()
    return [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in (("uk", "Українська"), ("en", "English"))
    ]


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {**context, "languages": _languages(request)})


def _svg_image(svg: str) -> str:
    """A chart as an `<img>` source (the table beside it is the text alternative)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """`/`: the catalogue in the browser's language (cookie, then Accept-Language)."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = HttpResponseRedirect(reverse("catalogue:components"))
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    patch_cache_control(response, private=True, max_age=0)
    return response


def _list_filters(request: HttpRequest) -> tuple[ComponentFilterForm, selectors.CatalogueFilters | None]:
    """The filter form over the public option lists (cached under the data version), and its filters (None
    when a value is not among the public ones)."""
    options = version_cached(request, "options", selectors.catalogue_filter_options)
    form = ComponentFilterForm(request.GET, options=options)
    return form, (form.filters() if form.is_valid() else None)


def _designations(request: HttpRequest, form: ComponentFilterForm) -> dict[int, list[dict]]:
    """The designations in force of every maker of a public line (cached under the data version like the
    option lists: a few hundred rows, read once for every page of the list and for the CSV)."""
    makers = [row[0] for row in form.choices["manufacturer"]]
    return version_cached(request, "designations", lambda: selectors.catalogue_designations(manufacturer_ids=makers))


@require_safe
@public_page
def component_list(request: HttpRequest) -> HttpResponse:
    form, filters = _list_filters(request)
    valid = filters is not None
    filters = filters or selectors.CatalogueFilters()
    findings = selectors.catalogue_findings(filters=filters)
    if not valid:
        findings = findings.none()
    selection = filters.selection()  # the order changes no count
    paginator = _CountCachedPaginator(
        findings,
        PAGE_SIZE,
        request=request,
        count_key=f"count:{selection!r}",
        known=form.total if valid and selection == selectors.CatalogueFilters() else (0 if not valid else None),
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    makers = {f.manufacturer_id for f in rows if f.manufacturer_id}
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "catalogue/component_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "parents": selectors.catalogue_parents(manufacturer_ids=makers),
            "designations": _designations(request, form),
            "query": query.urlencode(),
            "active_filters": form.active() if valid else [],
        },
    )


@require_safe
@public_page
def component_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered list as CSV, every matching line in the chosen order (what the page shows, all pages)."""
    form, filters = _list_filters(request)
    if filters is None:
        message = _("Some filters could not be used:") + " " + ", ".join(str(form[name].label) for name in form.errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    parents = selectors.catalogue_parents(manufacturer_ids=[row[0] for row in form.choices["manufacturer"]])
    designations = _designations(request, form)
    findings = selectors.catalogue_export(filters=filters)
    response = StreamingHttpResponse(
        csv_lines(request, findings, parents=parents, designations=designations), content_type=CONTENT_TYPES["csv"]
    )
    response["Content-Disposition"] = 'attachment; filename="components.csv"'
    return response


@require_safe
@public_page
def component_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.catalogue_component(pk=pk)
    if finding is None:
        raise Http404(_("No public component with this number."))
    others = selectors.catalogue_sample_components(finding=finding)
    makers = {f.manufacturer_id for f in [finding, *others] if f.manufacturer_id}
    parents = selectors.catalogue_parents(manufacturer_ids=makers)
    return _page(
        request,
        "catalogue/component_detail.html",
        {
            "finding": finding,
            "item": finding.item,
            "parent": parents.get(finding.manufacturer_id),
            "parents": parents,
            "designations": selectors.catalogue_designations(manufacturer_ids=makers),
            "others": others,
        },
    )


@require_safe
@public_page
def weapon_detail(request: HttpRequest, designation: str) -> HttpResponse:
    data = selectors.catalogue_weapon(designation=designation)
    if data is None:
        raise Http404(_("No public samples of this weapon model."))
    weapon = data["weapon"]
    rows = [{"label": row["label"], "key": row["key"], "count": row["count"]} for row in data["breakdown"]["rows"]]
    labels = {
        "title": _("%(weapon)s: components by maker's country") % {"weapon": weapon.designation},
        "xlabel": _("component units"),
        "ylabel": _("maker's country"),
    }
    breakdown_chart = content_cached("bars", [rows, labels], lambda: bar_chart_svg(rows, **labels))
    title = _("%(weapon)s: share by maker's country, per year recovered") % {"weapon": weapon.designation}
    shift_chart = content_cached("shift", [data["shift"], title], lambda: shift_chart_svg(data["shift"], title=title))
    years = [p["period"] for p in data["shift"]["periods"]]
    shift_rows = [
        {
            "label": row["label"],
            "cells": [
                (row["counts"][str(y)], row["shares"][str(y)] * 100, row["change_pp"].get(str(y))) for y in years
            ],
        }
        for row in data["shift"]["rows"]
    ]
    return _page(
        request,
        "catalogue/weapon_detail.html",
        {
            **data,
            "breakdown_chart": _svg_image(breakdown_chart),
            "shift_chart": _svg_image(shift_chart),
            "years": years,
            "shift_rows": shift_rows,
            "counting_rules": counting_rule_sentences(
                unit=data["breakdown"]["unit"], attribution=data["breakdown"]["attribution"]
            ),
            "shift_periods": data["shift"]["periods"],
        },
    )


@require_safe
@public_page
def manufacturer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.catalogue_manufacturer(pk=pk)
    if data is None:
        raise Http404(_("No public components of this manufacturer."))
    return _page(request, "catalogue/manufacturer_detail.html", data)


@require_safe
def photo(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """A public copy (`full`) or thumbnail (`thumb`) of a photo, while it and its item are public."""
    evidence = selectors.catalogue_photo(pk=pk)
    if evidence is None:
        raise Http404(_("No public photo with this number."))
    name = evidence.public_image.name if size == "full" else evidence.public_thumbnail.name
    storage = public_media_storage()
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404(_("No public photo with this number.")) from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["ETag"] = f'"{name.rsplit("/", 1)[-1].split(".")[0]}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=300)
    return response
