"""Encryption at rest for texts private to one person (journal, check-in notes, safety plan).

Fernet (AES-128-CBC with HMAC-SHA256) through MultiFernet: the first key in
settings.HAVEN_ENCRYPTION_KEYS encrypts, every key decrypts, so a key is rotated by putting a new
one first and re-encrypting (`haven rotate_encryption_keys`). The keys never live in the database.
"""

import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "HAVEN_ENCRYPTION_KEYS holds a key that is not a Fernet key (32 url-safe base64 bytes)."
        ) from error


def current_fernet() -> MultiFernet:
    return _multi_fernet(tuple(settings.HAVEN_ENCRYPTION_KEYS))


def encrypt_text(text: str) -> str:
    return current_fernet().encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return current_fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        # Never fall back to showing the stored value: it is either ciphertext or tampered.
        raise ImproperlyConfigured(
            "A private text could not be decrypted with any key in HAVEN_ENCRYPTION_KEYS. "
            "Was a key removed before `haven rotate_encryption_keys` ran?"
        ) from error


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Lookups on it are meaningless (every token differs)."""

    def from_db_value(self, value: str | None, expression, connection) -> str | None:
        return None if value is None else decrypt_text(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        return None if value is None else encrypt_text(str(value))


class EncryptedJSONField(models.TextField):
    """A JSON value (list or dict) stored as one Fernet token."""

    def from_db_value(self, value: str | None, expression, connection) -> Any:
        return None if value is None else json.loads(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else encrypt_text(json.dumps(value, ensure_ascii=False))

    def value_to_string(self, obj) -> str:
        return json.dumps(self.value_from_object(obj))


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField | EncryptedJSONField)
    ]
