"""`manage.py verify_evidence`: recompute the SHA-256 of every stored evidence file.

Exit 0 when every file matches the hash recorded at upload; exit 1 naming each file that is missing or
differs.
"""

import sys

from django.core.management.base import BaseCommand

from provenance.models import EvidenceFile
from provenance.services.custody import evidence_files_verify


class Command(BaseCommand):
    help = "Recompute every stored evidence file's SHA-256; exit 1 naming each file that differs or is missing."

    def handle(self, *args, **options) -> None:
        problems = 0
        for problem in evidence_files_verify():
            problems += 1
            if problem.problem == "missing":
                self.stderr.write(f"MISSING  {problem.name} (evidence #{problem.evidence_id})")
            else:
                self.stderr.write(
                    f"DIFFERS  {problem.name} (evidence #{problem.evidence_id}): recorded {problem.expected}, "
                    f"now {problem.actual}"
                )
        total = EvidenceFile.objects.count()
        if problems:
            self.stderr.write(f"{problems} of {total} evidence files failed the check.")
            sys.exit(1)
        self.stdout.write(f"{total} evidence files checked: every SHA-256 matches.")
