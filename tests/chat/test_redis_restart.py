"""Redis restarted in the middle of live chats: two server processes share a Redis channel
layer of this test's own; it is killed while a seeker and a listener (one on each process) keep
writing, and started again. Clients behave as chat.js does: they reconnect when their socket
closes, ask for what came after the last message they saw, and re-send what was never
acknowledged. Every message must reach the other side exactly once, and be stored once."""

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import time

import pytest
import websockets

from tests.support.devservers import (
    asgi_servers,
    free_port,
    haven,
    seed_chat_pairs_args,
    separate_database,
    server_environment,
    wait_for_port,
)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@contextlib.contextmanager
def own_redis(port: int):
    """A Redis of this test's own, restartable on the same port."""
    process = None

    def start() -> None:
        nonlocal process
        process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(port)

    def kill() -> None:
        process.kill()
        process.wait(10)

    start()
    try:
        yield start, kill
    finally:
        with contextlib.suppress(Exception):
            kill()


class ChatClient:
    """What chat.js does with its socket, in a test."""

    def __init__(self, port: int, session: str, conversation: int, name: str) -> None:
        self.url = f"ws://127.0.0.1:{port}/ws/chat/{conversation}/"
        self.headers = {"Origin": f"http://127.0.0.1:{port}", "Cookie": f"sessionid={session}"}
        self.name = name
        self.seen: dict[int, str] = {}  # message id -> client_id, from the other side or acks
        self.received: list[str] = []  # bodies of the other side's messages, as shown
        self.pending: dict[str, str] = {}  # client_id -> body, until acknowledged
        self.connections = 0
        self.errors: list[dict] = []
        self.socket = None
        self.task: asyncio.Task | None = None

    def last_id(self) -> int:
        return max(self.seen, default=0)

    def take(self, frame: dict) -> None:
        if frame.get("type") == "ack":
            self.pending.pop(frame["client_id"], None)
            self.seen[frame["id"]] = frame["client_id"]
        elif frame.get("type") == "message":
            if frame["id"] in self.seen:
                return  # chat.js shows a message once, whatever the server repeats
            self.seen[frame["id"]] = frame["client_id"]
            if frame.get("sender") == "you":
                self.pending.pop(frame["client_id"], None)
            else:
                self.received.append(frame["body"])
        elif frame.get("type") == "error":
            self.errors.append(frame)
        elif frame.get("type") == "history":
            for message in frame["messages"]:
                self.take({"type": "message", **message})

    async def run(self) -> None:
        while True:
            try:
                async with websockets.connect(
                    f"{self.url}?after={self.last_id()}", additional_headers=self.headers,
                    open_timeout=10, ping_interval=None, close_timeout=2,
                ) as socket:  # fmt: skip
                    self.socket = socket
                    self.connections += 1
                    async for raw in socket:
                        frame = json.loads(raw)
                        self.take(frame)
                        if frame.get("type") == "history":
                            for client_id, body in list(self.pending.items()):
                                await socket.send(
                                    json.dumps(
                                        {"type": "message", "body": body, "client_id": client_id}
                                    )
                                )
            except (OSError, websockets.exceptions.WebSocketException, TimeoutError):
                pass
            self.socket = None
            await asyncio.sleep(0.3)  # chat.js backs off too; short here

    async def send(self, client_id: str, body: str) -> None:
        self.pending[client_id] = body
        if self.socket is not None:
            with contextlib.suppress(websockets.exceptions.ConnectionClosed):
                await self.socket.send(
                    json.dumps({"type": "message", "body": body, "client_id": client_id})
                )


async def settle(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.1)
    return False


@pytest.mark.skipif(
    not os.access(REDIS_SERVER, os.X_OK) and not os.environ.get("CI"),
    reason="needs redis-server",
)
def test_chats_survive_a_redis_restart_with_nothing_lost_or_repeated(tmp_path):
    redis_port = free_port()
    with separate_database() as (database_url, data_dir), own_redis(redis_port) as (start, kill):
        env = server_environment(database_url, f"redis://127.0.0.1:{redis_port}/0", data_dir)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        haven(["migrate", "--noinput", "-v0"], env)
        pair = json.loads(haven(seed_chat_pairs_args(1, "redis"), env).stdout)
        # The servers' log goes to a file: a pipe nobody reads would fill and stall them.
        with asgi_servers(2, env, log_path=tmp_path / "servers.log") as (port_a, port_b):
            asyncio.run(chat_through_a_restart(pair, port_a, port_b, start, kill))
        stored = haven(
            ["shell", "-v0", "-c",
             "from haven.chat.models import ChatMessage; "
             "print(ChatMessage.objects.count(), "
             "ChatMessage.objects.values('client_id').distinct().count())"],
            env,
        ).stdout.split()  # fmt: skip
        assert stored == ["24", "24"]  # every message stored once


async def chat_through_a_restart(pair, port_a, port_b, start_redis, kill_redis) -> None:
    seeker = ChatClient(port_a, pair["seeker_session"], pair["conversation"], "seeker")
    listener = ChatClient(port_b, pair["listener_session"], pair["conversation"], "listener")
    tasks = [asyncio.create_task(client.run()) for client in (seeker, listener)]
    try:
        assert await settle(lambda: seeker.connections and listener.connections)

        async def exchange(round_: str, count: int) -> None:
            for n in range(count):
                await seeker.send(f"s-{round_}-{n}", f"Seeker {round_} {n}: still here.")
                await listener.send(f"l-{round_}-{n}", f"Listener {round_} {n}: I hear you.")
                await asyncio.sleep(0.05)

        await exchange("before", 4)
        assert await settle(lambda: len(listener.received) == 4 and len(seeker.received) == 4), (
            seeker.received, listener.received, seeker.pending, listener.pending,
            seeker.errors, listener.errors, seeker.connections, listener.connections,
        )  # fmt: skip

        kill_redis()
        await exchange("during", 4)  # written while the channel layer is gone
        await asyncio.sleep(2)
        start_redis()
        await exchange("after", 4)

        everything = 12
        delivered = await settle(
            lambda: len(listener.received) == everything and len(seeker.received) == everything
        )
        assert delivered, (
            f"listener got {len(listener.received)}, seeker got {len(seeker.received)} "
            f"of {everything}; pending {seeker.pending} / {listener.pending}"
        )
        assert not seeker.pending and not listener.pending
        assert listener.received == sorted(set(listener.received), key=listener.received.index)
        assert {body.split(":")[0] for body in listener.received} == {
            f"Seeker {round_} {n}" for round_ in ("before", "during", "after") for n in range(4)
        }
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
