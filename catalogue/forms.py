"""The list page's filter form: a value is accepted only if it is in a public option list."""

from html import escape

from django import forms
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .selectors import DEFAULT_SORT, CatalogueFilters, FilterOptions

__all__ = ["ComponentFilterForm"]

INVALID = _("This value is not among the published ones.")
# The orders a visitor may choose (`selectors.SORTS`), the default first.
SORT_LABELS = {
    "new": _("Newest entries first"),
    "produced": _("Production date, newest first"),
    "produced-old": _("Production date, oldest first"),
    "maker": _("Manufacturer, A to Z"),
    "part": _("Part number, A to Z"),
}


class ComponentFilterForm(forms.Form):
    # Plain fields checked against sets rather than ChoiceFields: Django normalises a ChoiceField's 2,000
    # makers on every access and renders each <option> as a template of its own (over a second a page).
    q = forms.CharField(
        label=_("Part number or marking"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. TMS320 or 2235")}),
    )
    manufacturer = forms.IntegerField(label=_("Manufacturer"), required=False)
    country = forms.CharField(label=_("Maker's country"), required=False, max_length=2)
    weapon = forms.IntegerField(label=_("Weapon model"), required=False)
    category = forms.IntegerField(label=_("Category"), required=False)
    sort = forms.CharField(label=_("Order"), required=False, max_length=20)

    def __init__(self, data, *, options: FilterOptions):
        super().__init__(data)
        self.total = options.total
        # (value, label, public lines) of each filter; the orders have no count.
        self.choices = {
            "manufacturer": options.manufacturers,
            "country": options.countries,
            "weapon": options.weapons,
            "category": options.categories,
            "sort": [(key, label, None) for key, label in SORT_LABELS.items()],
        }

    def clean(self) -> dict:
        data = super().clean()
        for name, rows in self.choices.items():
            value = data.get(name)
            if value not in (None, "") and value not in {row[0] for row in rows}:
                self.add_error(name, INVALID)
        return data

    def filters(self) -> CatalogueFilters:
        data = self.cleaned_data
        return CatalogueFilters(
            manufacturer=data.get("manufacturer"),
            country=data.get("country") or None,
            weapon=data.get("weapon"),
            category=data.get("category"),
            search=data.get("q") or "",
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def options_html(self, name: str) -> SafeString:
        """The `<option>`s of filter `name` ("All" first; the orders have none), the chosen one selected, each
        with its number of public lines; every label escaped."""
        chosen = str(self.data.get(name) or "")
        every = "" if name == "sort" else f'<option value="">{escape(str(_("All")))}</option>'
        return mark_safe(  # noqa: S308 - values and labels are escaped here
            every
            + "".join(
                f'<option value="{escape(str(key))}"{" selected" if str(key) == chosen else ""}>'
                f"{escape(str(label))}{'' if count is None else f' ({number_format(count, force_grouping=True)})'}"
                "</option>"
                for key, label, count in self.choices[name]
            )
        )

    def active(self) -> list[tuple[str, str]]:
        """(filter label, chosen label) of each filter in use, for the results' caption."""
        chosen = []
        for name, field in self.fields.items():
            value = self.data.get(name)
            if not value or name == "sort":
                continue
            labels = {str(row[0]): row[1] for row in self.choices.get(name, [])}
            chosen.append((str(field.label), labels.get(value, value) if name != "q" else f"“{value}”"))
        return chosen
