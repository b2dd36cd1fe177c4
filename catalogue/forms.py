"""The list page's filter form: a value is accepted only if it is in a public option list."""

from html import escape

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .selectors import CatalogueFilters, FilterOptions

__all__ = ["ComponentFilterForm"]

INVALID = _("This value is not among the published ones.")


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

    def __init__(self, data, *, options: FilterOptions):
        super().__init__(data)
        self.choices = {
            "manufacturer": options.manufacturers,
            "country": options.countries,
            "weapon": options.weapons,
            "category": options.categories,
        }

    def clean(self) -> dict:
        data = super().clean()
        for name, pairs in self.choices.items():
            value = data.get(name)
            if value not in (None, "") and value not in {key for key, _label in pairs}:
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
        )

    def options_html(self, name: str) -> SafeString:
        """The `<option>`s of filter `name` ("All" first), the chosen one selected; every label escaped."""
        chosen = str(self.data.get(name) or "")
        every = f'<option value="">{escape(str(_("All")))}</option>'
        return mark_safe(  # noqa: S308 - values and labels are escaped here
            every
            + "".join(
                f'<option value="{escape(str(key))}"{" selected" if str(key) == chosen else ""}>'
                f"{escape(str(label))}</option>"
                for key, label in self.choices[name]
            )
        )

    def active(self) -> list[tuple[str, str]]:
        """(filter label, chosen label) of each filter in use, for the results' caption."""
        chosen = []
        for name, field in self.fields.items():
            value = self.data.get(name)
            if not value:
                continue
            labels = {str(key): label for key, label in self.choices.get(name, [])}
            chosen.append((str(field.label), labels.get(value, value) if name != "q" else f"“{value}”"))
        return chosen
