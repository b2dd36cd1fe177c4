"""What an import reports back: every error with its row, and the counts of what changed."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = ["ImportResult", "RowError"]


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet row (header = 1; None for the file as a whole), column, value, message."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = (
            _("row {row}, column {column}").format(row=self.row, column=self.column)
            if self.column
            else _("row {row}").format(row=self.row)
        )
        value = f" {self.value!r}" if self.value else ""
        return f"{where}:{value} {self.message}"


@dataclass
class ImportResult:
    """The outcome of `teardown_import`: errors (then nothing was written) or the counts written."""

    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    items_created: int = 0
    items_changed: int = 0
    items_unchanged: int = 0
    findings_created: int = 0
    findings_changed: int = 0
    findings_unchanged: int = 0
    findings_deleted: int = 0
    new_manufacturers: list[str] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)  # (reference, created|changed|unchanged)

    @property
    def ok(self) -> bool:
        """True when the file was valid (and, unless a dry run, imported)."""
        return not self.errors

    @property
    def bad_rows(self) -> list[int]:
        """The spreadsheet rows that have at least one error."""
        return sorted({error.row for error in self.errors if error.row is not None})

    def summary(self) -> str:
        """The one-line summary every run prints."""
        if self.errors:
            rows = len(self.bad_rows)
            errors = ngettext("invalid: {count} error", "invalid: {count} errors", len(self.errors)).format(
                count=len(self.errors)
            )
            where = ngettext(" in {count} row", " in {count} rows", rows).format(count=rows) if rows else ""
            return errors + where + _("; nothing imported")
        prefix = _("dry run (nothing written): ") if self.dry_run else ""
        return prefix + ngettext(
            "items: {items_created} created, {items_changed} changed, {items_unchanged} unchanged; findings: "
            "{findings_created} created, {findings_changed} changed, {findings_unchanged} unchanged, "
            "{findings_deleted} deleted; {new} new manufacturer to review",
            "items: {items_created} created, {items_changed} changed, {items_unchanged} unchanged; findings: "
            "{findings_created} created, {findings_changed} changed, {findings_unchanged} unchanged, "
            "{findings_deleted} deleted; {new} new manufacturers to review",
            len(self.new_manufacturers),
        ).format(
            items_created=self.items_created,
            items_changed=self.items_changed,
            items_unchanged=self.items_unchanged,
            findings_created=self.findings_created,
            findings_changed=self.findings_changed,
            findings_unchanged=self.findings_unchanged,
            findings_deleted=self.findings_deleted,
            new=len(self.new_manufacturers),
        )
