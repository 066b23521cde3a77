"""Listener presence and offers: a request goes only to a listener who has Haven open, waits for
them to accept, moves on when they pass, leave or let it run out (keeping its place), and a
seeker whose listener goes quiet can find someone else. Nobody waits in a silent chat."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from haven.accounts.models import User
from haven.chat import actions
from haven.chat.models import ChatMessage, ChatRequest, Conversation
from haven.chat.queue import available_listeners
from haven.core.realtime import CLOSE_ENDED
from haven.jobs.schedule import PERIODIC_JOBS
from haven.notifications import presence
from haven.routing import websocket_urlpatterns
from tests.chat.conftest import accept_offer, make_listener
from tests.chat.test_consumers import closed_with, join
from tests.conftest import client_for, token_client_for

application = URLRouter(websocket_urlpatterns)
socket_db = pytest.mark.django_db(transaction=True)


async def open_haven(user) -> WebsocketCommunicator:
    """A tab of Haven: the page's notification socket, as haven.js opens it."""
    tab = WebsocketCommunicator(application, "/ws/notifications/")
    tab.scope["user"] = user
    assert (await tab.connect())[0]
    assert (await tab.receive_json_from(timeout=5))["type"] == "unread_notifications"
    return tab


def request_chat(seeker, capture, message: str = "") -> ChatRequest:
    with capture(execute=True):
        chat_request = actions.do_request_chat(seeker, topics=[], language="en", message=message)
    chat_request.refresh_from_db()
    return chat_request


class Clock:
    """Stands in for time.time() in haven.notifications.presence."""

    def __init__(self) -> None:
        import time

        self.now = time.time()

    def time(self) -> float:
        return self.now


# --- Presence: a live socket, refreshed by heartbeats


@socket_db
async def test_a_member_is_present_while_any_tab_is_open_and_gone_when_the_last_closes(alice):
    first, second = await open_haven(alice), await open_haven(alice)
    assert await sync_to_async(presence.is_present)(alice.pk)
    await first.disconnect()
    assert await sync_to_async(presence.is_present)(alice.pk)
    await second.disconnect()
    assert not await sync_to_async(presence.is_present)(alice.pk)


@socket_db
async def test_a_lost_connection_goes_stale_unless_heartbeats_keep_it_alive(
    alice, bob, settings, monkeypatch
):
    clock = Clock()
    monkeypatch.setattr(presence, "time", clock)
    beating, silent = await open_haven(alice), await open_haven(bob)
    clock.now += settings.HAVEN_PRESENCE_STALE_SECONDS - 5
    await beating.send_json_to({"type": "heartbeat"})
    assert await beating.receive_nothing(timeout=0.5)  # (a heartbeat has no answer)
    clock.now += 10
    # No close ever reached the server for Bob (a dropped connection): stale counts as gone.
    assert await sync_to_async(presence.present_user_ids)([alice.pk, bob.pk]) == {alice.pk}
    await beating.disconnect()
    await silent.disconnect()


def test_a_listener_with_the_switch_on_but_no_tab_open_is_not_offered_anything(
    alice, guidelines, django_capture_on_commit_callbacks
):
    make_listener("away_ari", guidelines, present=False)
    here = make_listener("here_hal", guidelines)
    chat_request = request_chat(alice, django_capture_on_commit_callbacks)
    assert (chat_request.status, chat_request.offered_to_id) == ("offered", here.user_id)
    switched_off = make_listener("off_ola", guidelines, is_online=False)
    assert {p.user_id for p in available_listeners()} == {here.user_id}
    assert switched_off.user_id not in {p.user_id for p in available_listeners()}


@socket_db
async def test_opening_haven_offers_the_waiting_request_live_and_closing_it_passes_it_on(
    alice, guidelines
):
    first = await sync_to_async(make_listener)("first_fen", guidelines, present=False)
    second = await sync_to_async(make_listener)("second_sol", guidelines, present=False)
    chat_request = await sync_to_async(actions.do_request_chat)(
        alice, topics=["grief"], language="en", message="My mum died last spring."
    )
    assert (await sync_to_async(ChatRequest.objects.get)(pk=chat_request.pk)).status == "waiting"
    first_tab = await open_haven(first.user)
    offer = await first_tab.receive_json_from(timeout=5)
    assert offer == {
        "type": "chat_offer", "request_id": chat_request.pk, "topics": ["grief"],
        "message": "My mum died last spring.", "expires_in": 120,
    }  # fmt: skip
    second_tab = await open_haven(second.user)
    assert await second_tab.receive_nothing(timeout=0.3)  # already offered to the first
    await first_tab.disconnect()  # the listener closes their last tab
    assert (await second_tab.receive_json_from(timeout=5))["request_id"] == chat_request.pk
    offered = await sync_to_async(ChatRequest.objects.get)(pk=chat_request.pk)
    assert offered.offered_to_id == second.user_id
    assert offered.passed_listener_ids == [first.user_id]
    await second_tab.disconnect()


# --- Offers: accept, pass, expiry; the queue keeps its order


def test_an_offer_that_runs_out_goes_to_the_next_listener_and_keeps_its_place(
    alice, bob, guidelines, settings, django_capture_on_commit_callbacks
):
    slow = make_listener("slow_sia", guidelines, max_chats=1)
    first = request_chat(alice, django_capture_on_commit_callbacks)
    assert first.offered_to_id == slow.user_id
    later = request_chat(bob, django_capture_on_commit_callbacks)
    assert later.status == "waiting"  # the only listener is busy with an offer
    ready = make_listener("ready_rio", guidelines, max_chats=1)
    past_deadline = timezone.now() + timedelta(seconds=settings.HAVEN_CHAT_OFFER_SECONDS + 1)
    assert actions.expire_offers(now=past_deadline) == 1
    first.refresh_from_db()
    # Back in line, still ahead of the later request, never offered to the slow listener again.
    assert (first.status, first.passed_listener_ids) == ("waiting", [slow.user_id])
    assert actions.queue_position(first) == 1 and actions.queue_position(later) == 2
    with django_capture_on_commit_callbacks(execute=True):
        actions.match_waiting_requests()
    first.refresh_from_db()
    later.refresh_from_db()
    assert first.offered_to_id == ready.user_id
    assert later.offered_to_id == slow.user_id  # free again, and it never had this one


def test_the_periodic_job_and_a_reader_of_the_queue_both_move_expired_offers_on(
    alice, guidelines, settings, django_capture_on_commit_callbacks
):
    assert "haven.chat.tasks.match_chat_requests" in {job.task_path for job in PERIODIC_JOBS}
    from haven.chat.tasks import match_chat_requests

    make_listener("slow_sia", guidelines)
    chat_request = request_chat(alice, django_capture_on_commit_callbacks)
    ready = make_listener("ready_rio", guidelines)
    old = timezone.now() - timedelta(seconds=settings.HAVEN_CHAT_OFFER_SECONDS + 1)
    ChatRequest.objects.filter(pk=chat_request.pk).update(offered_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert match_chat_requests.call() == 1
    chat_request.refresh_from_db()
    assert chat_request.offered_to_id == ready.user_id
    # Now the lazy way: the seeker's waiting page reads the queue.
    ChatRequest.objects.filter(pk=chat_request.pk).update(offered_at=old)
    make_listener("third_tam", guidelines)
    page = client_for(alice).get(f"/talk/requests/{chat_request.pk}/").content.decode()
    assert "Waiting for a listener to join…" in page
    chat_request.refresh_from_db()
    assert len(chat_request.passed_listener_ids) == 2
    assert chat_request.offered_to.pseudonym == "third_tam"


def test_a_listener_passes_by_page_or_api_and_the_request_goes_to_the_next(
    alice, guidelines, django_capture_on_commit_callbacks
):
    one = make_listener("one_oz", guidelines)
    chat_request = request_chat(alice, django_capture_on_commit_callbacks)
    two = make_listener("two_tia", guidelines)
    others = make_listener("other_oli", guidelines)
    assert client_for(two.user).post(f"/listen/requests/{chat_request.pk}/pass/").status_code == 403
    dashboard = client_for(one.user).get("/listen/dashboard/").content.decode()
    assert f'action="/listen/requests/{chat_request.pk}/pass/"' in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(one.user).post(f"/listen/requests/{chat_request.pk}/pass/")
    assert response.status_code == 302
    chat_request.refresh_from_db()
    assert chat_request.offered_to_id in {two.user_id, others.user_id}
    offered_to = User.objects.get(pk=chat_request.offered_to_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client_for(offered_to).post(f"/api/chat/requests/{chat_request.pk}/pass")
    assert response.status_code == 204
    chat_request.refresh_from_db()
    assert chat_request.offered_to_id not in {None, one.user_id, offered_to.pk}
    api = token_client_for(User.objects.get(pk=chat_request.offered_to_id))
    assert [item["id"] for item in api.get("/api/chat/offers").json()] == [chat_request.pk]
    conversation = api.post(f"/api/chat/requests/{chat_request.pk}/take").json()
    assert conversation["status"] == "active" and conversation["role"] == "listener"


def test_nobody_but_the_listener_it_is_offered_to_can_take_an_offered_request(
    alice, guidelines, django_capture_on_commit_callbacks
):
    offered = make_listener("offered_ona", guidelines)
    chat_request = request_chat(alice, django_capture_on_commit_callbacks)
    other = make_listener("other_oli", guidelines)
    response = client_for(other.user).post(f"/listen/requests/{chat_request.pk}/take/")
    assert response.status_code == 403
    response = client_for(offered.user).post(f"/listen/requests/{chat_request.pk}/take/")
    conversation = Conversation.objects.get(request=chat_request)
    assert response["Location"] == f"/chat/{conversation.pk}/"


def test_the_opening_message_is_the_first_message_of_the_chat_for_both(
    alice, listener_lee, django_capture_on_commit_callbacks
):
    opening = "I've been saving my pills and I want to end my life tonight."
    chat_request = accept_offer(
        request_chat(alice, django_capture_on_commit_callbacks, opening),
        django_capture_on_commit_callbacks,
    )
    conversation = chat_request.conversation
    first = conversation.messages.get()
    assert (first.sender_id, first.body) == (alice.pk, opening)
    # Through the safety pipeline like any message: the listener's crisis protocol opens.
    assert "crisis" in first.safety_labels
    conversation.refresh_from_db()
    assert conversation.crisis_flagged
    for user in (alice, listener_lee.user):
        page = client_for(user).get(f"/chat/{conversation.pk}/").content.decode()
        assert "saving my pills" in page
    seeker_page = client_for(alice).get(f"/chat/{conversation.pk}/").content.decode()
    assert "Chat with listener_lee, a listener" in seeker_page


# --- One open request at a time


def test_a_seeker_with_an_open_request_or_chat_cannot_ask_again_by_page_or_api(
    alice, listener_lee, django_capture_on_commit_callbacks
):
    chat_request = request_chat(alice, django_capture_on_commit_callbacks)
    assert chat_request.status == "offered"
    page = client_for(alice).get("/talk/").content.decode()
    assert f'href="/talk/requests/{chat_request.pk}/"' in page and "Find me a listener" not in page
    api = token_client_for(alice)
    assert api.post("/api/chat/requests", {}, content_type="application/json").status_code == 403
    conversation = accept_offer(chat_request, django_capture_on_commit_callbacks).conversation
    page = client_for(alice).get("/talk/").content.decode()
    assert f'href="/chat/{conversation.pk}/"' in page and "crisis line" in page
    assert client_for(alice).post("/talk/", {"language": "en"}).status_code == 200
    assert api.post("/api/chat/requests", {}, content_type="application/json").status_code == 403
    assert ChatRequest.objects.filter(seeker=alice).count() == 1


# --- A listener who goes quiet


def _seeker_wrote_minutes_ago(conversation, seeker, minutes: int) -> None:
    ChatMessage.objects.create(
        conversation=conversation, sender=seeker, client_id=f"old{minutes}", body="Hello?",
        created_at=timezone.now() - timedelta(minutes=minutes),
    )  # fmt: skip


def test_a_quiet_listener_lets_the_seeker_find_someone_else_at_the_front_of_the_line(
    alice, bob, listener_lee, guidelines, settings, django_capture_on_commit_callbacks
):
    settings.HAVEN_CHAT_QUIET_SECONDS = 300
    conversation = accept_offer(
        request_chat(alice, django_capture_on_commit_callbacks, "I feel low"),
        django_capture_on_commit_callbacks,
    ).conversation
    seeker = client_for(alice)
    assert "data-listener-quiet hidden" in seeker.get(f"/chat/{conversation.pk}/").content.decode()
    assert seeker.post(f"/chat/{conversation.pk}/someone-else/").status_code == 403
    waiting_first = request_chat(bob, django_capture_on_commit_callbacks)  # Bob came later
    _seeker_wrote_minutes_ago(conversation, alice, 6)
    page = seeker.get(f"/chat/{conversation.pk}/").content.decode()
    assert "data-listener-quiet " in page and "data-listener-quiet hidden" not in page
    assert (
        client_for(listener_lee.user).post(f"/chat/{conversation.pk}/someone-else/").status_code
        == 403
    )  # only the seeker
    next_listener = make_listener("next_nia", guidelines, present=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = seeker.post(f"/chat/{conversation.pk}/someone-else/")
    again = ChatRequest.objects.filter(seeker=alice).latest("id")
    assert response["Location"] == f"/talk/requests/{again.pk}/"
    conversation.refresh_from_db()
    assert conversation.status == "ended"
    assert again.passed_listener_ids == [listener_lee.user_id]
    assert again.message == "I feel low"
    assert actions.queue_position(again) < actions.queue_position(waiting_first)
    # The next listener gets the request, not the transcript.
    presence.beat(next_listener.user_id, "tab")
    with django_capture_on_commit_callbacks(execute=True):
        actions.match_waiting_requests()
    again.refresh_from_db()
    assert again.offered_to_id == next_listener.user_id
    new_chat = accept_offer(again, django_capture_on_commit_callbacks).conversation
    assert list(new_chat.messages.values_list("body", flat=True)) == ["I feel low"]
    assert client_for(next_listener.user).get(f"/chat/{conversation.pk}/").status_code == 404


def test_finding_someone_else_by_api_needs_a_quiet_listener(
    alice, listener_lee, django_capture_on_commit_callbacks
):
    conversation = accept_offer(
        request_chat(alice, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks
    ).conversation
    api = token_client_for(alice)
    path = f"/api/chat/conversations/{conversation.pk}/find-someone-else"
    assert api.post(path).status_code == 403
    _seeker_wrote_minutes_ago(conversation, alice, 6)
    ChatMessage.objects.create(
        conversation=conversation, sender=listener_lee.user, client_id="l", body="I'm here."
    )
    assert api.post(path).status_code == 403  # the listener answered
    _seeker_wrote_minutes_ago(conversation, alice, 7)  # an older one changes nothing
    ChatMessage.objects.create(
        conversation=conversation, sender=alice, client_id="n", body="Still there?",
        created_at=timezone.now() - timedelta(minutes=5, seconds=1),
    )  # fmt: skip
    response = api.post(path)
    assert response.status_code == 201 and response.json()["status"] == "waiting"


@socket_db
async def test_the_seekers_socket_says_when_the_listener_went_quiet_and_can_find_someone_else(
    alice, listener_lee, settings
):
    settings.HAVEN_CHAT_QUIET_SECONDS = 1

    def chat():
        chat_request = actions.do_request_chat(alice, topics=[], language="en", message="")
        chat_request.refresh_from_db()
        return actions.do_take_request(listener_lee, chat_request)

    conversation = await sync_to_async(chat)()
    seeker, _ = await join(alice, conversation)
    listener, _ = await join(listener_lee.user, conversation)
    await seeker.send_json_to({"type": "find_someone_else"})
    refused = await seeker.receive_json_from(timeout=5)
    assert (refused["type"], refused["code"]) == ("error", "refused")
    await seeker.send_json_to({"type": "message", "body": "Hello?", "client_id": "h"})
    assert (await seeker.receive_json_from(timeout=5))["type"] == "ack"
    assert (await listener.receive_json_from(timeout=5))["type"] == "message"
    # The listener answers in time: no word of quiet.
    await listener.send_json_to({"type": "message", "body": "I'm here.", "client_id": "l"})
    assert (await seeker.receive_json_from(timeout=5))["type"] == "message"
    assert await seeker.receive_nothing(timeout=1.5)
    await seeker.send_json_to(
        {"type": "message", "body": "Are you still with me?", "client_id": "s"}
    )
    assert (await seeker.receive_json_from(timeout=5))["type"] == "ack"
    assert await seeker.receive_json_from(timeout=5) == {"type": "listener_quiet"}
    await seeker.send_json_to({"type": "find_someone_else"})
    requeued = await seeker.receive_json_from(timeout=5)
    assert requeued["type"] == "requeued"
    code, frames = await closed_with(seeker)
    assert code == CLOSE_ENDED and frames == [{"type": "ended", "ended_by": "you"}]
    again = await sync_to_async(ChatRequest.objects.get)(pk=requeued["request_id"])
    assert again.status in ChatRequest.OPEN_STATUSES
    assert again.passed_listener_ids == [listener_lee.user_id]
    await listener.disconnect()


# --- The seeker's waiting room, live


@socket_db
async def test_the_waiting_room_moves_an_unanswered_offer_on_by_itself(alice, guidelines, settings):
    settings.HAVEN_CHAT_OFFER_SECONDS = 1
    never = await sync_to_async(make_listener)("never_nel", guidelines)
    chat_request = await sync_to_async(actions.do_request_chat)(
        alice, topics=[], language="en", message=""
    )
    answers = await sync_to_async(make_listener)("answers_ana", guidelines)
    room = WebsocketCommunicator(application, f"/ws/chat/requests/{chat_request.pk}/")
    room.scope["user"] = alice
    assert (await room.connect())[0]
    assert (await room.receive_json_from(timeout=5))["status"] == "offered"
    # No worker runs here: the room's own timer reads the queue when the offer runs out.
    statuses = [await room.receive_json_from(timeout=5) for _ in range(2)]
    assert all(status["status"] == "offered" for status in statuses)
    chat_request = await sync_to_async(ChatRequest.objects.get)(pk=chat_request.pk)
    assert chat_request.offered_to_id == answers.user_id
    assert chat_request.passed_listener_ids == [never.user_id]
    await sync_to_async(actions.do_take_request)(answers, chat_request)
    frames = [await room.receive_json_from(timeout=5) for _ in range(3)]
    assert {"type": "joined", "listener": "answers_ana"}.items() <= next(
        f for f in frames if f["type"] == "joined"
    ).items()
    await room.disconnect()
