"""Crisis help inside a chat: the seeker's banner and the listener's protocol arrive as socket
frames (the page never reloads for them), the listener can send the seeker's crisis lines as an
ordinary message, and Block asks first and is not offered again."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from haven.accounts.models import MemberBlock as Block
from haven.chat.actions import do_send_message
from haven.chat.models import ChatMessage
from haven.routing import websocket_urlpatterns
from haven.safety.resources import load_crisis_resources
from haven.safety.support import SESSION_KEY, crisis_lines_message
from tests.conftest import client_for
from tests.support.queries import page_queries

application = URLRouter(websocket_urlpatterns)
CRISIS_WORDS = "I've been saving my pills and I want to end my life tonight."


@pytest.fixture
def seeker_in_the_uk(alice):
    load_crisis_resources()
    alice.country = "GB"
    alice.save(update_fields=["country"])
    return alice


async def join(user, conversation, session: dict | None = None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/")
    communicator.scope["user"] = user
    if session is not None:
        communicator.scope["session"] = session
    assert (await communicator.connect())[0]
    assert (await communicator.receive_json_from(timeout=5))["type"] == "history"
    return communicator


class RecordingSession(dict):
    """A session that remembers whether it was saved: the old chat saved a flag in it so that
    the page, reloading, showed the support panel."""

    saved = False

    def save(self) -> None:
        self.saved = True


@pytest.mark.django_db(transaction=True)
async def test_crisis_words_bring_the_seeker_a_banner_of_their_countrys_lines_without_a_reload(
    conversation, seeker_in_the_uk, listener_lee
):
    session = RecordingSession()
    seeker = await join(seeker_in_the_uk, conversation, session)
    listener = await join(listener_lee.user, conversation)
    await seeker.send_json_to({"type": "message", "client_id": "x", "body": CRISIS_WORDS})
    assert (await seeker.receive_json_from(timeout=5))["type"] == "ack"
    support = await seeker.receive_json_from(timeout=5)
    assert support["type"] == "support" and support["country"] == "GB"
    assert "Samaritans" in [line["name"] for line in support["resources"]]
    assert support["safety_plan_url"] == reverse("wellness:safety_plan")
    # Nothing is left for a reload to show: the banner is the whole answer.
    assert SESSION_KEY not in session and not session.saved
    # The seeker gets no protocol; the listener gets it, and no banner.
    assert await seeker.receive_nothing(timeout=0.3)
    received = [await listener.receive_json_from(timeout=5) for _ in range(2)]
    assert sorted(frame["type"] for frame in received) == ["crisis_protocol", "message"]
    protocol = next(frame for frame in received if frame["type"] == "crisis_protocol")
    assert protocol["title"] and protocol["steps"]
    assert await listener.receive_nothing(timeout=0.3)
    await seeker.disconnect()
    await listener.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_crisis_lines_the_listener_sends_reach_the_seeker_as_an_ordinary_message(
    conversation, seeker_in_the_uk, listener_lee
):
    lines = await sync_to_async(crisis_lines_message)(seeker_in_the_uk)
    seeker = await join(seeker_in_the_uk, conversation)
    listener = await join(listener_lee.user, conversation)
    await listener.send_json_to({"type": "message", "client_id": "lines", "body": lines})
    ack = await listener.receive_json_from(timeout=5)
    # The safety pipeline lets crisis-line numbers through: not refused as personal data.
    assert ack["type"] == "ack" and not ack["held"]
    delivered = await seeker.receive_json_from(timeout=5)
    assert delivered["type"] == "message" and delivered["sender"] == "listener"
    assert "Samaritans: call 116 123 (24/7)" in delivered["body"]
    assert "please call 999 now" in delivered["body"]
    # A listener's words never bring the protocol or the banner to anyone.
    assert await seeker.receive_nothing(timeout=0.3)
    assert await listener.receive_nothing(timeout=0.3)
    stored = await sync_to_async(ChatMessage.objects.get)(pk=ack["id"])
    assert stored.sender_id == listener_lee.user.pk and stored.moderation_state == "visible"
    await seeker.disconnect()
    await listener.disconnect()


@pytest.mark.django_db
def test_the_listeners_page_puts_the_protocol_beside_the_chat_with_the_seekers_lines(
    conversation, seeker_in_the_uk, listener_lee
):
    page = client_for(listener_lee.user).get(f"/chat/{conversation.pk}/").content.decode()
    assert page.index('class="card chat"') < page.index("data-crisis-protocol")
    protocol = page[page.index("data-crisis-protocol") :]
    assert "Send crisis lines" in protocol and "Escalate to a moderator" in protocol
    assert "Samaritans: call 116 123" in protocol
    # The form posts the lines through the ordinary send path (for browsers without JavaScript).
    assert f'action="/chat/{conversation.pk}/send/"' in protocol


@pytest.mark.django_db
def test_sending_the_crisis_lines_without_javascript_stores_them_as_the_listeners_message(
    conversation, seeker_in_the_uk, listener_lee
):
    listener = client_for(listener_lee.user)
    lines = crisis_lines_message(seeker_in_the_uk)
    response = listener.post(
        f"/chat/{conversation.pk}/send/", {"body": lines, "client_id": "no-js-lines"}
    )
    assert response.status_code == 302
    message = ChatMessage.objects.get(client_id="no-js-lines")
    assert message.sender_id == listener_lee.user.pk and "Shout" in message.body


@pytest.mark.django_db
def test_the_seekers_page_has_a_hidden_banner_and_no_protocol(conversation, alice):
    page = client_for(alice).get(f"/chat/{conversation.pk}/").content.decode()
    assert "data-crisis-banner hidden" in page
    assert "data-crisis-protocol" not in page and "Send crisis lines" not in page


@pytest.mark.django_db
def test_help_shown_in_an_open_chat_does_not_offer_another_chat(conversation, alice, listener_lee):
    """Without JavaScript the send reloads the page with the support panel: its crisis lines
    and safety plan, but not "Talk to someone now" for someone already talking to someone."""
    load_crisis_resources()
    seeker = client_for(alice)
    seeker.post(f"/chat/{conversation.pk}/send/", {"body": CRISIS_WORDS, "client_id": "c"})
    page = seeker.get(f"/chat/{conversation.pk}/").content.decode()
    start = page.index('id="support-panel"')
    panel = page[start : page.index("</section>", start)]
    assert "988" in panel and "Open my safety plan" in panel
    assert "Talk to someone now" not in panel
    # Nor does the header: the chat they are in is the someone to talk to; "Get help now"
    # (the crisis lines) stays on the page.
    assert "Talk to someone now" not in page and "Get help now" in page


@pytest.mark.django_db
def test_block_explains_what_it_does_before_it_is_confirmed(conversation, alice):
    page = client_for(alice).get(f"/chat/{conversation.pk}/").content.decode()
    block = page[page.index("data-block") :]
    assert "ends this chat now" in block and "won't be matched with this listener again" in block
    assert "Block and end the chat" in block


@pytest.mark.django_db
def test_after_blocking_the_page_offers_neither_block_nor_a_rating(
    conversation, alice, listener_lee
):
    seeker = client_for(alice)
    seeker.post(f"/chat/{conversation.pk}/block/")
    assert Block.objects.filter(blocker=alice, blocked=listener_lee.user).exists()
    page = seeker.get(f"/chat/{conversation.pk}/").content.decode()
    assert "You blocked them" in page
    assert "data-block" not in page and "Block and end the chat" not in page
    assert "How was it?" not in page


@pytest.mark.django_db
def test_an_ended_chat_still_asks_for_a_rating_when_nobody_was_blocked(conversation, alice):
    seeker = client_for(alice)
    seeker.post(f"/chat/{conversation.pk}/end/")
    page = seeker.get(f"/chat/{conversation.pk}/").content.decode()
    assert "How was it?" in page and "data-block" in page


def queries_for_page(client, url: str) -> int:
    with page_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_chat_page_costs_the_same_queries_however_long_the_chat(
    conversation, seeker_in_the_uk, listener_lee
):
    url = f"/chat/{conversation.pk}/"
    seeker, listener = client_for(seeker_in_the_uk), client_for(listener_lee.user)

    def measured_after(messages: int) -> tuple[int, int]:
        for n in range(messages):
            body = f"still here {n}"
            do_send_message(conversation, sender=seeker_in_the_uk, body=body, client_id=body)
        # A first visit each reads the notifications the messages left; the second is measured.
        seeker.get(url), listener.get(url)
        return queries_for_page(seeker, url), queries_for_page(listener, url)

    short = measured_after(1)
    assert measured_after(10) == short
    # The listener's page adds the seeker's crisis lines (their account and the lines) and the
    # block check; the seeker's, the block check, the listener's name and whether they went
    # quiet (presence); both, the sidebar's list of the member's communities.
    assert short[0] <= 14 and short[1] <= 14
