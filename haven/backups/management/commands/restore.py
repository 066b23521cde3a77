"""`haven restore FOLDER`: a backup into an empty database, checked before and after."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from haven.backups import archive


class Command(BaseCommand):
    help = "Restore a backup made by `haven backup` into an empty database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="A backup-<time> folder.")
        parser.add_argument(
            "--without-keys",
            action="store_true",
            help="Restore even though this server lacks the backup's encryption keys "
            "(private texts then stay unreadable).",
        )

    def handle(self, *args, folder: Path, without_keys: bool, **options) -> None:
        try:
            backup = archive.read_backup(folder)
            restored = archive.restore_backup(backup, without_keys=without_keys)
        except archive.BackupError as problem:
            raise CommandError(str(problem)) from problem
        differences = archive.count_differences(backup.manifest["row_counts"], restored)
        if differences:
            raise CommandError(
                "The restored database does not hold what the backup recorded:\n"
                + "\n".join(differences)
            )
        self.stdout.write(
            f"Restored {sum(restored.values())} rows in {len(restored)} tables; every count "
            "matches the backup's manifest."
        )
        # A backup from an older version of Haven: bring its tables up to this version.
        call_command("migrate", interactive=False, verbosity=0)
        # Accounts deleted after the backup was taken are deleted again (the ledger that
        # `haven backup` keeps beside the backup folders, and this server's own).
        call_command(
            "apply_deletion_ledger", ledger=[archive.ledger_copy(folder.parent)], stdout=self.stdout
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore of {folder.name} complete. Rebuild the search vectors if you use "
                "sqlite-vec or pgvector: haven reembed."
            )
        )
