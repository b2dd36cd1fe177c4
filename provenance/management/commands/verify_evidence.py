"""`manage.py verify_evidence`: recompute the SHA-256 of every stored evidence file.

Exit 0 when every file matches the hash recorded at upload; exit 1 naming each file that is missing or
differs.
"""

import sys

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.models import EvidenceFile
from provenance.services.custody import evidence_files_verify


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Recompute every stored evidence file's SHA-256; exit 1 naming each file that differs or is missing."
    )

    def handle(self, *args, **options) -> None:
        problems = 0
        for problem in evidence_files_verify():
            problems += 1
            if problem.problem == "missing":
                self.stderr.write(
                    _("MISSING  {file} (evidence #{id})").format(file=problem.name, id=problem.evidence_id)
                )
            else:
                self.stderr.write(
                    _("DIFFERS  {file} (evidence #{id}): recorded {expected}, now {actual}").format(
                        file=problem.name, id=problem.evidence_id, expected=problem.expected, actual=problem.actual
                    )
                )
        total = EvidenceFile.objects.count()
        if problems:
            self.stderr.write(
                _("{problems} of {total} evidence files failed the check.").format(problems=problems, total=total)
            )
            sys.exit(1)
        self.stdout.write(_("{total} evidence files checked: every SHA-256 matches.").format(total=total))
