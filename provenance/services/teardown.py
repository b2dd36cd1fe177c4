"""Teardown lists: import (validate everything, then write in one transaction) and export.

New recovered items are owned by the internal organisation, start as drafts and are marked TLP:AMBER
(internal until an analyst reviews and shares them). Manufacturers the file names with a country but the
database does not know are created with `reviewed=False`; unknown categories and parts are created too.
"""

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from provenance.models import RecoveredItem
from provenance.services.item_lock import item_lock
from provenance.teardown.export import FORMATS, WRITERS, teardown_rows
from provenance.teardown.readers import TeardownFileError, open_table
from provenance.teardown.result import ImportResult, RowError
from provenance.teardown.validation import validate_table
from provenance.teardown.writer import diff_plan, write_plan

__all__ = ["ImportResult", "RowError", "teardown_export", "teardown_import"]

Progress = Callable[[str, int, int | None], None]


def _seekable(file: IO[bytes]) -> IO[bytes]:
    """Uploads and pipes may not seek; spool those to a temporary file, stopping past the size limit."""
    if getattr(file, "seekable", lambda: False)():
        return file
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
    limit = settings.TEARDOWN_MAX_BYTES
    copied = 0
    while chunk := file.read(1024 * 1024):
        copied += len(chunk)
        spooled.write(chunk)
        if copied > limit:
            break
    spooled.seek(0)
    return spooled


def teardown_import(
    *,
    file: IO[bytes] | str | Path,
    filename: str,
    source_url: str | None = None,
    dry_run: bool = False,
    user=None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a teardown list: all rows are validated first; any error means nothing is written.

    `file` is a path or a binary file; `filename` gives the extension (.csv, .xlsx, .json). `source_url`
    applies to every row without a `source_url` of its own. `dry_run` validates and computes the counts
    without writing. `progress(phase, done, total)` is called now and then for long files.
    """
    result = ImportResult(dry_run=dry_run)
    if isinstance(file, str | Path):
        with open(file, "rb") as handle:
            return teardown_import(
                file=handle, filename=filename, source_url=source_url, dry_run=dry_run, user=user, progress=progress
            )
    plan = None
    table = None
    try:
        table = open_table(_seekable(file), filename)
        plan = validate_table(table, default_source_url=source_url, progress=progress)
    except TeardownFileError as error:
        result.errors.append(RowError(None, "", "", error.message))
        if plan is not None:
            plan.close()
        return result
    finally:
        if table is not None:
            table.close()
    try:
        result.rows = plan.rows
        result.errors = plan.errors
        if plan.errors:
            return result
        result.new_manufacturers = sorted(name for name, _ in plan.new_manufacturers.values())
        result.new_categories = sorted(plan.new_categories.values())
        try:
            with transaction.atomic():
                # Concurrent writers of these items wait here, and then diff against what the first one wrote.
                item_lock(references=plan.items)
                diff = diff_plan(plan)
                if not dry_run:
                    write_plan(plan, diff, user=user, progress=progress)
        except IntegrityError:
            # Validation saw a consistent database; a concurrent change (another import creating the same
            # manufacturer or part) can still collide. The transaction rolled back: nothing was written.
            result.errors.append(
                RowError(None, "", "", _("The database changed while importing (another import?); nothing was "
                                         "written: run the import again."))
            )  # fmt: skip
            return result
        for reference, item in plan.items.items():
            status = diff.status[reference]
            result.items.append((reference, status))
            setattr(result, f"items_{status}", getattr(result, f"items_{status}") + 1)
            result.findings_created += max(0, len(item.line_hashes) - diff.existing_lines.get(reference, 0))
        result.findings_changed = len(diff.updates)
        result.findings_unchanged = diff.findings_unchanged
        result.findings_deleted = len(diff.deletes)
        return result
    finally:
        plan.close()


def teardown_export(*, items: QuerySet[RecoveredItem], format: str, stream: IO[bytes] | None = None) -> bytes | None:
    """Write the findings of `items` as a teardown list in `format` (csv, xlsx or json).

    Into `stream` when given (returns None), else returns the bytes.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    target = stream if stream is not None else io.BytesIO()
    WRITERS[format](teardown_rows(items), target)
    return None if stream is not None else target.getvalue()
