"""`haven apply_deletion_ledger`: delete again the accounts a restored backup brought back.

`haven restore` runs it after every restore, with the ledger kept beside the backups; run it by
hand with --ledger for a ledger kept anywhere else. It is safe to run again: an account already
gone is simply not found.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from haven.accounts import deletion_ledger
from haven.accounts.actions import do_delete_account
from haven.accounts.models import User


class Command(BaseCommand):
    help = "Delete again the accounts listed as deleted in the deletion ledger(s)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--ledger",
            type=Path,
            action="append",
            default=[],
            help="A ledger besides this server's own (HAVEN_DELETION_LEDGER); may be repeated.",
        )

    def handle(self, *args, ledger: list[Path], **options) -> None:
        own = settings.HAVEN_DELETION_LEDGER
        deleted = deletion_ledger.read_ledgers([own, *ledger])
        # This server's ledger takes in the others, so its next backup carries every deletion.
        known = deletion_ledger.read_ledgers([own])
        for digest, erase_content in deleted.items():
            if known.get(digest) != erase_content:
                deletion_ledger.record_deletion(digest, erase_content=erase_content, path=own)
        # Found first, deleted after: deleting while reading the same table in batches could
        # skip rows (SQLite does not isolate queries within one connection).
        listed = [
            (pk, deleted[digest])
            for pk, joined in User.objects.values_list("pk", "date_joined").iterator()
            if (digest := deletion_ledger.account_digest(pk, joined)) in deleted
        ]
        for pk, erase_content in listed:
            do_delete_account(User.objects.get(pk=pk), erase_content=erase_content)
        self.stdout.write(
            f"{len(listed)} account(s) deleted since the backup was taken were deleted again "
            f"({len(deleted)} deletion(s) in the ledger)."
        )
