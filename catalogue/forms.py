"""The list page's filter form: its choices are the public option lists, so nothing else can be asked for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import CatalogueFilters, FilterOptions

__all__ = ["ComponentFilterForm"]


class ComponentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Part number or marking"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. TMS320 or 2235")}),
    )
    manufacturer = forms.TypedChoiceField(label=_("Manufacturer"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Maker's country"), required=False)
    weapon = forms.TypedChoiceField(label=_("Weapon model"), required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, options: FilterOptions):
        super().__init__(data)
        every = [("", _("All"))]
        self.fields["manufacturer"].choices = every + [(str(pk), name) for pk, name in options.manufacturers]
        self.fields["country"].choices = every + options.countries
        self.fields["weapon"].choices = every + [(str(pk), name) for pk, name in options.weapons]
        self.fields["category"].choices = every + [(str(pk), name) for pk, name in options.categories]

    def filters(self) -> CatalogueFilters:
        data = self.cleaned_data
        return CatalogueFilters(
            manufacturer=data.get("manufacturer"),
            country=data.get("country") or None,
            weapon=data.get("weapon"),
            category=data.get("category"),
            search=data.get("q") or "",
        )

    def active(self) -> list[tuple[str, str]]:
        """(filter label, chosen label) of each filter in use, for the results' caption."""
        chosen = []
        for name, field in self.fields.items():
            value = self.data.get(name)
            if not value:
                continue
            label = dict(getattr(field, "choices", [])).get(value, value) if name != "q" else f"“{value}”"
            chosen.append((str(field.label), str(label)))
        return chosen
