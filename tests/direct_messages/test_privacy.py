"""A member's direct messages in their export, and what deleting an account does."""

from haven.accounts.actions import do_delete_account
from haven.accounts.personal_data import export_user_data
from haven.direct_messages.models import DirectThread
from tests.direct_messages.conftest import FIRST_WORDS


def test_the_export_holds_what_the_member_could_read(request_thread, trusted):
    alice, bob, _ = trusted
    (mine,) = export_user_data(alice)["direct_messages"]
    assert mine["with"] == "bob" and mine["you_asked"] is True
    assert mine["messages"][0] == {**mine["messages"][0], "from": "you", "body": FIRST_WORDS}
    # bob never accepted: he sees who asked, not the words.
    (theirs,) = export_user_data(bob)["direct_messages"]
    assert theirs["with"] == "alice" and theirs["messages"] == []


def test_deleting_an_account_takes_its_conversations(accepted_thread, trusted):
    alice, _, _ = trusted
    do_delete_account(alice, erase_content=True)
    assert not DirectThread.objects.filter(pk=accepted_thread.pk).exists()
