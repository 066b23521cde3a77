"""Live chat under load: N seeker-listener pairs chatting at once across several Haven server
processes in the production set-up (PostgreSQL, a Redis channel layer), beside a bare
`websockets` echo server measured in the same run.

Run: .venv/bin/python bench/chat.py [--pairs 200] [--messages 20] [--servers 2] [--interval 3]
Needs PostgreSQL at postgres://postgres@127.0.0.1:5432 with trust auth (the bench creates a
database of its own, haven_bench_<random>, and drops it at the end) and Redis at REDIS_URL or
redis://127.0.0.1:6379/3 (nothing is flushed: every key carries this run's own prefix).

Each pair's seeker connects to server process i % S and its listener to (i + 1) % S, so the
two sides of a chat are on different processes whenever S > 1. Once every connection is open
and one warm-up message per process has gone through (the first message a process screens
loads the safety models), every seeker sends M messages one after another, each after the
acknowledgement of the last and a pause of --interval seconds (jittered ±50%, starting at a
random moment within the first interval): people type, so a chat is a message every few
seconds, not a flood. --interval 0 sends back to back, which measures the most a set-up can
carry rather than how a chat feels. Delivery latency is the listener's receipt minus the seeker's
send, on one clock (this process's time.perf_counter); ack latency is send to own ack. Lost is
what never arrived after a grace period; duplicated counts deliveries of a client_id already
seen; the stored ChatMessage rows are counted in the database too. The baseline is the same
number of connections each sending M messages to an echo server in a process of its own:
its latency is the round trip. The last line is JSON.
"""

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.devservers import (  # noqa: E402
    asgi_servers,
    free_port,
    haven,
    seed_chat_pairs_args,
    server_environment,
    stop_process,
    wait_for_port,
)

POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"
MODEL_DIR = ROOT / "var" / "models"
TARGET_P99_MS = 50.0
TARGET_PAIRS = 200
OPEN_BATCH = 50  # connections opened at once
OPEN_TIMEOUT = 60.0  # seconds for one connection's handshake (and its history frame)
OPEN_ATTEMPTS = 3
ACK_TIMEOUT = 15.0  # seconds a sender waits for one acknowledgement or echo
GRACE = 5.0  # seconds to wait for late deliveries once every sender is done
PHASE_TIMEOUT = 900.0  # seconds for a whole sending phase, whatever happens

ECHO_SERVER = """
import asyncio, sys
from websockets.asyncio.server import serve

async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)

async def main():
    async with serve(echo, "127.0.0.1", int(sys.argv[1]), ping_interval=None) as server:
        await server.serve_forever()

try:
    import uvloop
    uvloop.run(main())
except ImportError:
    asyncio.run(main())
"""

COUNT_ROWS = """
import json
from haven.chat.models import ChatMessage
rows = ChatMessage.objects.all()
print(json.dumps({
    "rows": rows.count(),
    "distinct": rows.values("conversation_id", "sender_id", "client_id").distinct().count(),
    "held": rows.filter(moderation_state="held").count(),
}))
"""


# --- Figures


def percentile(ordered: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return None
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def latency_figures(timings_ms: list[float]) -> dict:
    ordered = sorted(timings_ms)

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "p50_ms": rounded(percentile(ordered, 50)),
        "p95_ms": rounded(percentile(ordered, 95)),
        "p99_ms": rounded(percentile(ordered, 99)),
        "max_ms": rounded(ordered[-1] if ordered else None),
        "samples": len(ordered),
    }


def run_loop(coroutine):
    """uvloop when installed (as uvicorn uses it), for the measuring client too."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return asyncio.run(coroutine, loop_factory=uvloop.new_event_loop)


# --- Connections


async def open_in_batches(factories: list, opened: list) -> list:
    """Open connections OPEN_BATCH at a time, each with a few attempts; every connection that
    opens goes into `opened` at once, so the caller can close them all whatever happens."""

    async def attempt(factory):
        error: BaseException | None = None
        for n in range(OPEN_ATTEMPTS):
            try:
                return await factory(opened)
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as exc:
                error = exc
                await asyncio.sleep(0.5 * (n + 1))
        raise RuntimeError(f"A connection would not open after {OPEN_ATTEMPTS} tries: {error!r}")

    results = []
    for start in range(0, len(factories), OPEN_BATCH):
        batch = factories[start : start + OPEN_BATCH]
        results += await asyncio.gather(*(attempt(factory) for factory in batch))
    return results


async def close_all(sockets: list) -> None:
    async def close(socket) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(socket.close(), 5)

    await asyncio.gather(*(close(socket) for socket in sockets))


def connect_options(origin: str, cookie: str | None = None) -> dict:
    headers = {"Origin": origin}
    if cookie:
        headers["Cookie"] = cookie
    return {
        "additional_headers": headers,
        "open_timeout": OPEN_TIMEOUT,
        "ping_interval": None,
        "close_timeout": 5,
    }


def chat_opener(port: int, session: str, conversation: int):
    async def open_chat(opened: list):
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/ws/chat/{conversation}/",
            **connect_options(f"http://127.0.0.1:{port}", f"sessionid={session}"),
        )
        opened.append(socket)
        try:
            history = json.loads(await asyncio.wait_for(socket.recv(), OPEN_TIMEOUT))
        except BaseException:
            await close_all([socket])
            raise
        if history.get("type") != "history":
            raise RuntimeError(f"Expected the history frame first, got {history!r}")
        return socket

    return open_chat


def echo_opener(port: int):
    async def open_echo(opened: list):
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/", **connect_options(f"http://127.0.0.1:{port}")
        )
        opened.append(socket)
        return socket

    return open_echo


def message_body(pair: int, n: int, total: int) -> str:
    return f"Thanks for listening today, this is note {n + 1} of {total} from pair {pair}."


# --- Live chat


@dataclass
class ChatRecord:
    sent_at: dict[str, float] = field(default_factory=dict)
    acked_at: dict[str, float] = field(default_factory=dict)
    delivered_at: dict[str, float] = field(default_factory=dict)
    duplicated: int = 0
    misrouted: int = 0  # delivered to the listener of another conversation
    unknown: int = 0  # a message frame with a client_id this run never sent
    held: int = 0
    unacked: int = 0
    errors: list = field(default_factory=list)
    listeners_closed: int = 0  # listener connections closed before the end


async def send_and_wait(socket, record: ChatRecord, client_id: str, body: str) -> None:
    """Send one chat message and wait for its own ack (or error); bounded by ACK_TIMEOUT."""
    payload = json.dumps({"type": "message", "body": body, "client_id": client_id})
    record.sent_at[client_id] = time.perf_counter()
    await socket.send(payload)
    try:
        async with asyncio.timeout(ACK_TIMEOUT):
            while True:
                raw = await socket.recv()
                now = time.perf_counter()
                frame = json.loads(raw)
                if frame.get("client_id") == client_id and frame.get("type") in ("ack", "error"):
                    break
    except TimeoutError:
        record.unacked += 1
        return
    if frame["type"] == "error":
        record.errors.append({"client_id": client_id, "code": frame.get("code")})
        return
    record.acked_at[client_id] = now
    if frame.get("held"):
        record.held += 1


async def listen(socket, pair_prefix: str, record: ChatRecord) -> None:
    """Record every chat message this listener receives, until cancelled."""
    try:
        async for raw in socket:
            now = time.perf_counter()
            frame = json.loads(raw)
            if frame.get("type") != "message":
                continue
            client_id = frame.get("client_id")
            if client_id in record.delivered_at:
                record.duplicated += 1
            elif client_id not in record.sent_at:
                record.unknown += 1
            else:
                record.delivered_at[client_id] = now
                if not client_id.startswith(pair_prefix):
                    record.misrouted += 1
    except websockets.exceptions.ConnectionClosed:
        pass
    record.listeners_closed += 1


async def wait_until(condition, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.02)
    return condition()


async def chat_load(
    pairs: list[dict], ports: list[int], messages: int, run_id: str, interval: float = 0.0
) -> dict:
    servers = len(ports)
    record = ChatRecord()
    opened: list = []
    listeners: list[asyncio.Task] = []
    try:
        factories = []
        for i, pair in enumerate(pairs):
            factories.append(
                chat_opener(ports[i % servers], pair["seeker_session"], pair["conversation"])
            )
            factories.append(
                chat_opener(
                    ports[(i + 1) % servers], pair["listener_session"], pair["conversation"]
                )
            )
        started = time.perf_counter()
        sockets = await open_in_batches(factories, opened)
        connect_s = time.perf_counter() - started
        seekers, listener_sockets = sockets[0::2], sockets[1::2]
        listeners = [
            asyncio.create_task(listen(socket, f"{run_id}-{i}-", record))
            for i, socket in enumerate(listener_sockets)
        ]

        # Warm-up: one message through each server process (it loads the safety models).
        warm_ids = [f"{run_id}-{s}-warmup" for s in range(min(servers, len(pairs)))]
        await asyncio.gather(
            *(
                send_and_wait(seekers[s], record, warm_id, "Hello, thanks for being here.")
                for s, warm_id in enumerate(warm_ids)
            )
        )
        await wait_until(lambda: all(w in record.delivered_at for w in warm_ids), ACK_TIMEOUT)
        warmup_ms = [
            round((record.acked_at[w] - record.sent_at[w]) * 1000, 1)
            for w in warm_ids
            if w in record.acked_at
        ]

        pace = random.Random(7)

        async def seeker(i: int, socket) -> None:
            if interval:
                await asyncio.sleep(pace.uniform(0, interval))
            for n in range(messages):
                await send_and_wait(
                    socket, record, f"{run_id}-{i}-{n}", message_body(i, n, messages)
                )
                if interval and n < messages - 1:
                    await asyncio.sleep(interval * pace.uniform(0.5, 1.5))

        started = time.perf_counter()
        async with asyncio.timeout(PHASE_TIMEOUT):
            await asyncio.gather(*(seeker(i, socket) for i, socket in enumerate(seekers)))
        sending_s = time.perf_counter() - started
        expected = [f"{run_id}-{i}-{n}" for i in range(len(pairs)) for n in range(messages)]
        await wait_until(lambda: all(c in record.delivered_at for c in expected), GRACE)
    finally:
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
        await close_all(opened)

    delivered = [c for c in expected if c in record.delivered_at]
    return {
        "delivery": latency_figures(
            [(record.delivered_at[c] - record.sent_at[c]) * 1000 for c in delivered]
        ),
        "ack": latency_figures(
            [
                (record.acked_at[c] - record.sent_at[c]) * 1000
                for c in expected
                if c in record.acked_at
            ]
        ),
        "messages": len(expected),
        "sending_s": round(sending_s, 2),
        "messages_per_s": round(len(expected) / sending_s, 1),
        "lost": len(expected) - len(delivered),
        "duplicated": record.duplicated,
        "misrouted": record.misrouted,
        "unknown": record.unknown,
        "unacked": record.unacked,
        "errors": len(record.errors),
        "error_codes": sorted({e["code"] for e in record.errors if e["code"]}),
        "held": record.held,
        "listeners_closed_early": record.listeners_closed,
        "connections": len(factories),
        "connect_s": round(connect_s, 2),
        "warmup_messages": len(warm_ids),
        "warmup_ack_ms": warmup_ms,
    }


# --- Baseline: a bare websockets echo server


async def echo_load(port: int, connections: int, messages: int, run_id: str) -> dict:
    round_trips: list[float] = []
    seen: set[str] = set()
    duplicated = 0
    timeouts = 0
    opened: list = []
    try:
        started = time.perf_counter()
        sockets = await open_in_batches([echo_opener(port)] * connections, opened)
        connect_s = time.perf_counter() - started

        async def sender(i: int, socket) -> None:
            nonlocal duplicated, timeouts
            for n in range(messages):
                client_id = f"{run_id}-{i}-{n}"
                payload = json.dumps(
                    {
                        "type": "message",
                        "body": message_body(i, n, messages),
                        "client_id": client_id,
                    }
                )
                sent = time.perf_counter()
                await socket.send(payload)
                try:
                    async with asyncio.timeout(ACK_TIMEOUT):
                        while True:
                            echoed = json.loads(await socket.recv())["client_id"]
                            if echoed in seen:
                                duplicated += 1
                                continue
                            seen.add(echoed)
                            if echoed == client_id:
                                break
                except TimeoutError:
                    timeouts += 1
                    continue
                round_trips.append((time.perf_counter() - sent) * 1000)

        started = time.perf_counter()
        async with asyncio.timeout(PHASE_TIMEOUT):
            await asyncio.gather(*(sender(i, socket) for i, socket in enumerate(sockets)))
        sending_s = time.perf_counter() - started
    finally:
        await close_all(opened)
    expected = connections * messages
    return {
        "round_trip": latency_figures(round_trips),
        "messages": expected,
        "sending_s": round(sending_s, 2),
        "messages_per_s": round(expected / sending_s, 1),
        "lost": expected - len(seen),
        "duplicated": duplicated,
        "timeouts": timeouts,
        "connections": connections,
        "connect_s": round(connect_s, 2),
    }


def run_baseline(connections: int, messages: int) -> dict:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", ECHO_SERVER, str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        return run_loop(echo_load(port, connections, messages, "echo"))
    finally:
        stop_process(server)


# --- Set-up


def psql(sql: str, check: bool = True) -> None:
    subprocess.run(  # noqa: S603
        ["psql", POSTGRES_ADMIN_URL, "-v", "ON_ERROR_STOP=1", "-qc", sql],  # noqa: S607
        check=check,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_haven(args: list[str], env: dict[str, str]) -> str:
    try:
        return haven(args, env).stdout
    except subprocess.CalledProcessError as error:
        tail = (error.stderr or "").strip().splitlines()[-15:]
        raise RuntimeError(f"haven {' '.join(args)} failed:\n" + "\n".join(tail)) from None


def count_rows(env: dict[str, str]) -> dict:
    output = run_haven(["shell", "-v0", "-c", COUNT_ROWS], env)
    return json.loads(output.strip().splitlines()[-1])


def run_chat(
    pair_count: int, messages: int, server_count: int, interval: float
) -> tuple[dict, dict]:
    """The production set-up on a database of its own; returns the chat figures and the
    stored rows. Everything it starts or creates is removed, even on errors."""
    database = f"haven_bench_{secrets.token_hex(4)}"
    database_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    data_dir = tempfile.mkdtemp(prefix="haven-bench-chat-")
    created = False
    try:
        psql(f"CREATE DATABASE {database}")
        created = True
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(MODEL_DIR)
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        print(f"Database {database}, Redis {REDIS_URL}, prefix {env['HAVEN_CACHE_PREFIX']}")
        started = time.perf_counter()
        run_haven(["safety_warmup"], env)
        run_haven(["migrate", "--noinput", "-v0"], env)
        seeded = run_haven(seed_chat_pairs_args(pair_count, "bench"), env)
        pairs = [json.loads(line) for line in seeded.splitlines() if line.startswith("{")]
        if len(pairs) != pair_count:
            raise RuntimeError(f"Seeded {len(pairs)} pairs, expected {pair_count}")
        print(f"Set up in {time.perf_counter() - started:.1f} s; starting {server_count} servers")
        with asgi_servers(server_count, env) as ports:
            figures = run_loop(chat_load(pairs, ports, messages, secrets.token_hex(3), interval))
        stored = count_rows(env)
        return figures, stored
    finally:
        if created:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


# --- Report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument(
        "--interval",
        type=float,
        default=3.0,
        help="seconds between one pair's messages (jittered); 0 sends back to back",
    )
    args = parser.parse_args()
    if args.pairs < 1 or args.messages < 1 or args.servers < 1:
        parser.error("--pairs, --messages and --servers must be at least 1")

    chat, stored = run_chat(args.pairs, args.messages, args.servers, args.interval)
    baseline = run_baseline(args.pairs, args.messages)

    expected_rows = args.pairs * args.messages + chat["warmup_messages"]
    chat["db_rows"] = stored["rows"]
    chat["db_rows_expected"] = expected_rows
    chat["db_duplicated"] = stored["rows"] - stored["distinct"]
    chat["db_held"] = stored["held"]
    p99 = chat["delivery"]["p99_ms"]
    lost, duplicated = chat["lost"], chat["duplicated"]
    stored_right = stored["rows"] == expected_rows and chat["db_duplicated"] == 0
    target_met = (
        lost == 0
        and duplicated == 0
        and stored_right
        and chat["unacked"] == 0
        and chat["errors"] == 0
        and chat["misrouted"] == 0
        and p99 is not None
        and p99 < TARGET_P99_MS
    )

    print(
        f"{'path':26} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'msg/s':>8} {'lost':>6} {'dup':>6}"
    )
    rows = [
        ("chat delivery", chat["delivery"], chat["messages_per_s"], lost, duplicated),
        ("chat ack (own)", chat["ack"], chat["messages_per_s"], chat["unacked"], "-"),
        (
            "baseline echo round trip",
            baseline["round_trip"],
            baseline["messages_per_s"],
            baseline["lost"],
            baseline["duplicated"],
        ),
    ]
    for name, figures, rate, lost_n, duplicated_n in rows:
        print(
            f"{name:26} {figures['p50_ms']!s:>8} {figures['p95_ms']!s:>8} "
            f"{figures['p99_ms']!s:>8} {figures['max_ms']!s:>8} {rate:>8} "
            f"{lost_n!s:>6} {duplicated_n!s:>6}"
        )
    print(
        f"{args.pairs} pairs x {args.messages} messages on {args.servers} server processes; "
        f"{chat['connections']} chat connections opened in {chat['connect_s']} s; "
        f"sending took {chat['sending_s']} s (baseline {baseline['sending_s']} s)"
    )
    print(
        f"Database: {stored['rows']} ChatMessage rows (expected {expected_rows}: "
        f"{args.pairs * args.messages} + {chat['warmup_messages']} warm-up), "
        f"{chat['db_duplicated']} duplicated, {stored['held']} held; errors {chat['errors']} "
        f"{chat['error_codes'] or ''}, misrouted {chat['misrouted']}; "
        f"first message per process (warm-up) acked in {chat['warmup_ack_ms']} ms"
    )
    note = "" if args.pairs == TARGET_PAIRS else f" (the target is stated at {TARGET_PAIRS} pairs)"
    print(
        f"Target: nothing lost or duplicated, chat delivery p99 < {TARGET_P99_MS:.0f} ms: "
        f"{'met' if target_met else 'NOT met'} (p99 {p99} ms, lost {lost}, "
        f"duplicated {duplicated}){note}"
    )
    print(
        json.dumps(
            {
                "bench": "chat",
                "pairs": args.pairs,
                "interval_s": args.interval,
                "messages_per_pair": args.messages,
                "servers": args.servers,
                "chat": chat,
                "baseline_echo": baseline,
                "target_met": target_met,
            }
        )
    )


if __name__ == "__main__":
    main()
