"""manage.py tradingdata_import PATH [--actor EMAIL]: import a large file from disk.

Format by extension: .csv / .xlsx (Huifu's layout) or pmYYYYMMDD.dat / .json (ranking file).
Exit status 1 when the file is rejected (the errors are printed with line numbers).
"""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from huifu.accounts.models import User
from huifu.accounts.system import system_actor
from huifu.tradingdata.models import ImportFormat, ImportMode, ImportStatus
from huifu.tradingdata.services import import_daily_file, import_ranking_file


class Command(BaseCommand):
    help = "Import daily member statistics (CSV/.xlsx) or a public ranking file."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("path")
        parser.add_argument("--actor", help="e-mail of the staff user recorded as importer")
        parser.add_argument(
            "--correct-rows",
            action="store_true",
            help="replace only the stored rows with the same day, member, product and contract as the file's",
        )
        parser.add_argument(
            "--replace-days",
            action="store_true",
            help="confirm replacing whole trading days even when the file brings fewer rows than it removes",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path = options["path"]
        if not os.path.isfile(path):
            raise CommandError(f"No such file: {path}")
        actor = system_actor()
        if options.get("actor"):
            actor = User.objects.filter(email=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No user {options['actor']}")
        extension = os.path.splitext(path)[1].lower()
        name = os.path.basename(path)
        with open(path, "rb") as handle:
            if extension in (".csv", ".xlsx"):
                file_format = ImportFormat.CSV if extension == ".csv" else ImportFormat.XLSX
                try:
                    batch = import_daily_file(
                        opener=lambda: handle,
                        file_format=file_format,
                        original_name=name,
                        actor=actor,
                        mode=ImportMode.CORRECT_ROWS if options["correct_rows"] else ImportMode.REPLACE_DAYS,
                        confirm_replace=options["replace_days"],
                    )
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
            elif extension in (".dat", ".json"):
                batch = import_ranking_file(file=handle, original_name=name, actor=actor)
            else:
                raise CommandError("Use a .csv, .xlsx, .dat or .json file.")
        if batch.status == ImportStatus.REJECTED:
            for error in batch.errors:
                self.stderr.write(f"line {error['line']}: {error['field']} {error['message']}")
            raise CommandError(f"Rejected: {batch.error_count} error(s); nothing imported (batch {batch.pk}).")
        self.stdout.write(
            f"Imported batch {batch.pk}: {batch.rows_imported} rows, {batch.rows_replaced} replaced, "
            f"{batch.day_count} trading days."
        )
