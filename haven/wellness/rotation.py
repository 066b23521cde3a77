"""Key rotation: re-encrypt every private text with the first (newest) key."""

import os
from pathlib import Path

from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from haven.wellness.encryption import encrypted_fields

BATCH_SIZE = 500


def encrypted_models() -> list[type[models.Model]]:
    """Every model with an encrypted field, in any app: a model added later cannot be
    forgotten by a rotation."""
    return [model for model in apps.get_models() if encrypted_fields(model)]


def reencrypt_all() -> dict[str, int]:
    """Decrypt with any key, write back with the first. Batched transactions: a run stopped
    half-way leaves every row readable (old or new key), and running it again finishes it."""
    counts = {}
    for model in encrypted_models():
        fields = encrypted_fields(model)
        done, last_pk = 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    model.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", *fields)[:BATCH_SIZE]
                )
                for row in batch:
                    model.objects.filter(pk=row.pk).update(
                        **{field: getattr(row, field) for field in fields}
                    )
            if not batch:
                break
            done += len(batch)
            last_pk = batch[-1].pk
        counts[model._meta.label] = done
    return counts


def key_file() -> Path:
    return Path(os.environ.get("HAVEN_ENCRYPTION_KEY_FILE", settings.DATA_DIR / "encryption_keys"))


def keys_come_from_file() -> bool:
    return not os.environ.get("HAVEN_ENCRYPTION_KEYS")


def write_keys(keys: list[str]) -> None:
    path = key_file()
    temporary = path.with_suffix(".new")
    temporary.write_text("".join(f"{key}\n" for key in keys))
    temporary.chmod(0o600)
    temporary.replace(path)
    settings.HAVEN_ENCRYPTION_KEYS = keys


def generate_key() -> str:
    return Fernet.generate_key().decode()
