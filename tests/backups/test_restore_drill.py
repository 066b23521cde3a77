"""The restore drill: a site with journals, chats, care messages, a booking and licence evidence
is backed up with `haven backup`, restored with `haven restore` into an empty database (its own
PostgreSQL database when the suite runs there, else a new SQLite file) and read back through
Haven's models, text for text. Real commands in their own processes, as a host runs them.

Also: a restore without the keys, into a database that is not empty, or from a damaged copy is
refused before it changes anything."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.devservers import haven, separate_database, server_environment

TABLES = "from django.db import connection; print(len(connection.introspection.table_names()))"

SEED = """
from datetime import timedelta
from django.core.files.base import ContentFile
from django.utils import timezone
from haven.accounts.actions import do_publish_guidelines
from haven.accounts.models import Role
from haven.care.booking.actions import do_book
from haven.care.booking.queries import free_slots
from haven.care.intake.actions import do_choose_therapist
from haven.care.messaging.actions import do_send_care_message
from haven.chat.actions import do_send_message
from haven.chat.models import Conversation, ListenerProfile
from haven.wellness.journal import do_create_journal_entry
from tests.care.conftest import make_therapist
from tests.conftest import make_member

guidelines = do_publish_guidelines("Be kind.")
member = make_member("drill_member", guidelines)
listener = make_member("drill_listener", guidelines, role=Role.LISTENER)
ListenerProfile.objects.create(user=listener, status=ListenerProfile.Status.LISTENER)
do_create_journal_entry(
    title="Sunday", body="Walked to the sea and felt the knot loosen a little.",
    tags=["walks"], mood=4, acting_user=member,
)
chat = Conversation.objects.create(seeker=member, listener=listener)
do_send_message(chat, sender=member, body="Hi, I could use someone to talk to.", client_id="a")
do_send_message(chat, sender=listener, body="I'm here. What's on your mind?", client_id="b")
therapist = make_therapist("drill_therapist", guidelines)
relationship = do_choose_therapist(member, therapist)
do_send_care_message(relationship, sender=member, body="Could we talk about sleep on Monday?")
do_book(member=member, therapist=therapist, starts_at=free_slots(therapist, days=14)[0].starts_at)
licence = therapist.licences.get()
licence.evidence.save("licence.pdf", ContentFile(b"%PDF-1.4 drill evidence"))
"""

READ_BACK = """
import json
from haven.care.models import Appointment, CareMessage, Licence
from haven.chat.models import ChatMessage
from haven.wellness.models import JournalEntry

entry = JournalEntry.objects.get()
licence = Licence.objects.get()
print(json.dumps({
    "journal": [entry.title, entry.body, entry.tags, entry.mood],
    "chat": list(ChatMessage.objects.order_by("pk").values_list("sender__pseudonym", "body")),
    "care": list(CareMessage.objects.order_by("pk").values_list("body", flat=True)),
    "bookings": [
        [a.member.pseudonym, a.therapist.user.pseudonym, a.starts_at.isoformat(), a.status]
        for a in Appointment.objects.all()
    ],
    "evidence": licence.evidence.open("rb").read().decode(),
}))
"""


def read_back(env: dict) -> dict:
    return json.loads(haven(["shell", "-v0", "-c", READ_BACK], env).stdout)


def refused(args: list[str], env: dict) -> str:
    with pytest.raises(subprocess.CalledProcessError) as failure:
        haven(args, env)
    return failure.value.stderr


def readable_copy(database_file: Path) -> bytes:
    """The database copy as stored text: pg_dump's compressed format is first turned into SQL."""
    if database_file.suffix == ".pgdump":
        return subprocess.run(
            ["pg_restore", "--data-only", "--file=-", str(database_file)],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
    return database_file.read_bytes()


def table_count(env: dict) -> int:
    return int(haven(["shell", "-v0", "-c", TABLES], env).stdout)


def only_backup(folder: Path) -> Path:
    (backup,) = folder.glob("backup-*")
    return backup


def test_a_backup_restores_into_an_empty_database_and_reads_back_every_private_text(tmp_path):
    with separate_database() as (source_url, source_dir):
        source = server_environment(source_url, "", source_dir)
        haven(["migrate", "--noinput", "-v0"], source)
        haven(["shell", "-v0", "-c", SEED], source)
        original = read_back(source)
        assert original["journal"][1] == "Walked to the sea and felt the knot loosen a little."
        assert len(original["chat"]) == 2 and len(original["bookings"]) == 1

        backups = tmp_path / "backups"
        made = haven(["backup", "--to", str(backups)], source).stdout
        assert "Backup written to" in made
        backup = only_backup(backups)
        manifest = json.loads((backup / "manifest.json").read_text())
        assert manifest["row_counts"]["wellness_journalentry"] == 1
        assert manifest["evidence_files"] == 1
        # The keys are never in the backup: not as a file, not inside the database copy.
        keys = (Path(source_dir) / "encryption_keys").read_text().split()
        for path in backup.iterdir():
            content = path.read_bytes()
            assert not any(key.encode() in content for key in keys), path.name
        # …and the private texts are not readable in it without them.
        database_copy = readable_copy(backup / manifest["database_file"])
        assert b"knot loosen" not in database_copy
        assert b"talk about sleep" not in database_copy
        assert (
            b"drill_member" in database_copy
        )  # the copy is readable text, so this means something

        kept_keys = tmp_path / "kept-apart" / "keys.txt"
        haven(["backup", "--to", str(backups), "--export-keys", str(kept_keys)], source)
        assert kept_keys.read_text().split() == keys
        assert kept_keys.stat().st_mode & 0o777 == 0o600
        assert "apart from the backups" in refused(
            ["backup", "--to", str(backups), "--export-keys", str(backups / "keys.txt")], source
        )

        with separate_database() as (target_url, target_dir):
            target = server_environment(target_url, "", target_dir)
            # A new server with keys of its own: the restore refuses and changes nothing.
            assert "does not have the encryption key" in refused(["restore", str(backup)], target)
            assert table_count(target) == 0
            # The host brings the keys kept apart, as docs/deploy.md says.
            shutil.copy(kept_keys, Path(target_dir) / "encryption_keys")
            restored = haven(["restore", str(backup)], target).stdout
            assert "every count matches the backup's manifest" in restored
            assert read_back(target) == original

            # Restoring again would overwrite: refused, and the data is still there.
            assert "not empty" in refused(["restore", str(backup)], target)
            assert read_back(target) == original


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path):
    with separate_database() as (source_url, source_dir):
        source = server_environment(source_url, "", source_dir)
        haven(["migrate", "--noinput", "-v0"], source)
        backups = tmp_path / "backups"
        for _ in range(3):
            haven(["backup", "--to", str(backups), "--keep", "2"], source)
        kept = sorted(backups.glob("backup-*"))
        assert len(kept) == 2  # the oldest beyond --keep went: rotation
        backup = kept[-1]
        manifest = json.loads((backup / "manifest.json").read_text())
        with (backup / manifest["database_file"]).open("r+b") as database_copy:
            database_copy.seek(-16, os.SEEK_END)
            database_copy.write(b"\0" * 16)

        with separate_database() as (target_url, target_dir):
            target = server_environment(target_url, "", target_dir)
            shutil.copy(Path(source_dir) / "encryption_keys", Path(target_dir) / "encryption_keys")
            assert "does not match its checksum" in refused(["restore", str(backup)], target)
            assert "is not a Haven backup" in refused(["restore", str(tmp_path)], target)
            # The good copy still restores: nothing was half-written by the refusals.
            haven(["restore", str(kept[0])], target)


PEOPLE = """
from haven.accounts.actions import do_publish_guidelines
from haven.communities.actions import do_join_community, do_save_community
from haven.forums.actions import do_create_thread
from tests.conftest import make_member

guidelines = do_publish_guidelines("Be kind.")
walks = do_save_community(slug="walks", name="Walks", description="Walking it off.")
for name in ("drill_stayer", "drill_leaver", "drill_eraser"):
    member = make_member(name, guidelines)
    do_join_community(member, walks)
    do_create_thread(walks, title=f"{name} says hello", body="Hello, all.", acting_user=member)
"""

LEAVE = """
from haven.accounts.actions import do_delete_account
from haven.accounts.models import User
do_delete_account(User.objects.get(pseudonym="drill_leaver"), erase_content=False)
do_delete_account(User.objects.get(pseudonym="drill_eraser"), erase_content=True)
"""

WHO_IS_HERE = """
import json
from haven.accounts.models import User
from haven.forums.models import Thread
print(json.dumps({
    "members": sorted(User.objects.values_list("pseudonym", flat=True)),
    "threads": sorted(
        [t.title, t.first_post.author.pseudonym if t.first_post.author else None]
        for t in Thread.objects.select_related("first_post__author")
    ),
}))
"""


def test_accounts_deleted_after_a_backup_stay_deleted_when_it_is_restored(tmp_path):
    """A member who left must not come back with an older backup: the restore deletes them
    again, erasing or keeping their posts as they chose, from the ledger that each backup
    keeps beside the backup folders (a new server has no ledger of its own)."""
    with separate_database() as (source_url, source_dir):
        source = server_environment(source_url, "", source_dir)
        haven(["migrate", "--noinput", "-v0"], source)
        haven(["shell", "-v0", "-c", PEOPLE], source)
        backups = tmp_path / "backups"
        haven(["backup", "--to", str(backups)], source)
        before_they_left = only_backup(backups)
        haven(["shell", "-v0", "-c", LEAVE], source)
        after_they_left = json.loads(haven(["shell", "-v0", "-c", WHO_IS_HERE], source).stdout)
        assert after_they_left["members"] == ["drill_stayer"]
        assert ["drill_leaver says hello", None] in after_they_left["threads"]  # kept, unnamed
        assert not any("drill_eraser" in title for title, _ in after_they_left["threads"])
        haven(["backup", "--to", str(backups)], source)  # the next night's backup

        ledger = (backups / "deleted-accounts.ledger").read_text()
        assert len(ledger.splitlines()) == 2
        assert "drill_" not in ledger and "hello" not in ledger  # nobody is named in it

        with separate_database() as (target_url, target_dir):
            target = server_environment(target_url, "", target_dir)
            shutil.copy(Path(source_dir) / "encryption_keys", Path(target_dir) / "encryption_keys")
            restored = haven(["restore", str(before_they_left)], target).stdout
            assert "2 account(s) deleted since the backup was taken were deleted again" in restored
            # The same as the source after they left: the leaver's post kept as "a deleted
            # member", the eraser's erased, as each chose.
            assert json.loads(haven(["shell", "-v0", "-c", WHO_IS_HERE], target).stdout) == (
                after_they_left
            )
            # The new server's own ledger now holds both, so its backups carry them on.
            own = (Path(target_dir) / "deleted-accounts.ledger").read_text().splitlines()
            assert set(own) >= set(ledger.splitlines())
