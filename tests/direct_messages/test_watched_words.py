"""Site-wide watched words apply to direct messages too (haven.communities.rules)."""

from haven.communities.models import WatchedWord
from haven.core.content import ModerationState
from haven.moderation.models import QueueItem, QueueKind
from tests.conftest import client_for


def test_site_wide_rules_hide_block_and_hold_words_in_direct_messages(accepted_thread, trusted):
    alice, _, _ = trusted
    WatchedWord.objects.create(pattern="pineapple", action=WatchedWord.Action.CENSOR)
    WatchedWord.objects.create(pattern="casino", action=WatchedWord.Action.BLOCK)
    WatchedWord.objects.create(pattern="meetup", action=WatchedWord.Action.HOLD)
    client = client_for(alice)
    url = f"/messages/{accepted_thread.pk}/send/"
    client.post(url, {"body": "you pineapple, hi", "client_id": "w1"})
    assert accepted_thread.messages.get(client_id="w1").body == "you ■■■, hi"
    refused = client.post(url, {"body": "try this casino", "client_id": "w2"}, follow=True)
    assert "aren&#x27;t allowed here" in refused.content.decode()
    assert not accepted_thread.messages.filter(client_id="w2").exists()
    client.post(url, {"body": "a meetup maybe?", "client_id": "w3"})
    held = accepted_thread.messages.get(client_id="w3")
    assert held.moderation_state == ModerationState.HELD
    assert QueueItem.objects.get(direct_message=held).kind == QueueKind.FLAGGED
