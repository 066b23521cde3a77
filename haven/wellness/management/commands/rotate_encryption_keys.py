"""`haven rotate_encryption_keys`: re-encrypt journals, check-in notes and safety plans with the
newest key.

With keys from HAVEN_ENCRYPTION_KEYS: put the new key first, run this, then remove the old key.
With the embedded key file: `--generate-key` adds the new key for you, `--retire-old-keys`
removes the old ones once everything is re-encrypted.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haven.wellness import rotation


class Command(BaseCommand):
    help = "Re-encrypt every private text with the first key in HAVEN_ENCRYPTION_KEYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--generate-key",
            action="store_true",
            help="Add a new key at the front of the local key file first.",
        )
        parser.add_argument(
            "--retire-old-keys",
            action="store_true",
            help="After re-encrypting, remove every key but the first from the local key file.",
        )

    def handle(self, *args, generate_key: bool, retire_old_keys: bool, **options) -> None:
        from_file = rotation.keys_come_from_file()
        if (generate_key or retire_old_keys) and not from_file:
            raise CommandError(
                "Keys come from HAVEN_ENCRYPTION_KEYS: change that variable instead "
                "(new key first), then run this command without options."
            )
        if generate_key:
            rotation.write_keys([rotation.generate_key(), *settings.HAVEN_ENCRYPTION_KEYS])
            self.stdout.write(f"Added a new key to {rotation.key_file()}.")
        counts = rotation.reencrypt_all()
        for label, count in counts.items():
            self.stdout.write(f"Re-encrypted {count} {label} rows.")
        if retire_old_keys:
            rotation.write_keys(settings.HAVEN_ENCRYPTION_KEYS[:1])
            self.stdout.write("Old keys removed: only the newest key remains.")
        self.stdout.write(self.style.SUCCESS("Every private text now uses the newest key."))
