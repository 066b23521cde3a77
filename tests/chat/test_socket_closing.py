"""Open sockets close when access ends: a suspension, a ban, account deletion, the loss of the
listener role and the end of the chat each close the sockets they concern at once, with a code
the page does not retry; the other participant is told and keeps their own socket where the
chat goes on."""

import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from haven.accounts.models import User
from haven.accounts.revocation import do_revoke_access
from haven.chat.actions import do_end_conversation, do_request_chat, do_take_request
from haven.chat.models import ChatMessage, ChatRequest, Conversation
from haven.core.realtime import CLOSE_ENDED
from haven.moderation.actions import do_sanction
from haven.notifications.sockets import CLOSE_SIGNED_OUT
from haven.routing import websocket_urlpatterns
from tests.chat.conftest import make_listener
from tests.chat.test_consumers import closed_with, join
from tests.conftest import PASSWORD, client_for, make_member

pytestmark = pytest.mark.django_db(transaction=True)
application = URLRouter(websocket_urlpatterns)


async def open_notifications(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/notifications/")
    communicator.scope["user"] = user
    assert (await communicator.connect())[0]
    assert (await communicator.receive_json_from(timeout=5))["type"] == "unread_notifications"
    return communicator


@sync_to_async
def post_as(user, path: str, data: dict | None = None):
    return client_for(user).post(path, data or {})


@sync_to_async
def get_as(user, path: str):
    return client_for(user).get(path)


async def talk(listener, text: str) -> None:
    await listener.send_json_to({"type": "message", "body": text, "client_id": text})
    assert (await listener.receive_json_from(timeout=5))["type"] == "ack"


@pytest.mark.parametrize("kind", ["suspend", "ban"])
async def test_a_suspension_or_ban_closes_every_open_socket_of_the_member_at_once(
    kind, conversation, alice, listener_lee, moderator_kim
):
    chat, _ = await join(alice, conversation)
    other_tab, _ = await join(alice, conversation)
    notifications = await open_notifications(alice)
    listener, _ = await join(listener_lee.user, conversation)
    await sync_to_async(do_sanction)(
        alice, kind, moderator=moderator_kim, reason="Repeated harassment.",
        duration=timedelta(days=7) if kind == "suspend" else None,
    )  # fmt: skip
    for socket in (chat, other_tab, notifications):
        code, frames = await closed_with(socket)
        assert code == CLOSE_SIGNED_OUT
        assert all(frame["type"] == "unread_notifications" for frame in frames)
    # The chat ends, so the listener is not left talking to someone who cannot answer, and
    # their slot is free for the next person.
    assert await closed_with(listener) == (CLOSE_ENDED, [{"type": "ended", "ended_by": None}])
    ended = await sync_to_async(Conversation.objects.get)(pk=conversation.pk)
    assert ended.status == Conversation.Status.ENDED


async def test_a_suspended_members_waiting_request_leaves_the_queue(alice, moderator_kim):
    await sync_to_async(do_request_chat)(alice, topics=[], language="en", message="Anyone?")
    await sync_to_async(do_sanction)(
        alice, "suspend", moderator=moderator_kim, reason="Repeated harassment.",
        duration=timedelta(days=7),
    )  # fmt: skip
    waiting = ChatRequest.objects.filter(seeker=alice, status=ChatRequest.Status.WAITING)
    assert not await sync_to_async(waiting.exists)()


async def test_a_socket_opened_with_a_session_already_revoked_is_closed(conversation, alice):
    """The session was read just before the revocation: the socket must not slip through."""
    stale = await sync_to_async(User.objects.get)(pk=alice.pk)
    await sync_to_async(do_revoke_access)(alice, reason="password_changed")
    for path in (f"/ws/chat/{conversation.pk}/", "/ws/notifications/"):
        communicator = WebsocketCommunicator(application, path)
        communicator.scope["user"] = stale
        assert (await communicator.connect())[0]
        assert (await closed_with(communicator))[0] == CLOSE_SIGNED_OUT


@pytest.mark.parametrize("content", ["erase", "keep"])
async def test_deleting_the_account_closes_the_sockets_ends_the_chat_and_frees_the_listener(
    content, alice, bob, guidelines
):
    def set_up():
        listener = make_listener("listener_one_slot", guidelines, max_chats=1)
        chat_request = do_request_chat(alice, topics=[], language="en", message="")
        chat_request.refresh_from_db()
        do_take_request(listener, chat_request)
        conversation = Conversation.objects.get(seeker=alice)
        ChatMessage.objects.create(
            conversation=conversation, sender=alice, client_id="a1", body="My brother died."
        )
        return listener, conversation

    listener, conversation = await sync_to_async(set_up)()
    chat, _ = await join(alice, conversation)
    notifications = await open_notifications(alice)
    listener_socket, _ = await join(listener.user, conversation)
    response = await post_as(alice, "/accounts/delete/", {"content": content, "password": PASSWORD})
    assert response.status_code == 302
    # The chat has ended and the member is signed out: their socket says signed out.
    assert (await closed_with(chat))[0] == CLOSE_SIGNED_OUT
    assert (await closed_with(notifications))[0] == CLOSE_SIGNED_OUT
    # The listener is told the chat is over (by nobody they can name), and that socket closes.
    assert await closed_with(listener_socket) == (
        CLOSE_ENDED, [{"type": "ended", "ended_by": None}]
    )  # fmt: skip
    conversation = await sync_to_async(Conversation.objects.get)(pk=conversation.pk)
    assert conversation.status == "ended" and conversation.seeker_id is None
    bodies = await sync_to_async(list)(
        ChatMessage.objects.filter(conversation=conversation).values_list("body", flat=True)
    )
    assert bodies == ([""] if content == "erase" else ["My brother died."])
    # The listener's one slot is free again: the next person waiting is matched at once.
    await sync_to_async(do_request_chat)(bob, topics=[], language="en", message="")
    assert await sync_to_async(
        ChatRequest.objects.filter(seeker=bob, offered_to=listener.user, status="offered").exists
    )()


async def test_deleting_the_account_withdraws_a_waiting_request(alice, bob, guidelines):
    def set_up():
        do_request_chat(alice, topics=[], language="en", message="Is anyone there?")
        return ChatRequest.objects.get(seeker=alice)

    chat_request = await sync_to_async(set_up)()
    waiting = WebsocketCommunicator(application, f"/ws/chat/requests/{chat_request.pk}/")
    waiting.scope["user"] = alice
    assert (await waiting.connect())[0]
    assert (await waiting.receive_json_from(timeout=5))["status"] == "waiting"
    await post_as(alice, "/accounts/delete/", {"content": "erase", "password": PASSWORD})
    assert (await closed_with(waiting))[0] == CLOSE_SIGNED_OUT
    assert not await sync_to_async(ChatRequest.objects.filter(pk=chat_request.pk).exists)()


async def test_losing_the_listener_role_ends_their_chats_and_closes_both_sides(
    conversation, alice, listener_lee, guidelines
):
    admin = await sync_to_async(make_member)("site_admin", guidelines, role="admin")
    await sync_to_async(User.objects.filter(pk=admin.pk).update)(is_staff=True, is_superuser=True)
    seeker, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    response = await post_as(
        admin,
        "/admin/chat/listenerprofile/",
        {"action": "revoke_listeners", "_selected_action": [listener_lee.pk]},
    )
    assert response.status_code == 302
    code, frames = await closed_with(listener)
    assert code == CLOSE_SIGNED_OUT  # the role change signed them out
    code, frames = await closed_with(seeker)
    assert (code, frames) == (CLOSE_ENDED, [{"type": "ended", "ended_by": None}])
    assert (await sync_to_async(Conversation.objects.get)(pk=conversation.pk)).status == "ended"
    # The seeker's ended chat offers them someone else to talk to.
    page = await get_as(alice, f"/chat/{conversation.pk}/")
    assert "talk to someone now" in page.content.decode()


async def test_the_signed_out_member_hears_signed_out_even_when_the_chat_end_comes_first(
    conversation, alice, listener_lee
):
    """The member group's close and the chat group's "ended" travel separately, so a server
    may deliver the end first: the member whose access ended still gets 4410 (the page then
    asks them to sign in) and the other side gets "ended"."""
    chat, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    await sync_to_async(do_end_conversation)(conversation, ended_by=None, signed_out=alice)
    assert await closed_with(chat) == (CLOSE_SIGNED_OUT, [])
    assert await closed_with(listener) == (CLOSE_ENDED, [{"type": "ended", "ended_by": None}])


async def test_ending_the_chat_from_the_page_closes_both_sides_sockets(
    conversation, alice, listener_lee
):
    seeker, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    response = await post_as(listener_lee.user, f"/chat/{conversation.pk}/end/")
    assert response.status_code == 302
    assert await closed_with(seeker) == (CLOSE_ENDED, [{"type": "ended", "ended_by": "listener"}])
    assert await closed_with(listener) == (CLOSE_ENDED, [{"type": "ended", "ended_by": "you"}])


async def test_a_signed_out_socket_ignores_what_arrives_after_the_close(
    conversation, alice, listener_lee, moderator_kim
):
    chat, _ = await join(alice, conversation)
    await sync_to_async(do_sanction)(
        alice, "suspend", moderator=moderator_kim, reason="A pause.", duration=timedelta(days=1)
    )
    assert (await closed_with(chat))[0] == CLOSE_SIGNED_OUT
    await chat.send_to(text_data=json.dumps({"type": "message", "body": "hi", "client_id": "z"}))
    assert await chat.receive_nothing(timeout=0.3)
    assert not await sync_to_async(ChatMessage.objects.filter(client_id="z").exists)()
