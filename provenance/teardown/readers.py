"""Stream the rows of an uploaded teardown list (CSV, XLSX or JSON) as lists of text cells.

Nothing here knows what a column means: the reader checks that the file is what it claims to be (size,
encoding, no binary data, no macros), yields `(row_number, cells)` with the header as row 1, and turns
every unreadable input into a `TeardownFileError` with a message a user can act on.
"""

import codecs
import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

__all__ = ["TeardownFileError", "TeardownTable", "open_table"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc
_EXTENSIONS = {".csv", ".txt", ".xlsx", ".xlsm", ".json", ""}


class TeardownFileError(Exception):
    """The file as a whole cannot be read; `message` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class TeardownTable:
    """The header and a one-shot iterator of data rows; `spreadsheet` says whether cells may be escaped."""

    kind: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    spreadsheet: bool = True
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        """Release what the reader holds (the workbook); the caller's file stays open."""
        for closer in self._closers:
            closer()


def _size(file: IO[bytes]) -> int:
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def open_table(file: IO[bytes], filename: str) -> TeardownTable:
    """Open `file` (binary, seekable) as a teardown table, or raise `TeardownFileError`."""
    extension = PurePath(filename or "").suffix.lower()
    if extension not in _EXTENSIONS:
        raise TeardownFileError(
            _("Unsupported file type '{extension}': upload a .csv or .xlsx file.").format(extension=extension)
        )
    if extension == ".xlsm":
        raise TeardownFileError(_("Workbooks with macros (.xlsm) are not accepted: save the sheet as .xlsx or CSV."))
    limit = settings.TEARDOWN_MAX_BYTES
    size = _size(file)
    if size > limit:
        raise TeardownFileError(
            _(
                "The file is {size:.1f} MB, over the limit of {limit:.1f} MB "
                "(TEARDOWN_MAX_BYTES): split it into several files."
            ).format(size=size / 1_048_576, limit=limit / 1_048_576)
        )
    if size == 0:
        raise TeardownFileError(_("The file is empty."))
    head = file.read(8)
    file.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return _open_xlsx(file)
    if head.startswith(_OLE_MAGIC):
        raise TeardownFileError(_("This is a legacy Excel (.xls) or other binary file: save it as .xlsx or CSV UTF-8."))
    if extension in (".xlsx",):
        raise TeardownFileError(_("The file is named .xlsx but is not an XLSX workbook."))
    if extension == ".json":
        return _open_json(file)
    return _open_csv(file)


# --- CSV -------------------------------------------------------------------------------------------------


def _decoded_lines(file: IO[bytes]) -> Iterator[str]:
    """The lines of `file` as text, refusing binary data and anything that is not UTF-8, by line number."""
    for number, raw in enumerate(file, start=1):
        if b"\x00" in raw:
            raise TeardownFileError(
                _(
                    "The file contains binary data (a NUL byte on line {number}): it is not a UTF-8 CSV file. "
                    "Save it as 'CSV UTF-8'."
                ).format(number=number)
            )
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise TeardownFileError(
                _(
                    "The file is not UTF-8 text (line {number} has the byte 0x{byte:02x}): save it as 'CSV UTF-8'."
                ).format(number=number, byte=raw[error.start])
            ) from None
        yield line[1:] if number == 1 and line.startswith("\ufeff") else line


def _open_csv(file: IO[bytes]) -> TeardownTable:
    if file.read(2) in (b"\xff\xfe", b"\xfe\xff"):
        raise TeardownFileError(_("The file is UTF-16 text: save it as 'CSV UTF-8'."))
    file.seek(0)
    reader = csv.reader(_decoded_lines(file), strict=True)
    state = {"row": 1}

    def _next():
        try:
            return next(reader)
        except csv.Error as error:
            raise TeardownFileError(
                _("Row {row} is not valid CSV: {error}.").format(row=state["row"] + 1, error=error)
            ) from None

    def _header() -> list[str]:
        while True:
            try:
                cells = _next()
            except StopIteration:
                raise TeardownFileError(_("The file is empty.")) from None
            if any(cell.strip() for cell in cells):
                return cells

    def _rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                cells = _next()
            except StopIteration:
                return
            state["row"] += 1
            yield state["row"], cells

    return TeardownTable(kind="csv", header=_header(), rows=_rows())


# --- XLSX ------------------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _check_expansion(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook that would expand past the limits, from its ZIP directory, before anything is unpacked.

    A ZIP member never yields more than the size its directory entry declares (`zipfile` stops there), so
    checking the declared sizes bounds what openpyxl can unpack. The shared strings are held in memory
    whole (openpyxl reads them before the first row), hence their own, lower limit.
    """
    megabyte = 1_048_576
    total = sum(member.file_size for member in members)
    limit = settings.TEARDOWN_XLSX_MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise TeardownFileError(
            _(
                "The workbook expands to {size:.1f} MB, over the limit of {limit:.1f} MB "
                "(TEARDOWN_XLSX_MAX_UNCOMPRESSED_BYTES): split it into several files, or save it as CSV."
            ).format(size=total / megabyte, limit=limit / megabyte)
        )
    ratio_limit = settings.TEARDOWN_XLSX_MAX_RATIO
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > megabyte and ratio > ratio_limit:
            raise TeardownFileError(
                _(
                    "The workbook's part {part} expands {ratio:.0f} times (over {limit}, TEARDOWN_XLSX_MAX_RATIO): "
                    "this is not a normal spreadsheet. Save it as CSV."
                ).format(part=member.filename, ratio=ratio, limit=ratio_limit)
            )
    strings = sum(member.file_size for member in members if member.filename.lower() == "xl/sharedstrings.xml")
    strings_limit = settings.TEARDOWN_XLSX_MAX_SHARED_STRINGS_BYTES
    if strings > strings_limit:
        raise TeardownFileError(
            _(
                "The workbook's text table is {size:.1f} MB, over the limit of {limit:.1f} MB "
                "(TEARDOWN_XLSX_MAX_SHARED_STRINGS_BYTES): save it as CSV."
            ).format(size=strings / megabyte, limit=strings_limit / megabyte)
        )


def _open_xlsx(file: IO[bytes]) -> TeardownTable:
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except zipfile.BadZipFile:
        raise TeardownFileError(_("The file is a damaged ZIP archive, not a readable XLSX workbook.")) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise TeardownFileError(_("The workbook contains macros: save the sheet as .xlsx without macros, or as CSV."))
    if "xl/workbook.xml" not in names:
        raise TeardownFileError(_("The file is a ZIP archive but not an XLSX workbook."))
    _check_expansion(members)
    file.seek(0)
    import openpyxl  # imported here: only XLSX uploads pay for it

    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken workbook
        raise TeardownFileError(
            _("The workbook cannot be read ({error}).").format(error=type(error).__name__)
        ) from None

    def _next():
        try:
            return next(values)
        except StopIteration:
            raise
        except Exception as error:
            raise TeardownFileError(
                _("The workbook cannot be read ({error}).").format(error=type(error).__name__)
            ) from None

    header: list[str] | None = None
    number = 0
    while header is None:
        try:
            cells = _next()
        except StopIteration:
            workbook.close()
            raise TeardownFileError(_("The file is empty (the first sheet has no rows).")) from None
        number += 1
        texts = [_cell_text(v) for v in cells]
        if any(t.strip() for t in texts):
            header = texts
    while header and not header[-1].strip():
        header.pop()
    first = number

    def _rows() -> Iterator[tuple[int, list[str]]]:
        row = first
        while True:
            try:
                cells = _next()
            except StopIteration:
                return
            row += 1
            yield row, [_cell_text(v) for v in cells]

    return TeardownTable(kind="xlsx", header=header, rows=_rows(), _closers=[workbook.close])


# --- JSON ------------------------------------------------------------------------------------------------


def _open_json(file: IO[bytes]) -> TeardownTable:
    """A JSON array of objects keyed by column name (what `export_teardown --format json` writes).

    JSON is parsed whole (the size limit bounds it); CSV and XLSX are streamed.
    """
    try:
        data = json.load(codecs.getreader("utf-8-sig")(file))
    except UnicodeDecodeError:
        raise TeardownFileError(_("The file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise TeardownFileError(
            _("The file is not valid JSON (line {line}: {error}).").format(line=error.lineno, error=error.msg)
        ) from None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise TeardownFileError(_("A JSON teardown list is an array of objects, one per row."))
    if not data:
        raise TeardownFileError(_("The file has no rows."))

    header: list[str] = []
    for row in data:
        header.extend(key for key in row if key not in header)

    def _rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(data, start=2):
            yield number, [_cell_text(row.get(key)) for key in header]

    return TeardownTable(kind="json", header=list(header), rows=_rows(), spreadsheet=False)
