"""Support rooms under load: R rooms x M members on several Haven server processes in the
production set-up (PostgreSQL, a Redis channel layer), with the 1:1 chat measured the same way
in the same run as the baseline.

Run: .venv/bin/python bench/rooms.py [--rooms 20] [--members 25] [--servers 2] [--seconds 60]
     [--interval 5] [--pairs 10]
Needs PostgreSQL at postgres://postgres@127.0.0.1:5432 with trust auth (a database of its own,
haven_bench_<random>, dropped at the end) and Redis at REDIS_URL or redis://127.0.0.1:6379/3
(nothing is flushed: every key carries this run's own prefix).

Member j of a room connects to server process j % S, so every room spans every process. Once
all sockets are open and one warm-up message per process went through, every member sends a
message every --interval seconds (jittered +-50%, starting at a random moment), each after the
acknowledgement of its last, for --seconds. Each message should reach the other M-1 members of
its room: lost counts expected deliveries that never arrived after a grace period, duplicated
counts a message id delivered twice to one socket; the stored rows are counted in the database
too. Latency is receipt minus send on one clock (this process's time.perf_counter). The chat
baseline: --pairs seeker-listener pairs on the same servers, seekers sending at the same pace.
Prints a table and one JSON line; writes the JSON under bench/results/.
"""

import argparse
import asyncio
import importlib.util
import json
import random
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.devservers import asgi_servers, server_environment  # noqa: E402


def _chat_bench():
    """bench/chat.py's connection, figures and set-up helpers (one way to measure both)."""
    spec = importlib.util.spec_from_file_location("bench_chat", ROOT / "bench" / "chat.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


chat = _chat_bench()
RESULTS = ROOT / "bench" / "results"
ACK_TIMEOUT = 15.0
GRACE = 5.0

SEED_ROOMS = """
import json
from django.db import transaction
from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.accounts.guidelines import current_guidelines
from haven.chat.models import ListenerProfile
from haven.rooms.models import Room, RoomMember
from tests.support.devservers import signed_in_session

with transaction.atomic():
    guidelines = current_guidelines() or do_publish_guidelines("Be kind.")
    for r in range({rooms}):
        host = do_create_user(f"rhost{{r}}", None, guidelines_version=guidelines.version,
                              role="listener")
        ListenerProfile.objects.create(user=host, status=ListenerProfile.Status.LISTENER)
        room = Room.objects.create(title=f"Bench room {{r}}", topic="Load", created_by=host,
                                   capacity={members})
        users = [host] + [
            do_create_user(f"r{{r}}m{{m}}", None, guidelines_version=guidelines.version)
            for m in range({members} - 1)
        ]
        for n, user in enumerate(users):
            RoomMember.objects.create(room=room, user=user,
                                      role="host" if n == 0 else "member")
        print(json.dumps({{"room": room.pk,
                           "sessions": [signed_in_session(user) for user in users]}}))
"""

COUNT_ROWS = """
import json
from haven.rooms.models import RoomMessage
rows = RoomMessage.objects.all()
print(json.dumps({
    "rows": rows.count(),
    "distinct": rows.values("room_id", "author_id", "client_id").distinct().count(),
    "held": rows.filter(moderation_state="held").count(),
}))
"""


@dataclass
class RoomRecord:
    sent_at: dict[str, float] = field(default_factory=dict)  # client_id -> send time
    acked: dict[str, int] = field(default_factory=dict)  # client_id -> message id
    room_of: dict[str, int] = field(default_factory=dict)  # client_id -> room index
    sender_of: dict[str, int] = field(default_factory=dict)  # client_id -> socket index
    # (socket index, client_id) -> receipt time
    delivered: dict[tuple[int, str], float] = field(default_factory=dict)
    duplicated: int = 0
    misrouted: int = 0
    unacked: int = 0
    errors: list = field(default_factory=list)


def room_opener(port: int, session: str, room: int):
    async def open_room(opened: list):
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/ws/rooms/{room}/",
            **chat.connect_options(f"http://127.0.0.1:{port}", f"sessionid={session}"),
        )
        opened.append(socket)
        try:
            history = json.loads(await asyncio.wait_for(socket.recv(), chat.OPEN_TIMEOUT))
        except BaseException:
            await chat.close_all([socket])
            raise
        if history.get("type") != "history":
            raise RuntimeError(f"Expected the history frame first, got {history!r}")
        return socket

    return open_room


async def member_loop(
    index: int, socket, room_index: int, record: RoomRecord, acks: dict[str, asyncio.Future]
) -> None:
    """Reads one member's socket: its own acks and errors, and every message of others."""
    try:
        async for raw in socket:
            now = time.perf_counter()
            frame = json.loads(raw)
            kind, client_id = frame.get("type"), frame.get("client_id")
            if kind in ("ack", "error") and client_id in acks:
                acks.pop(client_id).set_result(frame)
            elif kind == "message":
                key = (index, client_id)
                if key in record.delivered:
                    record.duplicated += 1
                elif record.room_of.get(client_id) != room_index:
                    record.misrouted += 1
                else:
                    record.delivered[key] = now
    except websockets.exceptions.ConnectionClosed:
        pass


async def send_one(socket, record: RoomRecord, acks: dict, client_id: str, body: str) -> None:
    future = asyncio.get_running_loop().create_future()
    acks[client_id] = future
    record.sent_at[client_id] = time.perf_counter()
    await socket.send(json.dumps({"type": "message", "body": body, "client_id": client_id}))
    try:
        frame = await asyncio.wait_for(future, ACK_TIMEOUT)
    except TimeoutError:
        acks.pop(client_id, None)
        record.unacked += 1
        return
    if frame["type"] == "error":
        record.errors.append(frame.get("code"))
    else:
        record.acked[client_id] = frame["id"]


async def rooms_load(
    rooms: list[dict], ports: list[int], seconds: float, interval: float, run_id: str
) -> dict:
    record = RoomRecord()
    opened: list = []
    readers: list[asyncio.Task] = []
    acks: dict[str, asyncio.Future] = {}
    try:
        factories, room_index_of = [], []
        for r, room in enumerate(rooms):
            for j, session in enumerate(room["sessions"]):
                factories.append(room_opener(ports[j % len(ports)], session, room["room"]))
                room_index_of.append(r)
        started = time.perf_counter()
        sockets = await chat.open_in_batches(factories, opened)
        connect_s = time.perf_counter() - started
        readers = [
            asyncio.create_task(member_loop(i, s, room_index_of[i], record, acks))
            for i, s in enumerate(sockets)
        ]
        members_of: dict[int, list[int]] = {}
        for i, r in enumerate(room_index_of):
            members_of.setdefault(r, []).append(i)

        def expect(client_id: str, sender: int, room_index: int) -> None:
            record.room_of[client_id] = room_index
            record.sender_of[client_id] = sender

        # Warm-up: one message through each process (it loads the safety models).
        warm = [f"{run_id}-warm-{s}" for s in range(len(ports))]
        for s, client_id in enumerate(warm):
            expect(client_id, s, room_index_of[s])
        await asyncio.gather(
            *(send_one(sockets[s], record, acks, c, "Hello, all.") for s, c in enumerate(warm))
        )
        await asyncio.sleep(1)
        pace = random.Random(11)
        deadline = time.perf_counter() + seconds

        async def member(i: int) -> None:
            await asyncio.sleep(pace.uniform(0, interval))
            n = 0
            while time.perf_counter() < deadline:
                client_id = f"{run_id}-{i}-{n}"
                expect(client_id, i, room_index_of[i])
                await send_one(
                    sockets[i], record, acks, client_id,
                    f"Thinking of you all, this is note {n + 1} from member {i}.",
                )  # fmt: skip
                n += 1
                await asyncio.sleep(interval * pace.uniform(0.5, 1.5))

        started = time.perf_counter()
        await asyncio.gather(*(member(i) for i in range(len(sockets))))
        sending_s = time.perf_counter() - started
        measured = [c for c in record.acked if not c.startswith(f"{run_id}-warm")]

        def expected_pairs() -> list[tuple[int, str]]:
            return [
                (other, c)
                for c in measured
                for other in members_of[record.room_of[c]]
                if other != record.sender_of[c]
            ]

        await chat.wait_until(
            lambda: all(pair in record.delivered for pair in expected_pairs()), GRACE
        )
    finally:
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        await chat.close_all(opened)
    pairs = expected_pairs()
    arrived = [pair for pair in pairs if pair in record.delivered]
    return {
        "delivery": chat.latency_figures(
            [(record.delivered[p] - record.sent_at[p[1]]) * 1000 for p in arrived]
        ),
        "messages": len(measured),
        "deliveries_expected": len(pairs),
        "lost": len(pairs) - len(arrived),
        "duplicated": record.duplicated,
        "misrouted": record.misrouted,
        "unacked": record.unacked,
        "errors": len(record.errors),
        "error_codes": sorted({e for e in record.errors if e}),
        "connections": len(sockets),
        "connect_s": round(connect_s, 2),
        "sending_s": round(sending_s, 2),
        "messages_per_s": round(len(measured) / sending_s, 1),
        "warmup_messages": len(warm),
    }


def run(args) -> dict:
    database = f"haven_bench_{secrets.token_hex(4)}"
    database_url = chat.POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    data_dir = tempfile.mkdtemp(prefix="haven-bench-rooms-")
    created = False
    try:
        chat.psql(f"CREATE DATABASE {database}")
        created = True
        env = server_environment(database_url, chat.REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(chat.MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        print(f"Database {database}, Redis {chat.REDIS_URL}, prefix {env['HAVEN_CACHE_PREFIX']}")
        chat.run_haven(["safety_warmup"], env)
        chat.run_haven(["migrate", "--noinput", "-v0"], env)
        seeded = chat.run_haven(
            ["shell", "-v0", "-c", SEED_ROOMS.format(rooms=args.rooms, members=args.members)],
            env,
        )
        rooms = [json.loads(line) for line in seeded.splitlines() if line.startswith("{")]
        pairs_out = chat.run_haven(chat.seed_chat_pairs_args(args.pairs, "bench"), env)
        pairs = [json.loads(line) for line in pairs_out.splitlines() if line.startswith("{")]
        with asgi_servers(args.servers, env) as ports:
            figures = chat.run_loop(
                rooms_load(rooms, ports, args.seconds, args.interval, secrets.token_hex(3))
            )
            messages = max(1, int(args.seconds / args.interval))
            baseline = chat.run_loop(
                chat.chat_load(pairs, ports, messages, secrets.token_hex(3), args.interval)
            )
        stored = json.loads(
            chat.run_haven(["shell", "-v0", "-c", COUNT_ROWS], env).splitlines()[-1]
        )
        figures["db_rows"] = stored["rows"]
        figures["db_duplicated"] = stored["rows"] - stored["distinct"]
        figures["db_held"] = stored["held"]
        return {"rooms": figures, "chat_baseline": baseline}
    finally:
        if created:
            chat.psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--members", type=int, default=25)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between messages")
    parser.add_argument("--pairs", type=int, default=10, help="1:1 chat pairs (baseline)")
    args = parser.parse_args()
    result = run(args)
    rooms, baseline = result["rooms"], result["chat_baseline"]
    header = ("p50 ms", "p95 ms", "p99 ms", "max ms")
    print(f"{'path':22} " + " ".join(f"{h:>8}" for h in header) + f" {'lost':>6} {'dup':>5}")
    for name, figures, lost, dup in (
        ("room delivery", rooms["delivery"], rooms["lost"], rooms["duplicated"]),
        ("1:1 chat delivery", baseline["delivery"], baseline["lost"], baseline["duplicated"]),
    ):
        print(
            f"{name:22} {figures['p50_ms']!s:>8} {figures['p95_ms']!s:>8} "
            f"{figures['p99_ms']!s:>8} {figures['max_ms']!s:>8} {lost:>6} {dup:>5}"
        )
    print(
        f"{args.rooms} rooms x {args.members} members on {args.servers} processes: "
        f"{rooms['messages']} messages ({rooms['messages_per_s']}/s), "
        f"{rooms['deliveries_expected']} deliveries expected; errors {rooms['errors']} "
        f"{rooms['error_codes'] or ''}, unacked {rooms['unacked']}, misrouted "
        f"{rooms['misrouted']}; {rooms['db_rows']} rows stored ({rooms['db_duplicated']} "
        f"duplicated, {rooms['db_held']} held)"
    )
    line = {"bench": "rooms", "args": vars(args), **result}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"rooms-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(line))
    print(json.dumps(line))


if __name__ == "__main__":
    main()
