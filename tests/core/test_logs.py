"""Log lines: a request id on each (pages, the API, sockets, jobs), JSON one object a line, and
no member's words, query string or request body in any of them."""

import asyncio
import io
import json
import logging
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
import websockets
from asgiref.testing import ApplicationCommunicator
from channels.generic.websocket import AsyncWebsocketConsumer, WebsocketConsumer
from channels.testing import WebsocketCommunicator
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.utils.timezone import now

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.accounts.guidelines import current_guidelines
from haven.accounts.models import Role, TrustLevel, User
from haven.accounts.tokens import do_create_api_token
from haven.care.intake.actions import do_choose_therapist
from haven.chat.models import Conversation, ListenerProfile
from haven.communities.actions import do_join_community, do_save_community
from haven.core.logs import (
    JsonFormatter,
    RequestIdFilter,
    RequestLogMiddleware,
    SocketLogMiddleware,
    TextFormatter,
    request_id_from,
)
from haven.direct_messages.actions import do_accept_request, do_request_direct
from haven.updates.models import Follow, FollowStatus
from tests.care.conftest import make_therapist
from tests.conftest import client_for
from tests.core.test_error_pages import STOPPED, database_stopped, quiet
from tests.support.devservers import (
    asgi_servers,
    haven,
    separate_database,
    server_environment,
    signed_in_session,
)

NEW_ID = re.compile(r"[0-9a-f]{32}")
SECRET = "PRIVATE-MARKER-unit"


@contextmanager
def captured_log(formatter: logging.Formatter | None = None) -> Iterator[io.StringIO]:
    """Every record that reaches the root logger, through the configured filter and the JSON
    formatter, as the console handler writes them; everything at DEBUG, Django's 4xx lines too
    (as HAVEN_LOG_LEVEL=DEBUG HAVEN_REQUEST_LOG_LEVEL=DEBUG)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter or JsonFormatter())
    root, django_request = logging.getLogger(), logging.getLogger("django.request")
    levels = root.level, django_request.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    django_request.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        django_request.setLevel(levels[1])


def lines_of(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


# --- The request id


@pytest.mark.django_db
def test_every_answer_carries_a_new_request_id():
    response = Client().get("/")
    assert NEW_ID.fullmatch(response["X-Request-ID"])
    assert Client().get("/")["X-Request-ID"] != response["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "offered", ["0123456789abcdef0123456789abcdef", "a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d"]
)
def test_a_well_formed_request_id_from_the_proxy_is_kept(offered):
    assert Client().get("/", headers={"X-Request-ID": offered})["X-Request-ID"] == offered


@pytest.mark.parametrize(
    "offered",
    ["abcdefgh12\n", "abc\ndefgh12", "x" * 200, "short", "has spaces 123", 'quote"12345', ""],
)
def test_a_malformed_request_id_is_replaced(offered):
    assert NEW_ID.fullmatch(request_id_from(offered))


@pytest.mark.django_db
def test_a_malformed_request_id_is_not_echoed():
    response = Client().get("/", headers={"X-Request-ID": "y" * 200})
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_lines_logged_while_a_request_is_answered_carry_its_id(rf, settings):
    settings.HAVEN_ACCESS_LOG = False

    def view(request):
        logging.getLogger("haven.tests").warning("Answering")
        return HttpResponse()

    with captured_log() as stream:
        RequestLogMiddleware(view)(rf.get("/", headers={"X-Request-ID": "from-nginx-0001"}))
        logging.getLogger("haven.tests").warning("After")
    answering, after = lines_of(stream)
    assert answering["request_id"] == "from-nginx-0001"
    assert after["request_id"] == "-"


@pytest.mark.django_db
def test_django_s_line_for_a_404_carries_the_request_id_and_no_query_or_body(settings):
    settings.HAVEN_ACCESS_LOG = True
    with captured_log() as stream:
        response = Client().post(
            f"/no-such-page/?q={SECRET}-query",
            {"words": f"{SECRET}-body"},
            headers={"X-Request-ID": "request-404-0001", "Cookie": f"sessionid={SECRET}"},
        )
    assert response.status_code == 404
    assert SECRET not in stream.getvalue()
    lines = lines_of(stream)
    assert {line["request_id"] for line in lines} == {"request-404-0001"}
    [access] = [line for line in lines if line["logger"] == "haven.access"]
    assert access["method"] == "POST"
    assert access["path"] == "/no-such-page/"
    assert access["status"] == 404
    assert isinstance(access["duration_ms"], float)
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["message"] == "Not Found: /no-such-page/"
    assert "request" not in not_found  # the request object, with its POST data


@pytest.mark.django_db
def test_a_refused_form_s_lines_hold_neither_its_words_nor_the_cookie(alice, settings):
    settings.HAVEN_ACCESS_LOG = True
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    with captured_log() as stream:
        response = client.post("/journal/new/", {"body": f"{SECRET}-journal"})
    assert response.status_code == 403  # no CSRF token: Django logs the refusal, request attached
    assert SECRET not in stream.getvalue()
    assert client.cookies["sessionid"].value not in stream.getvalue()
    assert any(line["logger"] == "django.security.csrf" for line in lines_of(stream))


@pytest.mark.django_db
def test_an_error_page_s_lines_hold_no_query_string(alice, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("the index is gone")

    monkeypatch.setattr("haven.matching.views.search", broken)
    client = Client(raise_request_exception=False)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    with captured_log() as stream:
        response = client.get("/search/", {"q": f"{SECRET}-search"})
    assert response.status_code == 500
    assert SECRET not in stream.getvalue()
    [error] = [line for line in lines_of(stream) if line["logger"] == "django.request"]
    assert error["message"] == "Internal Server Error: /search/"
    assert error["level"] == "ERROR"
    assert "RuntimeError: the index is gone" in error["exc_info"]
    assert error["request_id"] == response["X-Request-ID"]


def test_the_access_line_names_the_member_by_number_without_looking_them_up(alice, settings):
    """Only a member the request already loaded: loading them for the log would touch the
    database, which may be why the answer is a 503."""
    settings.HAVEN_ACCESS_LOG = True
    client = quiet(client_for(alice))
    with captured_log() as stream:
        assert client.get("/journal/").status_code == 200
        with database_stopped(STOPPED[0]):
            assert client.get("/home/").status_code == 503
    journal, down = (line for line in lines_of(stream) if line["logger"] == "haven.access")
    assert (journal["path"], journal["user_id"]) == ("/journal/", alice.pk)
    assert (down["path"], down["status"], down["user_id"]) == ("/home/", 503, None)
    assert "alice" not in stream.getvalue()


def test_another_member_s_pseudonym_in_a_path_is_not_logged(alice, bob, settings):
    """Beside alice's id, "/members/bob/block/" would tell a log reader whom she blocked; the
    page, the API and a name that does not exist all log the route with a placeholder."""
    settings.HAVEN_ACCESS_LOG = True
    client = quiet(client_for(alice))
    with captured_log() as stream:
        assert client.get("/members/bob/").status_code == 200
        assert client.post("/members/bob/block/").status_code in (200, 302)
        client.get("/api/members/bob/updates")
        client.get("/members/nobody-of-that-name/")
    paths = [line["path"] for line in lines_of(stream) if line["logger"] == "haven.access"]
    assert paths == [
        "/members/<pseudonym>/",
        "/members/<pseudonym>/block/",
        "/api/members/<pseudonym>/updates",
        "/members/<pseudonym>/",
    ]
    assert "bob" not in stream.getvalue()
    assert "nobody-of-that-name" not in stream.getvalue()


# --- The formats


class Revealing:
    """An object whose repr holds private words, as a request's repr may hold its form."""

    def __repr__(self) -> str:
        return f"<Revealing {SECRET}>"

    __str__ = __repr__


def test_the_json_format_is_one_object_a_line_with_plain_fields_only():
    with captured_log() as stream:
        logging.getLogger("haven.tests").warning(
            "Two\nlines %s", "here", extra={"request": Revealing(), "count": 3, "kind": "a"}
        )
        try:
            raise ValueError("broken")
        except ValueError:
            logging.getLogger("haven.tests").exception("Failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, failed = (json.loads(line) for line in lines)
    assert list(first)[:5] == ["time", "level", "logger", "request_id", "message"]
    assert first["level"] == "WARNING"
    assert first["logger"] == "haven.tests"
    assert first["message"] == "Two\nlines here"
    assert first["request_id"] == "-"
    assert (first["count"], first["kind"]) == (3, "a")
    assert "request" not in first
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", first["time"])
    assert "ValueError: broken" in failed["exc_info"]
    assert SECRET not in stream.getvalue()


@pytest.mark.parametrize("name", ["django.db.backends", "uvicorn.error"])
def test_debug_lines_that_would_hold_members_words_are_dropped_at_any_level(name):
    """Django's SQL log (with DEBUG on) holds each query's parameters; at DEBUG, uvicorn's
    WebSocket protocol logs every frame and handshake header."""
    logger = logging.getLogger(name)
    frame = logger.makeRecord(name, logging.DEBUG, __file__, 1, "< TEXT %r", (SECRET,), None)
    assert not logger.filter(frame)
    warning = logger.makeRecord(name, logging.WARNING, __file__, 1, "Slow", (), None)
    assert logger.filter(warning)


def test_the_text_format_shows_the_request_id():
    with captured_log(TextFormatter()) as stream:
        logging.getLogger("haven.tests").warning("Hello")
    assert re.fullmatch(r"\S+ \S+ WARNING haven\.tests \[-\] Hello\n", stream.getvalue())


def settings_in(**environment: str) -> tuple[str, str]:
    """HAVEN_LOG_FORMAT and HAVEN_ACCESS_LOG as a fresh process reads them."""
    code = "from haven import settings as s; print(s.HAVEN_LOG_FORMAT, s.HAVEN_ACCESS_LOG)"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HAVEN_PRODUCTION", "HAVEN_LOG_FORMAT", "HAVEN_ACCESS_LOG")
    }
    env |= {"DJANGO_SECRET_KEY": "k" * 50, "HAVEN_ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env | environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    log_format, access_log = result.stdout.split()
    return log_format, access_log


def test_production_logs_json_with_the_access_log_and_the_demo_text_without():
    assert settings_in(HAVEN_PRODUCTION="true") == ("json", "True")
    assert settings_in() == ("text", "False")
    assert settings_in(HAVEN_PRODUCTION="true", HAVEN_LOG_FORMAT="text") == ("text", "True")
    assert settings_in(HAVEN_LOG_FORMAT="json", HAVEN_ACCESS_LOG="on") == ("json", "True")


# --- Sockets


class LoggingConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        logging.getLogger("haven.tests").warning("Connected")
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        logging.getLogger("haven.tests").warning("Received")
        await self.send(text_data="ok")


class SyncLoggingConsumer(WebsocketConsumer):
    """Sync consumers run each handler through sync_to_async, in another thread."""

    def connect(self):
        logging.getLogger("haven.tests").warning("Connected")
        self.accept()

    def receive(self, text_data=None, bytes_data=None):
        logging.getLogger("haven.tests").warning("Received")
        self.send(text_data="ok")


# Channels closes old database connections around each handler, as the real consumers need.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("consumer", [LoggingConsumer, SyncLoggingConsumer])
async def test_a_socket_s_lines_carry_its_request_id_from_connect_to_close(consumer, settings):
    settings.HAVEN_ACCESS_LOG = True
    with captured_log() as stream:
        communicator = WebsocketCommunicator(
            SocketLogMiddleware(consumer.as_asgi()),
            "/ws/chat/7/?after=1",
            headers=[(b"x-request-id", b"socket-0000001")],
        )
        connected, _ = await communicator.connect()
        assert connected
        await communicator.send_to(text_data=SECRET)
        assert await communicator.receive_from() == "ok"
        await communicator.disconnect()
    # (On Redis the channel layer's client may add lines of its own.)
    lines = [line for line in lines_of(stream) if line["logger"] in ("haven.tests", "haven.access")]
    assert {line["request_id"] for line in lines} == {"socket-0000001"}
    assert [line["message"] for line in lines] == [
        "Connected",
        "WebSocket /ws/chat/7/ accepted",
        "Received",
        "WebSocket /ws/chat/7/ closed 1000",
    ]
    assert lines[1]["socket"] == "chat"
    assert lines[3]["duration_ms"] >= 0
    assert SECRET not in stream.getvalue()
    assert "after=" not in stream.getvalue()


async def test_each_socket_gets_its_own_id_sent_back_on_its_handshake():
    async def app(scope, receive, send):
        await receive()
        await send({"type": "websocket.accept"})
        await receive()

    sent_back = []
    for _ in range(2):
        scope = {"type": "websocket", "path": "/ws/notifications/", "headers": []}
        communicator = ApplicationCommunicator(SocketLogMiddleware(app), scope)
        await communicator.send_input({"type": "websocket.connect"})
        accept = await communicator.receive_output()
        sent_back.append(dict(accept["headers"])[b"x-request-id"].decode())
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait()
    assert all(NEW_ID.fullmatch(request_id) for request_id in sent_back)
    assert sent_back[0] != sent_back[1]


# --- A whole run: real server and worker processes, every kind of private text, then the log

SEEKER, PEER, LISTENER = "logs_seeker", "logs_peer", "logs_listener"
CRISIS_WORDS = "I've been saving my pills. I want to end it tonight."
JOURNAL_REQUEST, SOCKET_REQUEST = "journal-entry-0001", "chat-socket-0001"
SEED_FULL_RUN = "from tests.core.test_logs import seed_full_run; seed_full_run()"


def seed_full_run() -> None:
    """Run in the servers' environment (`haven shell`): the tables, then a seeker in a chat
    with a listener, in a direct conversation with a peer, in care with a therapist, in a
    community. Prints the ids, sessions and token the run needs as one JSON line."""
    call_command("migrate", interactive=False, verbosity=0)  # in this process: a start saved
    guidelines = current_guidelines() or do_publish_guidelines("Be kind.")

    def member(pseudonym: str, role: str = Role.MEMBER) -> User:
        user = do_create_user(pseudonym, None, guidelines_version=guidelines.version, role=role)
        settled = {"trust_level": TrustLevel.MEMBER, "date_joined": now() - timedelta(days=30)}
        User.objects.filter(pk=user.pk).update(**settled)  # may ask for a direct conversation
        return User.objects.get(pk=user.pk)

    seeker, peer, listener = member(SEEKER), member(PEER), member(LISTENER, role="listener")
    ListenerProfile.objects.create(
        user=listener, status=ListenerProfile.Status.LISTENER, max_chats=1
    )
    conversation = Conversation.objects.create(seeker=seeker, listener=listener)
    community = do_save_community(slug="evenings", name="Evenings", description="Long evenings.")
    do_join_community(seeker, community)
    Follow.objects.create(follower=peer, followed=seeker, status=FollowStatus.ACCEPTED)
    direct, _ = do_request_direct(seeker, peer, body="Hello, could we talk?", client_id="first")
    do_accept_request(direct)
    relationship = do_choose_therapist(seeker, make_therapist("logs_therapist", guidelines))
    print(
        json.dumps(
            {
                "conversation": conversation.pk,
                "direct_thread": direct.pk,
                "relationship": relationship.pk,
                "community": community.slug,
                "seeker_session": signed_in_session(seeker),
                "listener_session": signed_in_session(listener),
                "seeker_token": do_create_api_token(seeker),
            }
        )
    )


async def next_event(socket, kind: str) -> dict:
    while True:
        event = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if event["type"] == kind:
            return event


async def chat_live(port: int, seeded: dict, words: dict[str, str]) -> None:
    """The seeker writes to the listener over the chat socket: an ordinary message, then one
    with crisis words (the safety pipeline, the listener's crisis protocol)."""
    url = f"ws://127.0.0.1:{port}/ws/chat/{seeded['conversation']}/"
    origin = f"http://127.0.0.1:{port}"
    seeker = await websockets.connect(
        url,
        additional_headers={
            "Cookie": f"sessionid={seeded['seeker_session']}",
            "Origin": origin,
            "X-Request-ID": SOCKET_REQUEST,
        },
    )
    assert seeker.response.headers["X-Request-ID"] == SOCKET_REQUEST
    listener = await websockets.connect(
        url,
        additional_headers={"Cookie": f"sessionid={seeded['listener_session']}", "Origin": origin},
    )
    await next_event(seeker, "history")
    await next_event(listener, "history")
    for client_id, body in (("c1", words["chat"]), ("c2", f"{CRISIS_WORDS} {words['crisis']}")):
        await seeker.send(json.dumps({"type": "message", "body": body, "client_id": client_id}))
        await next_event(seeker, "ack")
        assert (await next_event(listener, "message"))["body"] == body
    await seeker.close()
    await listener.close()


async def write_everywhere(port: int, seeded: dict, words: dict[str, str]) -> None:
    base = f"http://127.0.0.1:{port}"
    token = {"Authorization": f"Bearer {seeded['seeker_token']}"}
    async with (
        httpx.AsyncClient(base_url=base, cookies={"sessionid": seeded["seeker_session"]}) as page,
        httpx.AsyncClient(base_url=base, headers=token) as api,
    ):
        # Pages: a journal entry through its form (its suggestions are a job), a search.
        form = await page.get("/journal/new/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        entry = {"csrfmiddlewaretoken": csrf, "title": "Tonight", "body": words["journal"]}
        saved = await page.post(
            "/journal/new/", data=entry, headers={"X-Request-ID": JOURNAL_REQUEST}
        )
        assert saved.status_code == 302, saved.text
        assert (await page.get("/search/", params={"q": words["search"]})).status_code == 200
        # Refusals Django logs with the request attached: no CSRF token, a missing page.
        refused = await page.post("/journal/new/", data={"body": words["refused"]})
        assert refused.status_code == 403
        missing = await page.post(f"/nowhere/?q={words['query']}", data={"w": words["lost"]})
        assert missing.status_code == 404

        # The API: every private kind of text, a post with crisis words, a search, a bad login.
        writes = [
            ("POST", "/api/journal", {"body": words["journal_api"]}),
            ("POST", "/api/checkins", {"mood": 3, "note": words["checkin"]}),
            ("PUT", "/api/safety-plan/warning_signs", {"items": [words["plan"]]}),
            (
                "POST",
                f"/api/care/relationships/{seeded['relationship']}/messages",
                {"body": words["care"]},
            ),
            (
                "POST",
                f"/api/direct/threads/{seeded['direct_thread']}/messages",
                {"body": words["direct"]},
            ),
            (
                "POST",
                f"/api/communities/{seeded['community']}/threads",
                {"title": "Tonight", "body": f"{CRISIS_WORDS} {words['post']}"},
            ),
        ]
        for method, path, body in writes:
            answer = await api.request(method, path, json=body)
            assert answer.status_code in (200, 201), (path, answer.text)
        assert (await api.get("/api/search", params={"q": words["search_api"]})).status_code == 200
        wrong = {"pseudonym": SEEKER, "password": words["password"]}
        assert (await api.post("/api/auth/token", json=wrong)).status_code == 401

    await chat_live(port, seeded, words)


@pytest.mark.skipif(sys.platform != "linux", reason="needs the loopback servers of this machine")
async def test_a_whole_run_logs_every_request_socket_and_job_in_json_and_no_private_text(
    tmp_path,
):
    from django.conf import settings

    words = {
        kind: f"PRIVATE-MARKER-{kind}-{uuid.uuid4().hex}"
        for kind in (
            "journal", "search", "refused", "query", "lost", "journal_api", "checkin", "plan",
            "care", "direct", "post", "search_api", "password", "chat", "crisis",
        )
    }  # fmt: skip
    log_path = tmp_path / "haven.log"
    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, os.environ.get("REDIS_URL", ""), data_dir)
        env |= {
            "HAVEN_MODEL_DIR": str(settings.MODEL_DIR),  # the models this suite already trained
            "HAVEN_SAFETY_EMBEDDINGS": "off",
            "HAVEN_LOG_LEVEL": "DEBUG",
            "HAVEN_LOG_FORMAT": "json",
            "HAVEN_ACCESS_LOG": "true",
            "HAVEN_REQUEST_LOG_LEVEL": "DEBUG",
        }
        seeded = json.loads(haven(["shell", "-v0", "-c", SEED_FULL_RUN], env).stdout)
        # uvicorn at DEBUG too: its WebSocket protocol would log every frame and header.
        with asgi_servers(1, env, log_path=log_path, log_level="debug") as (port,):
            await write_everywhere(port, seeded, words)
        # The worker runs the jobs those writes enqueued (the journal's suggestions, the post's
        # embedding), then the schedule's.
        worker_log = haven(["worker", "--batch"], env).stderr
    log = log_path.read_text() + worker_log

    lines = [json.loads(line) for line in log.splitlines()]  # each line one JSON object
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    assert all(line["request_id"] for line in lines)
    leaked = [word for word in words.values() if word in log]
    assert leaked == []
    assert "PRIVATE-MARKER" not in log  # nor cut short, as a frame dump would print it
    assert "saving my pills" not in log
    assert seeded["seeker_session"] not in log and seeded["seeker_token"] not in log

    # Something was logged for each way in, with its request id.
    access = [line for line in lines if line["logger"] == "haven.access"]
    [journal] = [line for line in access if line["request_id"] == JOURNAL_REQUEST]
    assert (journal["method"], journal["path"], journal["status"]) == ("POST", "/journal/new/", 302)
    assert journal["view"] == "wellness:journal_new"
    api_paths = {line["path"] for line in access if line["path"].startswith("/api/")}
    assert {"/api/journal", "/api/checkins", "/api/search", "/api/auth/token"} <= api_paths
    chat_socket = [line for line in access if line["request_id"] == SOCKET_REQUEST]
    assert [line["event"] for line in chat_socket] == ["accepted", "closed"]
    assert chat_socket[0]["socket"] == "chat"
    # The journal entry's suggestion job ran in the worker under the journal request's id.
    job_lines = [line for line in lines if line.get("job_id")]
    assert JOURNAL_REQUEST in {line["request_id"] for line in job_lines}
    assert any(line["request_id"].startswith("job-") for line in job_lines)  # the schedule's
