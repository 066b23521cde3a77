"""The production set-up: two server processes sharing a Redis channel layer; the seeker on one,
the listener on the other, chatting live. Runs on its own database (PostgreSQL when the suite
runs there, else an SQLite file) and on Redis at REDIS_URL (or the local default)."""

import asyncio
import json
import os
import sys

import pytest
import websockets

from tests.support.devservers import (
    asgi_servers,
    haven,
    seed_chat_pairs_args,
    separate_database,
    server_environment,
)

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"


@pytest.fixture(scope="module")
def own_database():
    with separate_database() as (url, data_dir):
        yield url, data_dir


@pytest.fixture(scope="module")
def two_servers(own_database):
    database_url, data_dir = own_database
    from django.conf import settings

    env = server_environment(database_url, REDIS_URL, data_dir)
    env["HAVEN_MODEL_DIR"] = str(settings.MODEL_DIR)  # the models this suite already trained
    haven(["migrate", "--noinput", "-v0"], env)
    seeded = haven(seed_chat_pairs_args(3, "mp"), env).stdout
    pairs = [json.loads(line) for line in seeded.splitlines()]
    with asgi_servers(2, env) as ports:
        yield pairs, ports, env


async def connect(port: int, session: str, conversation: int, after: int = 0):
    socket = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/chat/{conversation}/?after={after}",
        additional_headers={"Cookie": f"sessionid={session}", "Origin": f"http://127.0.0.1:{port}"},
    )
    history = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert history["type"] == "history"
    return socket, history["messages"]


async def receive(socket, kind: str, client_id: str | None = None) -> dict:
    while True:
        event = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if event["type"] == kind and client_id in (None, event.get("client_id")):
            return event


@pytest.mark.skipif(sys.platform != "linux", reason="needs the loopback servers of this machine")
async def test_seeker_and_listener_on_different_server_processes_chat_live(two_servers):
    (pair, *_), (port_a, port_b), _ = two_servers
    seeker, _ = await connect(port_a, pair["seeker_session"], pair["conversation"])
    listener, _ = await connect(port_b, pair["listener_session"], pair["conversation"])
    await seeker.send(json.dumps({"type": "message", "body": "hello from A", "client_id": "a1"}))
    ack = await receive(seeker, "ack")
    delivered = await receive(listener, "message")
    assert delivered["id"] == ack["id"] and delivered["body"] == "hello from A"
    await listener.send(json.dumps({"type": "message", "body": "hi from B", "client_id": "b1"}))
    assert (await receive(seeker, "message"))["body"] == "hi from B"
    # The seeker moves to the other process and resumes after the last message it saw.
    await seeker.close()
    await listener.send(
        json.dumps({"type": "message", "body": "while you were away", "client_id": "b2"})
    )
    await receive(listener, "ack", "b2")
    seeker, missed = await connect(
        port_b, pair["seeker_session"], pair["conversation"], after=ack["id"]
    )
    assert [m["body"] for m in missed] == ["hi from B", "while you were away"]
    await seeker.close()
    await listener.close()


async def test_an_outsider_is_refused_by_every_server_process(two_servers):
    (pair, *_), ports, _ = two_servers
    for port in ports:
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/ws/chat/{pair['conversation']}/",
            additional_headers={"Origin": f"http://127.0.0.1:{port}"},
        )
        # Accepted only to be closed with a code the browser can read: no history, no messages.
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 10)
        assert closed.value.rcvd.code == 4401


async def closed_code(socket) -> int:
    with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(socket.recv(), 10)
    return closed.value.rcvd.code


SUSPEND = """
from datetime import timedelta
from haven.accounts.actions import do_create_user
from haven.accounts.guidelines import current_guidelines
from haven.accounts.models import User
from haven.moderation.actions import do_sanction
version = current_guidelines().version
moderator = do_create_user("mp_moderator", None, guidelines_version=version, role="moderator")
do_sanction(User.objects.get(pk={seeker}), "suspend", moderator=moderator,
            reason="A pause.", duration=timedelta(days=1))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="needs the loopback servers of this machine")
async def test_a_suspension_closes_the_members_sockets_on_every_server_process(two_servers):
    (_, pair, _), (port_a, port_b), env = two_servers
    on_a, _ = await connect(port_a, pair["seeker_session"], pair["conversation"])
    on_b, _ = await connect(port_b, pair["seeker_session"], pair["conversation"])
    listener, _ = await connect(port_b, pair["listener_session"], pair["conversation"])
    # The suspension happens in another process again (a moderator's request, a command).
    await asyncio.to_thread(haven, ["shell", "-c", SUSPEND.format(seeker=pair["seeker_id"])], env)
    assert await closed_code(on_a) == 4410
    assert await closed_code(on_b) == 4410
    # The chat ends with the suspension: the listener, on the other process, is told by nobody
    # they can name, and their socket closes as ended rather than left talking to no one.
    assert (await receive(listener, "ended"))["ended_by"] is None
    assert await closed_code(listener) == 4411


@pytest.mark.skipif(sys.platform != "linux", reason="needs the loopback servers of this machine")
async def test_no_stored_message_is_lost_when_the_sender_drops_before_its_ack(two_servers):
    """The issue's rounds: send, abort the TCP connection at once, reconnect with `after`,
    resend what was never acknowledged. Every message is stored exactly once, and the
    listener, connected to the other process, gets every one live. Delivery is at least once:
    a retry that races its first push (a busy machine) pushes again, and chat.js ignores an id
    it already shows, so the person sees each message once."""
    (_, _, pair), (port_a, port_b), _ = two_servers
    listener, _ = await connect(port_b, pair["listener_session"], pair["conversation"])
    pending: dict[str, str] = {}
    seen = 0
    for n in range(20):
        seeker, missed = await connect(port_a, pair["seeker_session"], pair["conversation"], seen)
        seen = max([seen, *(m["id"] for m in missed)])
        for message in missed:
            pending.pop(message["client_id"], None)  # stored after all
        pending[f"r{n}"] = f"message {n}"
        for client_id, body in pending.items():
            await seeker.send(json.dumps({"type": "message", "body": body, "client_id": client_id}))
        seeker.transport.abort()  # the connection dies before the ack can come back
    seeker, missed = await connect(port_a, pair["seeker_session"], pair["conversation"], seen)
    for message in missed:
        pending.pop(message["client_id"], None)
    for client_id, body in pending.items():
        await seeker.send(json.dumps({"type": "message", "body": body, "client_id": client_id}))
        await receive(seeker, "ack", client_id)
    await seeker.close()

    delivered: list[int] = []
    try:
        while True:
            event = json.loads(await asyncio.wait_for(listener.recv(), 2))
            if event["type"] == "message":
                delivered.append(event["id"])
    except TimeoutError:
        pass
    await listener.close()
    _, stored = await connect(port_b, pair["listener_session"], pair["conversation"])
    stored_ids = [m["id"] for m in stored]
    assert len(stored_ids) == 20  # every message stored once, retries and all
    assert sorted(set(delivered)) == stored_ids  # each delivered live, none lost
    # Pushed again only for a retry of a message whose first push was not yet recorded.
    assert len(delivered) - len(set(delivered)) <= len(stored_ids)
