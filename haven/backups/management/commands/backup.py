"""`haven backup`: the database and the licence evidence, with a manifest; never the keys.

`haven backup --export-keys PATH` writes the encryption keys alone, to keep somewhere else.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haven.backups import archive


class Command(BaseCommand):
    help = "Back up the database and the licence evidence files (the keys are kept apart)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            default=settings.HAVEN_BACKUP_DIR,
            help="Folder that receives the backup (HAVEN_BACKUP_DIR, var/backups by default).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.HAVEN_BACKUP_KEEP,
            help="How many backups to keep there; the oldest beyond it are removed.",
        )
        parser.add_argument(
            "--export-keys",
            type=Path,
            metavar="PATH",
            help="Only write the encryption keys to PATH (outside the backup folder), then stop.",
        )

    def handle(self, *args, to: Path, keep: int, export_keys: Path | None, **options) -> None:
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            if export_keys:
                count = archive.export_keys(export_keys, backup_destination=to)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Wrote {count} encryption key(s) to {export_keys}. Keep this file apart "
                        "from the backups (docs/deploy.md, Backups)."
                    )
                )
                return
            backup = archive.create_backup(to, keep=keep)
        except archive.BackupError as problem:
            raise CommandError(str(problem)) from problem
        manifest = backup.manifest
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {backup.folder}: {manifest['engine']} database "
                f"({rows} rows in {len(manifest['row_counts'])} tables), "
                f"{manifest['evidence_files']} evidence file(s). The encryption keys are not in "
                "it: keep them apart (haven backup --export-keys PATH)."
            )
        )
