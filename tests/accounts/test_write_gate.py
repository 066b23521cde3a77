"""One gate for every write, whatever the way in: the guidelines in force, mutes, suspensions,
bans and rate limits are checked once, in check_can_write(actor, action), and hold the same for
a page, the API with a session, the API with a token, and a WebSocket."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from haven.accounts.actions import do_create_api_token, do_publish_guidelines
from haven.accounts.models import MemberPreferences, TrustLevel, User
from haven.chat.actions import do_request_chat, do_take_request
from haven.chat.models import ChatMessage
from haven.direct_messages.actions import do_accept_request, do_request_direct
from haven.forums.actions import do_create_reply, do_create_thread
from haven.forums.models import Post
from haven.moderation.models import Sanction
from haven.rooms.actions import do_create_room, do_join_room
from haven.routing import websocket_urlpatterns
from haven.updates.actions import do_create_update
from haven.updates.models import Visibility
from tests.chat.conftest import accept_offer, make_listener
from tests.conftest import client_for, pass_second_factor

socket_app = URLRouter(websocket_urlpatterns)

RULES = ["guidelines", "mute", "suspension", "ban", "rate_limit"]
CODES = {
    "guidelines": "guidelines_not_accepted",
    "mute": "muted",
    "suspension": "suspended",
    "ban": "banned",
    "rate_limit": "rate_limited",
}
# Each way in with the writes it offers: a socket carries chat messages.
WAYS_AND_WRITES = [
    ("page", "reply"),
    ("page", "edit"),
    ("page", "chat_message"),
    ("api_session", "reply"),
    ("api_session", "edit"),
    ("api_session", "chat_message"),
    ("api_token", "reply"),
    ("api_token", "edit"),
    ("api_token", "chat_message"),
    ("socket", "chat_message"),
]


@pytest.fixture
def scene(
    members_of_anxiety, alice, bob, carol, moderator_kim, guidelines,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Alice wrote a thread and a reply there, is talking with listener Lee, sits in a support
    room, and is in a direct conversation with bob; her trust level lets her ask for more."""
    thread = do_create_thread(
        members_of_anxiety, title="Rough week", body="It has been a long week.", acting_user=bob
    )
    reply = do_create_reply(thread, body="Same here, hang in there.", acting_user=alice)
    make_listener("listener_lee", guidelines, topics=["anxiety"])
    with django_capture_on_commit_callbacks(execute=True):
        chat_request = do_request_chat(
            alice, topics=["anxiety"], language="en", message="I can't sleep."
        )
    chat_request = accept_offer(chat_request, django_capture_on_commit_callbacks)
    update = do_create_update(
        body="Small win: I went for a walk.", visibility=Visibility.PUBLIC, acting_user=bob
    )
    room = do_create_room(moderator_kim, title="Evening calm", topic="Winding down together.")
    do_join_room(room, alice)
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(
        trust_level=TrustLevel.MEMBER, date_joined=timezone.now() - timedelta(days=60)
    )
    alice.refresh_from_db()
    bob.refresh_from_db()
    MemberPreferences.objects.create(
        user=carol, direct_messages_from=MemberPreferences.DirectMessagesFrom.LEVEL
    )
    direct, _ = do_request_direct(bob, alice, body="Hi, your post helped.", client_id="d1")
    do_accept_request(direct)
    return {
        "thread": thread,
        "reply": reply,
        "conversation": chat_request.conversation,
        "update": update,
        "room": room,
        "direct": direct,
        "carol": carol,
    }


@pytest.fixture
def tight_limits(settings):
    one = {"member": "1/h", "new_member": "1/h", "ip": "100/h"}
    settings.HAVEN_RATE_LIMITS = {
        group: dict(one) for group, rates in settings.HAVEN_RATE_LIMITS.items() if "member" in rates
    } | {"signup": {"ip": "100/h"}, "quick_start": {"ip": "100/h"}}


def apply_rule(rule: str, member) -> None:
    """A rule that comes into force while the member is signed in (a page session, a token or
    an open socket that outlived it must not slip past)."""
    if rule == "guidelines":
        do_publish_guidelines("# Be kind\n\nNew: no advice about medication doses.")
        return
    kind = {"mute": Sanction.Kind.MUTE, "suspension": Sanction.Kind.SUSPEND}.get(
        rule, Sanction.Kind.BAN
    )
    Sanction.objects.create(
        member=member, kind=kind, reason="Harsh words in a thread", created_by=None,
        until=timezone.now() + timedelta(days=1),
    )  # fmt: skip


def http_client(way: str, member) -> Client:
    if way == "api_token":
        return Client(headers={"Authorization": f"Bearer {do_create_api_token(member)}"})
    return client_for(member)


def http_write(way: str, write: str, client: Client, scene: dict, n: int):
    thread, reply, chat = scene["thread"], scene["reply"], scene["conversation"]
    body = f"Thinking of you, take care ({n})."
    if way == "page":
        path, data = {
            "reply": (f"/c/anxiety/t/{thread.public_id}/reply/", {"body": body}),
            "edit": (f"/posts/{reply.public_id}/edit/", {"body": body}),
            "chat_message": (f"/chat/{chat.pk}/send/", {"body": body, "client_id": f"p{n}"}),
        }[write]
        return client.post(path, data)
    method, path, data = {
        "reply": ("post", f"/api/threads/{thread.public_id}/replies", {"body": body}),
        "edit": ("patch", f"/api/posts/{reply.public_id}", {"body": body}),
        "chat_message": (
            "post",
            f"/api/chat/conversations/{chat.pk}/messages",
            {"body": body, "client_id": f"a{n}"},
        ),
    }[write]
    return getattr(client, method)(path, data, content_type="application/json")


def written(write: str, scene: dict, n: int) -> bool:
    body = f"Thinking of you, take care ({n})."
    if write == "edit":
        return Post.objects.get(pk=scene["reply"].pk).body == body
    if write == "reply":
        return Post.objects.filter(thread=scene["thread"], body=body).exists()
    return ChatMessage.objects.filter(conversation=scene["conversation"], body=body).exists()


# What a write that goes through answers: pages go back to where it shows, the API answers 201
# for what it creates and 200 for an edit.
FIRST_WRITE_STATUS = {
    ("page", "reply"): 302,
    ("page", "edit"): 302,
    ("page", "chat_message"): 302,
} | {
    (way, write): 200 if write == "edit" else 201
    for way in ("api_session", "api_token")
    for write in ("reply", "edit", "chat_message")
}


def assert_http_refused(way: str, rule: str, response) -> None:
    if way == "page" and rule == "guidelines":
        # Pages send the member to read them (a redirect, not an error page).
        assert response.status_code == 302
        assert response["Location"].startswith("/guidelines/")
    elif way == "page":
        assert response.status_code == (429 if rule == "rate_limit" else 403)
        if rule != "rate_limit":
            assert "Harsh words in a thread" in response.content.decode()
    else:
        assert response.status_code == (429 if rule == "rate_limit" else 403), response.content
        assert response.json()["code"] == CODES[rule]
        assert response.json()["detail"]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize(
    ("way", "write"), [pair for pair in WAYS_AND_WRITES if pair[0] != "socket"]
)
def test_each_rule_refuses_each_write_through_pages_and_the_api(
    way, write, rule, scene, alice, tight_limits
):
    client = http_client(way, alice)
    if rule == "rate_limit":
        first = http_write(way, write, client, scene, 0)
        assert first.status_code == FIRST_WRITE_STATUS[way, write], first.content
        assert written(write, scene, 0)
    else:
        apply_rule(rule, alice)
    response = http_write(way, write, client, scene, 1)
    assert_http_refused(way, rule, response)
    assert not written(write, scene, 1)


async def open_chat(member, conversation, session=None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(socket_app, f"/ws/chat/{conversation.pk}/")
    communicator.scope["user"] = member
    if session is not None:
        communicator.scope["session"] = session
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "history"
    return communicator


async def say(communicator, n: int) -> dict:
    await communicator.send_json_to(
        {"type": "message", "body": f"Thinking of you, take care ({n}).", "client_id": f"s{n}"}
    )
    return await communicator.receive_json_from(timeout=5)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rule", RULES)
async def test_each_rule_refuses_a_chat_message_on_an_open_socket(rule, scene, alice, tight_limits):
    socket = await open_chat(alice, scene["conversation"])
    if rule == "rate_limit":
        assert (await say(socket, 0))["type"] == "ack"
    else:
        await sync_to_async(apply_rule)(rule, alice)
    frame = await say(socket, 1)
    assert frame["type"] == "error" and frame["code"] == CODES[rule], frame
    assert frame["client_id"] == "s1" and frame["detail"]
    assert not await sync_to_async(written)("chat_message", scene, 1)
    await socket.disconnect()


# --- The two attacks of the finding


def test_a_token_client_with_stale_guidelines_can_no_longer_send_chat_messages(scene, alice):
    app = http_client("api_token", alice)
    do_publish_guidelines("# Be kind\n\nChanged.")
    assert app.get("/api/feed").status_code == 403
    response = http_write("api_token", "chat_message", app, scene, 1)
    assert response.status_code == 403
    assert response.json()["code"] == "guidelines_not_accepted"
    assert not written("chat_message", scene, 1)


def test_a_muted_member_can_no_longer_replace_a_posts_text(scene, alice):
    apply_rule("mute", alice)
    page = http_write("page", "edit", client_for(alice), scene, 1)
    assert page.status_code == 403
    api = http_write("api_session", "edit", client_for(alice), scene, 2)
    assert api.status_code == 403 and api.json()["code"] == "muted"
    assert Post.objects.get(pk=scene["reply"].pk).body == "Same here, hang in there."


def test_a_muted_member_still_reaches_help_reports_and_appeals(scene, alice):
    """A mute pauses words others read; it never stops asking for help or contesting."""
    apply_rule("mute", alice)
    app = http_client("api_token", alice)
    report = app.post(
        "/api/reports",
        {
            "target_kind": "post",
            "target_id": scene["thread"].first_post.public_id,
            "reason": "spam",
        },
        content_type="application/json",
    )
    assert report.status_code == 201
    assert app.get("/api/crisis-resources").status_code == 200
    page = client_for(alice).get("/help/")
    assert page.status_code == 200


# --- Every write of the API, by its schema


def api_write_operations(client: Client) -> set[tuple[str, str]]:
    schema = client.get("/api/openapi.json").json()
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method.upper() in ("POST", "PUT", "PATCH", "DELETE")
    }


# Reading and accepting the guidelines, signing in, logging out, leaving: nobody must agree to
# rules to read them or to go.
GUIDELINES_EXEMPT = {
    ("POST", "/api/auth/signup"),
    ("POST", "/api/auth/token"),
    ("DELETE", "/api/auth/token"),
    ("POST", "/api/guidelines/accept"),
    ("POST", "/api/me/delete"),
    # Signing an app out is a safety action, open before accepting anything.
    ("DELETE", "/api/me/tokens/{token_id}"),
}


def fill(path: str) -> str:
    """Any ids do: the auth answers before the endpoint looks anything up."""
    for name in ("slug", "pseudonym", "step"):
        path = path.replace("{" + name + "}", "x")
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + "999999" + path[end + 1 :]
    return path


def test_a_token_client_with_stale_guidelines_is_refused_on_every_write_but_the_exempt(alice):
    app = http_client("api_token", alice)
    do_publish_guidelines("# Be kind\n\nChanged.")
    operations = api_write_operations(app)
    assert operations >= GUIDELINES_EXEMPT
    assert len(operations) > 40
    for method, path in sorted(operations - GUIDELINES_EXEMPT):
        response = getattr(app, method.lower())(fill(path), {}, content_type="application/json")
        assert response.status_code == 403, (method, path, response.status_code)
        assert response.json()["code"] == "guidelines_not_accepted", (method, path)
    # The exempt pass the gate and are judged on what was sent: an empty body, an unknown id.
    judged = {
        ("POST", "/api/auth/signup"): (422, ["pseudonym", "password", "accept_guidelines"]),
        ("POST", "/api/auth/token"): (422, ["pseudonym", "password"]),
        ("POST", "/api/guidelines/accept"): (422, ["version"]),
        ("POST", "/api/me/delete"): (422, ["content"]),
        ("DELETE", "/api/me/tokens/{token_id}"): (404, []),
    }
    assert set(judged) == GUIDELINES_EXEMPT - {("DELETE", "/api/auth/token")}
    for (method, path), (status, missing) in judged.items():
        response = getattr(app, method.lower())(fill(path), {}, content_type="application/json")
        assert response.status_code == status, (method, path, response.content)
        assert [e["field"] for e in response.json().get("errors", [])] == missing, path
    # Reads are refused too, but the guidelines themselves and the way out stay open.
    assert app.get("/api/feed").json()["code"] == "guidelines_not_accepted"
    assert app.get("/api/guidelines").json()["accepted"] is False
    assert app.get("/api/me/export").status_code == 200
    assert app.delete("/api/auth/token").status_code == 204


# Every write of the API that puts words others read, with a valid body.
def text_writes(scene: dict, alice) -> dict[tuple[str, str], tuple[str, dict]]:
    thread, reply, chat = scene["thread"], scene["reply"], scene["conversation"]
    words = "Sending you strength today."
    return {
        ("POST", "/api/communities/{slug}/threads"): (
            "/api/communities/anxiety/threads",
            {"title": "A new week", "body": words},
        ),
        ("POST", "/api/threads/{thread_id}/replies"): (
            f"/api/threads/{thread.public_id}/replies",
            {"body": words},
        ),
        ("PATCH", "/api/posts/{post_id}"): (f"/api/posts/{reply.public_id}", {"body": words}),
        ("POST", "/api/updates"): ("/api/updates", {"body": words, "mood": "okay"}),
        ("POST", "/api/updates/{update_id}/replies"): (
            f"/api/updates/{scene['update'].public_id}/replies",
            {"body": words},
        ),
        ("PATCH", "/api/me"): ("/api/me", {"bio": words}),
        ("PUT", "/api/matching/peer-profile"): (
            "/api/matching/peer-profile",
            {"experience": words},
        ),
        ("POST", "/api/chat/requests"): (
            "/api/chat/requests",
            {"topics": ["anxiety"], "language": "en", "message": words},
        ),
        ("POST", "/api/chat/conversations/{conversation_id}/messages"): (
            f"/api/chat/conversations/{chat.pk}/messages",
            {"body": words, "client_id": "m1"},
        ),
        # A new request carrying the seeker's opening words to another listener.
        ("POST", "/api/chat/conversations/{conversation_id}/find-someone-else"): (
            f"/api/chat/conversations/{chat.pk}/find-someone-else",
            {},
        ),
        ("POST", "/api/rooms/{room_id}/messages"): (
            f"/api/rooms/{scene['room'].pk}/messages",
            {"body": words, "client_id": "r1"},
        ),
        # A room's and a circle's title and topic (the mute comes before the host's training).
        ("POST", "/api/rooms"): ("/api/rooms", {"title": "Mine", "topic": words}),
        ("POST", "/api/circles"): (
            "/api/circles",
            {"title": "Mine", "topic": words, "starts_at": "2099-01-01T10:00:00Z"},
        ),
        ("POST", "/api/direct/requests"): (
            "/api/direct/requests",
            {"pseudonym": scene["carol"].pseudonym, "body": words, "client_id": "q1"},
        ),
        ("POST", "/api/direct/threads/{thread_id}/messages"): (
            f"/api/direct/threads/{scene['direct'].pk}/messages",
            {"body": words, "client_id": "m2"},
        ),
    }


# Writes that are not words for others: a mute does not pause them (deleting one's own words,
# private tools, care with one's therapist, answers to a moderator's check-in, reports, appeals,
# toggles, blocks, hosts' and moderators' work, the private sentence for matching a room).
NOT_TEXT_FOR_OTHERS = {
    "/api/auth/", "/api/guidelines/accept", "/api/me/delete", "/join", "/leave",
    "DELETE", "/reactions", "/moderation", "/subscription", "/follow", "/notifications/read",
    "/api/reports", "/api/appeals", "/api/chat/requests/", "/end", "/feedback",
    "/api/chat/listener", "/api/journal", "/api/checkins", "/favourite", "/api/safety-plan/",
    "/api/matching/draft", "/api/matching/people", "/api/care/", "/api/check-ins/",
    "/api/me/preferences", "/api/members/{pseudonym}/block", "/report", "/accept", "/decline",
    "/block", "/mute", "/remove", "/slow-mode", "/pin", "/signup", "/cancel",
    "/api/room-match", "/limits",
}  # fmt: skip


def test_a_muted_member_is_refused_on_every_api_write_of_words_for_others(scene, alice):
    app = http_client("api_token", alice)
    operations = api_write_operations(app)
    writes = text_writes(scene, alice)
    unclassified = {
        (method, path)
        for method, path in operations - set(writes)
        if not any(part in (method, path) or part in path for part in NOT_TEXT_FOR_OTHERS)
    }
    assert not unclassified, f"Say whether a mute pauses these: {sorted(unclassified)}"
    apply_rule("mute", alice)
    for (method, schema_path), (path, body) in writes.items():
        assert (method, schema_path) in operations
        response = getattr(app, method.lower())(path, body, content_type="application/json")
        assert response.status_code == 403, (method, path, response.content)
        assert response.json().get("code") == "muted", (method, path, response.json())
    assert "Harsh words in a thread" in response.json()["detail"]


# --- The second factor, on a socket too


@pytest.mark.django_db(transaction=True)
async def test_a_socket_asks_staff_for_the_second_factor_their_session_has_not_passed(
    moderator_kim, guidelines
):
    listener = await sync_to_async(make_listener)("listener_lee", guidelines, topics=["anxiety"])
    chat_request = await sync_to_async(do_request_chat)(
        moderator_kim, topics=["anxiety"], language="en", message="A hard day."
    )
    await sync_to_async(chat_request.refresh_from_db)()
    conversation = await sync_to_async(do_take_request)(listener, chat_request)
    unverified = await open_chat(moderator_kim, conversation, session={})
    frame = await say(unverified, 1)
    assert frame["type"] == "error" and frame["code"] == "two_factor_required"
    await unverified.disconnect()

    client = Client()
    await sync_to_async(client.force_login)(
        moderator_kim, backend="django.contrib.auth.backends.ModelBackend"
    )
    await sync_to_async(pass_second_factor)(client, moderator_kim)
    session = await sync_to_async(lambda: client.session)()
    verified = await open_chat(moderator_kim, conversation, session=session)
    assert (await say(verified, 2))["type"] == "ack"
    await verified.disconnect()
