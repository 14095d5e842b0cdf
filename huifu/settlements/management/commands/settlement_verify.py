"""``manage.py settlement_verify RUN [RUN ...]``: recompute settlement runs from their stored
inputs and print match / mismatch per line. Exits with an error when any line differs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huifu.settlements.models import SettlementRun
from huifu.settlements.services import settlement_verification


class Command(BaseCommand):
    help = "Recompute settlement runs from their stored inputs and compare every line amount."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("runs", nargs="+", type=int, metavar="RUN", help="settlement run id(s)")
        parser.add_argument("--all-lines", action="store_true", help="print matching lines too")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = []
        for run_id in options["runs"]:
            run = SettlementRun.objects.select_related("project").filter(pk=run_id).first()
            if run is None:
                raise CommandError(f"No settlement run {run_id}.")
            result = settlement_verification(run)
            if not result.has_inputs:
                self.stdout.write(f"run {run.pk} {run}: not computed, nothing to verify")
                failed.append(run.pk)
                continue
            if result.error:
                self.stdout.write(f"run {run.pk} {run}: stored inputs unreadable ({result.error}): MISMATCH")
                failed.append(run.pk)
                continue
            for line in result.lines:
                if options["all_lines"] or not line.matches:
                    status = "match" if line.matches else "MISMATCH"
                    self.stdout.write(
                        f"  {line.member_number:>6} #{line.position} {line.label:<8} "
                        f"stored {line.stored if line.stored is not None else '-'}  "
                        f"recomputed {line.recomputed if line.recomputed is not None else '-'}  {status}"
                    )
            verdict = "match" if result.matches else "MISMATCH"
            self.stdout.write(
                f"run {run.pk} {run}: {len(result.lines)} lines, {len(result.mismatches)} mismatched; "
                f"total stored {result.stored_total} recomputed {result.recomputed_total}: {verdict}"
            )
            if not result.matches:
                failed.append(run.pk)
        if failed:
            raise CommandError(f"Not reproduced: run(s) {', '.join(map(str, failed))}.")
