"""A site moderator joins an escalated chat as a third participant: both people see it live,
the moderator's messages are labelled as a moderator's, the join and each reading are audited,
and nobody else can join or even find the chat."""

import html

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from haven.accounts.actions import do_change_user_role
from haven.accounts.models import Role
from haven.chat.actions import do_escalate, do_send_message
from haven.core.realtime import CLOSE_NOT_FOUND
from haven.moderation.actions import do_report_conversation
from haven.moderation.models import AuditEntry, QueueItem
from haven.routing import websocket_urlpatterns
from tests.chat.test_consumers import join
from tests.conftest import client_for, refused_with

application = URLRouter(websocket_urlpatterns)
PILLS = "They told me they have pills saved up."


@pytest.fixture
def escalated(conversation, listener_lee) -> QueueItem:
    do_escalate(conversation, listener=listener_lee.user, details=PILLS)
    return QueueItem.objects.get(conversation=conversation, kind="urgent")


def join_chat(client, item):
    return client.post(f"/chat/moderate/{item.pk}/join/")


async def through_the_real_stack(client, conversation) -> WebsocketCommunicator:
    """A moderator's socket from their signed-in session, which passed the second factor."""
    from haven.asgi import application as haven_application

    socket = WebsocketCommunicator(
        haven_application,
        f"/ws/chat/{conversation.pk}/",
        headers=[
            (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()),
            (b"origin", b"http://localhost"),
        ],
    )
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from(timeout=5))["type"] == "history"
    return socket


@pytest.mark.django_db(transaction=True)
async def test_both_participants_see_the_moderator_join_and_read_their_messages_live(
    conversation, escalated, alice, listener_lee, moderator_kim
):
    seeker, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    kim = await sync_to_async(client_for)(moderator_kim)
    response = await sync_to_async(join_chat)(kim, escalated)
    assert response.status_code == 302 and response.url == f"/chat/{conversation.pk}/"
    assert await seeker.receive_json_from(timeout=5) == {"type": "moderator_joined"}
    assert await listener.receive_json_from(timeout=5) == {"type": "moderator_joined"}

    moderator = await through_the_real_stack(kim, conversation)
    await moderator.send_json_to(
        {"type": "message", "body": "Hi, I'm from Haven's team. I'm here too.", "client_id": "m1"}
    )
    ack = await moderator.receive_json_from(timeout=5)
    assert ack["type"] == "ack" and ack["sender"] == "you", ack
    for participant in (seeker, listener):
        frame = await participant.receive_json_from(timeout=5)
        assert frame["type"] == "message" and frame["id"] == ack["id"]
        assert frame["sender"] == "moderator"
    # The seeker answers: the moderator's socket hears it, named by role, never by id.
    await seeker.send_json_to({"type": "message", "body": "Thank you.", "client_id": "s1"})
    await seeker.receive_json_from(timeout=5)
    heard = await moderator.receive_json_from(timeout=5)
    assert heard["sender"] == "seeker" and heard["body"] == "Thank you."

    joins = await sync_to_async(list)(
        AuditEntry.objects.filter(action="join_chat").values_list("actor_id", "target_id")
    )
    assert joins == [(moderator_kim.pk, conversation.pk)]
    item = await sync_to_async(QueueItem.objects.get)(pk=escalated.pk)
    assert item.first_contact_kind == "chat_join" and item.first_contact_at is not None
    for socket in (seeker, listener, moderator):
        await socket.disconnect()


def test_the_pages_label_the_moderator_and_each_moderator_reading_is_audited(
    conversation, escalated, alice, moderator_kim
):
    kim = client_for(moderator_kim)
    join_chat(kim, escalated)
    do_send_message(conversation, sender=moderator_kim, body="I'm here with you both.",
                    client_id="m1")  # fmt: skip
    own = kim.get(f"/chat/{conversation.pk}/").content.decode()
    assert "An escalated chat you joined as a Haven moderator" in own
    assert "Share my safety plan" not in own and "Block</button>" not in own
    seeker_page = html.unescape(client_for(alice).get(f"/chat/{conversation.pk}/").content.decode())
    assert "A Haven moderator joined this chat." in seeker_page
    assert "<strong>Haven moderator:</strong>" in seeker_page
    assert "moderator_kim" not in seeker_page
    kim.get(f"/chat/{conversation.pk}/")
    looks = AuditEntry.objects.filter(actor=moderator_kim, action="view_chat_transcript")
    assert looks.filter(target_kind="chat", target_id=conversation.pk).count() == 2


def test_only_a_site_moderator_joins_and_only_an_escalated_chat(
    conversation, escalated, alice, bob, listener_lee, community_mod_maya, moderator_kim
):
    for outsider in (bob, listener_lee.user, community_mod_maya):
        client = client_for(outsider)
        assert join_chat(client, escalated).status_code == 404  # the same as a missing item
        assert join_chat(client, QueueItem(pk=escalated.pk + 99)).status_code == 404
    for outsider in (bob, community_mod_maya):
        assert client_for(outsider).get(f"/chat/{conversation.pk}/").status_code == 404
    # A chat reported for something else, not escalated, stays closed to moderators' joining.
    conversation.refresh_from_db()
    assert conversation.moderator_id is None
    QueueItem.objects.filter(pk=escalated.pk).update(kind="reported")
    assert join_chat(client_for(moderator_kim), escalated).status_code == 403
    assert not AuditEntry.objects.filter(action="join_chat").exists()


def test_a_second_moderator_cannot_join_a_chat_another_has_joined(
    conversation, escalated, moderator_kim, guidelines
):
    from tests.conftest import make_member

    join_chat(client_for(moderator_kim), escalated)
    other = make_member("moderator_ola", guidelines, role=Role.MODERATOR)
    assert join_chat(client_for(other), escalated).status_code == 403
    assert client_for(other).get(f"/chat/{conversation.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
async def test_a_moderator_who_has_not_joined_cannot_open_the_socket(
    conversation, alice, listener_lee, moderator_kim
):
    await sync_to_async(do_report_conversation)(alice, conversation, reason="danger")
    socket = WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/")
    socket.scope["user"] = moderator_kim
    assert await refused_with(socket) == CLOSE_NOT_FOUND


def test_a_moderator_who_loses_the_role_loses_the_chat(conversation, escalated, moderator_kim):
    kim = client_for(moderator_kim)
    join_chat(kim, escalated)
    do_change_user_role(moderator_kim, Role.MEMBER, acting_user=None)
    assert client_for(moderator_kim).get(f"/chat/{conversation.pk}/").status_code == 404


def test_a_joined_moderator_reads_and_writes_through_the_api_each_reading_audited(
    conversation, escalated, moderator_kim
):
    from tests.conftest import token_client_for

    join_chat(client_for(moderator_kim), escalated)
    api = token_client_for(moderator_kim)
    messages = api.get(f"/api/chat/conversations/{conversation.pk}/messages")
    assert messages.status_code == 200
    assert (
        AuditEntry.objects.filter(action="view_chat_transcript", actor=moderator_kim).count() == 1
    )
    sent = api.post(f"/api/chat/conversations/{conversation.pk}/messages",
                    {"body": "I'm here too.", "client_id": "a1"},
                    content_type="application/json")  # fmt: skip
    assert sent.status_code == 201
