"""Admin: the analysts' analytics page (filters, breakdown table and bar chart, shift table and chart,
production-date evidence, sanctions coverage), at /admin/provenance/analytics/.

The page is one of the admin site's own (`config.admin.ProjectAdminSite`), so it runs behind the admin
login like any admin view. Weapon-model and recovered-item pages link to it through their
`change_form.html` / `change_list.html` overrides in `provenance/templates/admin/provenance/`.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from provenance.charts import bar_chart_svg, shift_chart_svg
from provenance.filters import AnalyticsParamsForm
from provenance.selectors.analytics import breakdown, counting_rule, produced_after, rule_label, shift
from provenance.selectors.data_version import data_version
from provenance.selectors.sanctions import coverage_rule, coverage_table, sanctions_coverage

__all__ = ["analytics_view"]


def analytics_view(request: HttpRequest) -> HttpResponse:
    """Parse the filters with the shared form, call the selectors, render tables and charts."""
    if not request.user.has_perm("provenance.view_finding"):
        raise PermissionDenied
    form = AnalyticsParamsForm(request.GET or None)
    context = {
        **admin.site.each_context(request),
        "title": _("Analytics: breakdowns and shifts"),
        "form": form,
    }
    if not request.GET:
        form = AnalyticsParamsForm({})
        context["form"] = form
    if form.is_valid():
        context.update(_cached_results(request, form))
    return TemplateResponse(request, "admin/provenance/analytics/page.html", context)


def _cached_results(request: HttpRequest, form: AnalyticsParamsForm) -> dict:
    """The page's tables and charts, kept in the cache under the data version (any write gives a new one),
    the day (ownership is read as of today), the language and the query: on a million findings the three
    aggregates and charts take about a second; the same page again takes a few milliseconds."""
    version = data_version()
    seconds = getattr(settings, "ADMIN_ANALYTICS_CACHE_SECONDS", 600)
    if version is None or not seconds:
        return _results(form)
    query = sorted((key, value) for key, values in request.GET.lists() for value in values)
    what = repr((version, dt.date.today().isoformat(), get_language(), query))
    key = "admin-analytics:" + hashlib.sha256(what.encode()).hexdigest()
    results = cache.get(key)
    if results is None:
        results = _results(form)
        cache.set(key, results, seconds)
    return results


def _results(form: AnalyticsParamsForm) -> dict:
    """Breakdown, shift and production-date tables with their charts and counting rules."""
    result = breakdown(**form.breakdown_kwargs())
    moved = shift(**form.shift_kwargs())
    dated = produced_after(**form.produced_after_kwargs())
    label = form.cleaned_data.get("by") or "country"
    years = [str(p["period"]) for p in moved["periods"]]
    coverage = sanctions_coverage(**form.breakdown_kwargs())
    sanctions_header, sanctions_rows = coverage_table(coverage)
    return {
        "breakdown": result,
        "breakdown_rows": [{**row, "percent": row["share"] * 100} for row in result["rows"]],
        "breakdown_rule": counting_rule(result),
        "breakdown_chart": mark_safe(  # noqa: S308 - matplotlib SVG; text is escaped / drawn as paths
            bar_chart_svg(
                result["rows"],
                title=_("Breakdown by %s") % rule_label("by", label),
                xlabel=rule_label("unit", result["unit"]),
                ylabel=rule_label("by", label),
            )
        ),
        "shift": moved,
        "shift_rule": counting_rule(moved),
        "shift_years": years,
        "shift_rows": [
            {
                **row,
                "cells": [(row["counts"][y], row["shares"][y] * 100, row["change_pp"].get(y)) for y in years],
            }
            for row in moved["rows"]
        ],
        "shift_chart": mark_safe(  # noqa: S308 - as above
            shift_chart_svg(
                moved,
                title=_("Share by %(by)s, per %(period)s")
                % {"by": rule_label("by", label), "period": rule_label("period", moved["period"])},
            )
        ),
        "dated": dated,
        "dated_rows": [
            {**row, "percent": None if row["share_after"] is None else row["share_after"] * 100}
            for row in dated["rows"]
        ],
        "dated_rule": counting_rule(dated),
        "sanctions": coverage,
        "sanctions_rule": coverage_rule(coverage),
        "sanctions_header": sanctions_header,
        "sanctions_rows": sanctions_rows,
    }
