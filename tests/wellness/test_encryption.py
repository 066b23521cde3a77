"""Encryption at rest: keys outside the database, rotation that re-encrypts everything, and a
production start that refuses to run without a key."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from haven.wellness.checkins import do_check_in
from haven.wellness.journal import do_create_journal_entry
from haven.wellness.models import JournalEntry, MoodCheckIn, SafetyPlan
from haven.wellness.safety_plan import do_save_plan_step
from tests.support.devservers import ROOT


def raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608 - test constants
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def private_texts(alice):
    do_create_journal_entry(
        title="t", body="journal words", tags=["x"], mood=None, acting_user=alice
    )
    do_check_in(mood=5, feelings=[], sleep_hours=None, note="note words", acting_user=alice)
    do_save_plan_step(alice, "reasons_for_living", ["plan words"])


@pytest.fixture
def key_file(tmp_path, settings, monkeypatch):
    """A local key file holding one key, as on the embedded default."""
    path = tmp_path / "encryption_keys"
    old_key = Fernet.generate_key().decode()
    path.write_text(old_key + "\n")
    monkeypatch.setenv("HAVEN_ENCRYPTION_KEY_FILE", str(path))
    monkeypatch.delenv("HAVEN_ENCRYPTION_KEYS", raising=False)
    settings.HAVEN_ENCRYPTION_KEYS = [old_key]
    return path, old_key


def test_rotation_re_encrypts_every_private_text_with_the_new_key(key_file, private_texts):
    path, old_key = key_file
    before = raw("wellness_journalentry", "body") + raw("wellness_moodcheckin", "note")
    assert all(Fernet(old_key.encode()).decrypt(token.encode()) for token in before)

    call_command("rotate_encryption_keys", "--generate-key", "--retire-old-keys")

    keys = path.read_text().split()
    assert len(keys) == 1 and keys[0] != old_key
    new = Fernet(keys[0].encode())
    assert new.decrypt(raw("wellness_journalentry", "body")[0].encode()) == b"journal words"
    assert new.decrypt(raw("wellness_moodcheckin", "note")[0].encode()) == b"note words"
    assert b"plan words" in new.decrypt(raw("wellness_safetyplan", "steps")[0].encode())
    assert raw("wellness_journalentry", "body") != before[:1]
    # The old key can no longer read anything, and everything still reads through the app.
    from cryptography.fernet import InvalidToken

    with pytest.raises(InvalidToken):
        Fernet(old_key.encode()).decrypt(raw("wellness_journalentry", "body")[0].encode())
    assert JournalEntry.objects.get().body == "journal words"
    assert MoodCheckIn.objects.get().note == "note words"
    assert SafetyPlan.objects.get().steps["reasons_for_living"] == ["plan words"]


def test_rotation_with_keys_from_the_environment(settings, monkeypatch, private_texts):
    """The operator puts a new key first; the command re-encrypts; the old key can then go."""
    old_key = settings.HAVEN_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv("HAVEN_ENCRYPTION_KEYS", f"{new_key},{old_key}")
    settings.HAVEN_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys")
    settings.HAVEN_ENCRYPTION_KEYS = [new_key]
    assert JournalEntry.objects.get().body == "journal words"
    with pytest.raises(CommandError, match="HAVEN_ENCRYPTION_KEYS"):
        call_command("rotate_encryption_keys", "--generate-key")


def test_a_missing_key_is_a_loud_error_not_a_leak(settings, private_texts):
    settings.HAVEN_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="could not be decrypted"):
        JournalEntry.objects.get()


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_ENCRYPTION")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "haven.settings"},
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_production_refuses_to_start_without_a_key(tmp_path):
    refused = _start(
        {"HAVEN_PRODUCTION": "1", "DJANGO_SECRET_KEY": "x" * 50, "HAVEN_DATA_DIR": str(tmp_path)}
    )
    assert refused.returncode != 0
    assert "HAVEN_ENCRYPTION_KEYS must hold at least one Fernet key" in refused.stderr
    assert not (tmp_path / "encryption_keys").exists()  # nothing created on local disk

    started = _start(
        {
            "HAVEN_PRODUCTION": "1",
            "DJANGO_SECRET_KEY": "x" * 50,
            "HAVEN_DATA_DIR": str(tmp_path),
            "HAVEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        }
    )
    assert started.returncode == 0, started.stderr


def test_the_embedded_default_reads_keys_made_once_by_the_local_setup_step(tmp_path):
    """Importing the settings writes nothing: without the step, start-up says what to run."""
    refused = _start({"HAVEN_DATA_DIR": str(tmp_path)})
    assert refused.returncode != 0 and "python -m haven.local_setup" in refused.stderr
    assert list(tmp_path.iterdir()) == []
    for _ in range(2):
        made = subprocess.run(
            [sys.executable, "-m", "haven.local_setup"],
            env={**os.environ, "HAVEN_DATA_DIR": str(tmp_path)},
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
    assert _start({"HAVEN_DATA_DIR": str(tmp_path)}).returncode == 0
    key_file = tmp_path / "encryption_keys"
    assert len(key_file.read_text().split()) == 1
    for secret in (key_file, tmp_path / "secret_key"):
        assert oct(secret.stat().st_mode & 0o777) == "0o600"
