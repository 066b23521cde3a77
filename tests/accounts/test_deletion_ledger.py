"""Deleting an account leaves one line in the deletion ledger, outside the database, naming no
one; `haven apply_deletion_ledger` deletes those accounts again after a restore."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command

from haven.accounts import deletion_ledger
from haven.accounts.actions import do_delete_account
from haven.accounts.models import User


def test_a_deletion_is_written_once_it_is_committed(alice, django_capture_on_commit_callbacks):
    digest = deletion_ledger.account_digest(alice.pk, alice.date_joined)
    with django_capture_on_commit_callbacks(execute=True):
        do_delete_account(alice, erase_content=True)
        assert not settings.HAVEN_DELETION_LEDGER.exists()  # nothing before the commit
    text = settings.HAVEN_DELETION_LEDGER.read_text()
    assert text == f"{digest} erase\n"
    assert "alice" not in text
    assert settings.HAVEN_DELETION_LEDGER.stat().st_mode & 0o777 == 0o600


def test_the_ledger_deletes_the_listed_accounts_again_and_no_one_else(alice, bob, carol, tmp_path):
    other = tmp_path / "beside-the-backups.ledger"
    deletion_ledger.record_deletion(
        deletion_ledger.account_digest(bob.pk, bob.date_joined), erase_content=False, path=other
    )
    # Same id, another moment of joining: another account (SQLite may reuse a freed id).
    deletion_ledger.record_deletion(
        deletion_ledger.account_digest(carol.pk, carol.date_joined.replace(year=2001)),
        erase_content=True,
        path=other,
    )
    other.write_text(other.read_text() + "not a ledger line\n" + "ab erase\n")
    out = StringIO()
    call_command("apply_deletion_ledger", ledger=[other], stdout=out)
    assert "1 account(s) deleted since the backup was taken were deleted again" in out.getvalue()
    assert sorted(User.objects.values_list("pseudonym", flat=True)) == ["alice", "carol"]
    # This server's own ledger took the other's lines in, so its next backup carries them.
    assert deletion_ledger.read_ledgers([settings.HAVEN_DELETION_LEDGER]) == (
        deletion_ledger.read_ledgers([other])
    )
    call_command("apply_deletion_ledger", stdout=StringIO())  # again: nothing more to do
    assert User.objects.count() == 2


def test_erasing_wins_when_two_ledgers_disagree(tmp_path):
    digest = "a" * 64
    first, second = tmp_path / "first", tmp_path / "second"
    deletion_ledger.record_deletion(digest, erase_content=False, path=first)
    deletion_ledger.record_deletion(digest, erase_content=True, path=second)
    assert deletion_ledger.read_ledgers([first, second, tmp_path / "missing"]) == {digest: True}
