"""What an import reports back: every error with its row, and the counts of what changed."""

from dataclasses import dataclass, field

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
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
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
            return (
                f"invalid: {len(self.errors)} error{'s' if len(self.errors) != 1 else ''}"
                + (f" in {rows} row{'s' if rows != 1 else ''}" if rows else "")
                + "; nothing imported"
            )
        prefix = "dry run (nothing written): " if self.dry_run else ""
        return (
            f"{prefix}items: {self.items_created} created, {self.items_changed} changed, "
            f"{self.items_unchanged} unchanged; findings: {self.findings_created} created, "
            f"{self.findings_changed} changed, {self.findings_unchanged} unchanged, "
            f"{self.findings_deleted} deleted; {len(self.new_manufacturers)} new manufacturer"
            f"{'s' if len(self.new_manufacturers) != 1 else ''} to review"
        )
