"""HTTP and chat load on the production set-up: concurrent signed-in members through Debian's
nginx (deploy/nginx/haven.conf, TLS) in front of 2 and then 4 Haven processes (uvicorn,
PostgreSQL through the per-process connection pool, Redis), beside Django's floor.

Run: .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--servers 2,4] [--no-worker]
     [--direct]
Needs PostgreSQL at postgres://postgres@127.0.0.1:5432 with trust auth (the bench creates a
database of its own, haven_load_<random>, and drops it at the end) and Redis at REDIS_URL or
redis://127.0.0.1:6379/4 (nothing is flushed: every key carries this run's own prefix).
Loopback only; users, seconds and servers are capped (MAX_* below). nginx is Debian's
(`make proxy`); --direct sends the requests to the processes themselves instead, in turns.

For each number of processes in --servers, two phases, each --users concurrent users for
--seconds, each user sending its next request as soon as the last one is answered (no pause:
this is the most the set-up carries, not how people browse):
  minimal  GET /healthz/: a trivial view through the proxy and the whole middleware stack, no
           database.
  mix      signed-in members cycling through the home feed, a thread page, a search (the
           default hybrid search, a new query each time), posting a reply to a thread (a form
           POST with its CSRF token; success is the redirect back to the thread), a reaction to
           a post (the same form, toggled) and a chat message to their listener over the chat
           WebSocket opened through the proxy (success is the server's acknowledgement).
An error is any other status, or no answer within REQUEST_TIMEOUT. The background worker runs
beside the servers (as in production) on the same pool settings, embedding the new replies.
During the phases the bench counts the database's server connections every half second: the
pool keeps them at most servers x HAVEN_DB_POOL_SIZE (+ the worker's). The processes run
HAVEN_HTTP_CONCURRENCY requests at a time each, Haven's default 2 unless set (0 for no turns, to
compare). The last line is JSON.
"""

import argparse
import asyncio
import json
import math
import os
import random
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.deployment import NGINX, running_nginx  # noqa: E402
from tests.support.devservers import (  # noqa: E402
    asgi_servers,
    free_port,
    haven,
    server_environment,
    stop_process,
    wait_for_port,
)

POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/4"
MODEL_DIR = ROOT / "var" / "models"
MAX_USERS = 200
MAX_SECONDS = 300
MAX_SERVERS = 4
REQUEST_TIMEOUT = 30.0
SEARCH_WORDS = ["sleep", "anxious", "work", "lonely", "exams", "family", "panic", "tired"]

# Run inside `haven shell`: bench members who have accepted the guidelines, joined every
# community, are signed in and each in a chat with a listener of their own; the threads they
# read and answer and the posts they react to. Prints one JSON line.
SEED = """
import json
from haven.accounts.actions import do_create_user
from haven.accounts.guidelines import current_guidelines
from haven.chat.models import Conversation, ListenerProfile
from haven.communities.actions import do_join_community
from haven.communities.models import Community
from tests.support.devservers import signed_in_session
from haven.forums.models import Post, Thread

version = current_guidelines().version
communities = list(Community.objects.all())
sessions, conversations = [], []
for n in range(USERS):
    user = do_create_user(f"load_member_{n:03d}", "a-long-calm-load-password-42",
                          guidelines_version=version)
    for community in communities:
        do_join_community(user, community)
    sessions.append(signed_in_session(user))
    listener = do_create_user(f"load_listener_{n:03d}", None, guidelines_version=version,
                              role="listener")
    ListenerProfile.objects.create(user=listener, status="listener", max_chats=1)
    conversations.append(Conversation.objects.create(seeker=user, listener=listener).pk)
open_threads = Thread.objects.filter(is_locked=False)[:20]
threads = [t.get_absolute_url() for t in open_threads]
posts = list(Post.objects.filter(thread__in=open_threads).values_list("public_id", flat=True))
print(json.dumps({"sessions": sessions, "threads": threads, "conversations": conversations,
                  "posts": [str(p) for p in posts]}))
"""
REACTIONS = ["hug", "metoo", "thanks"]


def percentile(ordered: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return None
    return round(ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1], 1)


def psql(sql: str, database: str = "postgres", check: bool = True) -> str:
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    done = subprocess.run(  # noqa: S603 - our own statements, on loopback
        ["psql", url, "-qAtc", sql],  # noqa: S607
        capture_output=True, text=True, check=check, timeout=60,
    )  # fmt: skip
    return done.stdout.strip()


def run_haven(args: list[str], env: dict[str, str]) -> str:
    try:
        return haven(args, env).stdout
    except subprocess.CalledProcessError as error:
        tail = (error.stderr or "").strip().splitlines()[-15:]
        raise RuntimeError(f"haven {' '.join(args)} failed:\n" + "\n".join(tail)) from None


@contextmanager
def worker(env: dict[str, str], enabled: bool):
    if not enabled:
        yield
        return
    process = subprocess.Popen(
        [sys.executable, "-m", "haven.cli", "worker"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        stop_process(process)


# --- Load


class Phase:
    """What one phase's users saw: latency and outcome per request kind."""

    def __init__(self) -> None:
        self.timings: dict[str, list[float]] = {}
        self.outcomes: dict[str, Counter] = {}

    def record(self, kind: str, started: float, outcome: str) -> None:
        self.timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        self.outcomes.setdefault(kind, Counter())[outcome] += 1

    def figures(self, wall: float) -> dict:
        def summary(timings: list[float], outcomes: Counter) -> dict:
            ordered = sorted(timings)
            errors = {k: v for k, v in outcomes.items() if k != "ok"}
            return {
                "requests": len(ordered),
                "ok": outcomes["ok"],
                "errors": sum(errors.values()),
                "errors_by_status": errors,
                "requests_per_s": round(len(ordered) / wall, 1),
                "p50_ms": percentile(ordered, 50),
                "p95_ms": percentile(ordered, 95),
                "p99_ms": percentile(ordered, 99),
                "max_ms": round(ordered[-1], 1) if ordered else None,
            }

        every = [t for timings in self.timings.values() for t in timings]
        total = sum(self.outcomes.values(), Counter())
        return {
            **summary(every, total),
            "wall_s": round(wall, 1),
            "by_kind": {
                kind: summary(self.timings[kind], self.outcomes[kind]) for kind in self.timings
            },
        }


async def send(phase: Phase, kind: str, request, expect) -> None:
    started = time.perf_counter()
    try:
        response = await request()
    except httpx.HTTPError as error:
        phase.record(kind, started, type(error).__name__)
        return
    phase.record(kind, started, "ok" if expect(response) else str(response.status_code))


async def minimal_user(base: str, verify, phase: Phase, until: float) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, verify=verify) as web:
        while time.perf_counter() < until:
            await send(
                phase, "minimal", lambda: web.get("/healthz/"), lambda r: r.status_code == 200
            )


async def open_chat(base: str, verify, session: str, conversation: int):
    """The member's chat socket, as the chat page opens it (through the proxy when there is
    one); the server's first frame is the history."""
    scheme = "wss" if base.startswith("https") else "ws"
    socket = await websockets.connect(
        f"{scheme}://{base.split('://', 1)[1]}/ws/chat/{conversation}/",
        additional_headers={"Origin": base, "Cookie": f"sessionid={session}"},
        ssl=verify if scheme == "wss" else None,
        open_timeout=REQUEST_TIMEOUT, ping_interval=None, close_timeout=5,
    )  # fmt: skip
    frame = json.loads(await asyncio.wait_for(socket.recv(), REQUEST_TIMEOUT))
    if frame.get("type") != "history":
        raise RuntimeError(f"Expected the chat history first, got {frame!r}")
    return socket


async def chat_message(socket, body: str) -> bool:
    """Sends one message and waits for its acknowledgement (True) or an error (False)."""
    client_id = secrets.token_hex(8)
    await socket.send(json.dumps({"type": "message", "body": body, "client_id": client_id}))
    async with asyncio.timeout(REQUEST_TIMEOUT):
        while True:
            frame = json.loads(await socket.recv())
            if frame.get("client_id") == client_id and frame.get("type") in ("ack", "error"):
                return frame["type"] == "ack"


async def mix_user(
    base: str, verify, session: str, conversation: int, seeded: dict, phase: Phase,
    until: float, number: int,
) -> None:  # fmt: skip
    rng = random.Random(number)
    threads, posts = seeded["threads"], seeded["posts"]
    cookies = {"sessionid": session}
    # A browser's form POST names its page: Django checks the origin of a POST over HTTPS.
    headers = {"Origin": base, "Referer": f"{base}/"}
    async with httpx.AsyncClient(
        base_url=base, timeout=REQUEST_TIMEOUT, cookies=cookies, verify=verify, headers=headers
    ) as web:
        # The CSRF cookie a browser gets with its first form page.
        await web.get(threads[number % len(threads)])
        csrf = web.cookies.get("csrftoken", "")
        started = time.perf_counter()
        try:
            chat = await open_chat(base, verify, session, conversation)
        except (OSError, TimeoutError, RuntimeError, websockets.WebSocketException) as error:
            phase.record("chat_open", started, type(error).__name__)
            chat = None
        else:
            phase.record("chat_open", started, "ok")
        step, sent = rng.randrange(len(MIX)), 0
        try:
            while time.perf_counter() < until:
                kind = MIX[step % len(MIX)]
                step, sent = step + 1, sent + 1
                await mix_step(kind, web, csrf, chat, rng, threads, posts, phase, number, sent)
        finally:
            if chat is not None:
                await chat.close()


MIX = ("feed", "thread", "search", "reply", "react", "chat")


async def mix_step(kind, web, csrf, chat, rng, threads, posts, phase, number, sent) -> None:
    thread = rng.choice(threads)
    ok = lambda r: r.status_code == 200  # noqa: E731
    if kind == "feed":
        await send(phase, kind, lambda: web.get("/home/"), ok)
    elif kind == "thread":
        await send(phase, kind, lambda: web.get(thread), ok)
    elif kind == "search":
        words = f"{rng.choice(SEARCH_WORDS)} {rng.choice(SEARCH_WORDS)} {sent}"
        await send(phase, kind, lambda: web.get("/search/", params={"q": words}), ok)
    elif kind == "reply":
        body = f"Thinking of you today, from member {number} ({sent}). Take care."

        def posted(response) -> bool:
            location = response.headers.get("location", "")
            return response.status_code == 302 and location.startswith(thread)

        await send(
            phase, kind,
            lambda: web.post(f"{thread}reply/", data={"body": body},
                             headers={"X-CSRFToken": csrf}),
            posted,
        )  # fmt: skip
    elif kind == "react":
        post, reaction = rng.choice(posts), rng.choice(REACTIONS)
        await send(
            phase, kind,
            lambda: web.post(f"/posts/{post}/react/{reaction}/", headers={"X-CSRFToken": csrf}),
            lambda r: r.status_code == 302,
        )  # fmt: skip
    elif chat is not None:
        started = time.perf_counter()
        body = f"Thanks for being here, message {sent} from member {number}."
        try:
            acknowledged = await chat_message(chat, body)
        except (OSError, TimeoutError, websockets.WebSocketException) as error:
            phase.record(kind, started, type(error).__name__)
        else:
            phase.record(kind, started, "ok" if acknowledged else "refused")


async def count_connections(database: str, samples: list[int], stop: asyncio.Event) -> None:
    sql = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'"  # noqa: S608
    while not stop.is_set():
        count = await asyncio.to_thread(psql, sql, "postgres", False)
        if count.isdigit():
            samples.append(int(count))
        await asyncio.sleep(0.5)


async def run_phase(name: str, users, seconds: float, database: str) -> dict:
    phase, samples, stop = Phase(), [], asyncio.Event()
    counter = asyncio.create_task(count_connections(database, samples, stop))
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(user(phase, until) for user in users))
    wall = time.perf_counter() - started
    stop.set()
    await counter
    figures = phase.figures(wall)
    figures["db_connections_max"] = max(samples, default=0)
    print(
        f"  {name:8} {figures['requests']:>6} requests, {figures['errors']} errors "
        f"{figures['errors_by_status'] or ''}, {figures['requests_per_s']} req/s, "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms; "
        f"at most {figures['db_connections_max']} database connections"
    )
    for kind, numbers in figures["by_kind"].items() if name == "mix" else ():
        print(
            f"    {kind:7} {numbers['requests']:>6} requests, {numbers['errors']} errors, "
            f"p50 {numbers['p50_ms']} ms, p99 {numbers['p99_ms']} ms"
        )
    return figures


async def load(bases: list[str], verify, seeded: dict, users: int, seconds: float,
               database: str) -> dict:  # fmt: skip
    sessions, conversations = seeded["sessions"], seeded["conversations"]
    # Warm each process (imports, the safety and embedding models, the pool) before measuring:
    # through the proxy, one request per process and path in turn reaches each.
    async with httpx.AsyncClient(
        timeout=120, cookies={"sessionid": sessions[0]}, verify=verify
    ) as web:
        for base in bases:
            for path in ("/healthz/", "/home/", seeded["threads"][0], "/search/?q=warm+up"):
                for _ in range(WARM_ROUNDS):
                    await web.get(base + path)
    minimal = [
        lambda phase, until, n=n: minimal_user(bases[n % len(bases)], verify, phase, until)
        for n in range(users)
    ]
    mix = [
        lambda phase, until, n=n: mix_user(
            bases[n % len(bases)], verify, sessions[n], conversations[n], seeded, phase, until, n
        )
        for n in range(users)
    ]
    return {
        "minimal": await run_phase("minimal", minimal, seconds, database),
        "mix": await run_phase("mix", mix, seconds, database),
    }


WARM_ROUNDS = 4  # nginx takes turns among up to MAX_SERVERS processes


@contextmanager
def entry_points(ports: list[int], direct: bool, folder: Path):
    """(base URLs, TLS verification) the users send to: nginx with the shipped site file in
    front of the processes, or with --direct the processes themselves."""
    if direct:
        yield [f"http://127.0.0.1:{port}" for port in ports], True
        return
    http, https = free_port(), free_port()
    with running_nginx(folder, http, https, ports) as certificate:
        wait_for_port(https)
        yield [f"https://127.0.0.1:{https}"], ssl.create_default_context(cafile=str(certificate))


def production_settings(env: dict[str, str], folder: Path) -> None:
    """What deploy/haven.env.example sets about the proxy: HTTPS with nginx as the one trusted
    proxy. The site address is the proxy's, which is only known once its port is."""
    env |= {
        "HAVEN_HTTPS": "true",
        "HAVEN_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HAVEN_STATIC_ROOT": str(folder / "static"),
    }


def run(
    users: int, seconds: float, server_counts: list[int], with_worker: bool, embeddings: str,
    direct: bool,
) -> dict:  # fmt: skip
    database = f"haven_load_{secrets.token_hex(4)}"
    database_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    data_dir = tempfile.mkdtemp(prefix="haven-bench-load-")
    folder = Path(data_dir) / "proxy"
    folder.mkdir()
    created = False
    try:
        psql(f"CREATE DATABASE {database}")
        created = True
        env = server_environment(database_url, REDIS_URL, data_dir)
        env["HAVEN_MODEL_DIR"] = str(MODEL_DIR)
        env["HAVEN_CACHE_PREFIX"] = f"load-{database}"
        # As in bench/chat.py: the safety screen's fast path only. Search and the worker embed
        # with hashed n-grams unless --embeddings minilm: the model's cost is measured in
        # bench/pages.py; this bench is about connections under concurrency.
        env["HAVEN_SAFETY_EMBEDDINGS"] = "off"
        env["HAVEN_EMBEDDINGS"] = embeddings
        if not direct:
            production_settings(env, folder)
        pool_size = int(env.setdefault("HAVEN_DB_POOL_SIZE", "10"))
        # Haven's default unless the run sets it (HAVEN_HTTP_CONCURRENCY=0: no turns).
        turns = int(env.setdefault("HAVEN_HTTP_CONCURRENCY", "2"))
        print(f"Database {database}, Redis {REDIS_URL}, prefix {env['HAVEN_CACHE_PREFIX']}")
        print(
            f"PostgreSQL max_connections {psql('SHOW max_connections')}; "
            f"pool {pool_size} per process" + (" + the worker" if with_worker else "")
            + f"; {turns or 'any number of'} requests at a time per process"
            + ("; direct to the processes" if direct else "; through nginx (TLS)")
        )  # fmt: skip
        started = time.perf_counter()
        run_haven(["safety_warmup"], env)
        run_haven(["migrate", "--noinput", "-v0"], env)
        run_haven(["load_demo_data"], env)
        run_haven(["reembed"], env)
        seed = SEED.replace("USERS", str(users))
        output = run_haven(["shell", "-v0", "-c", seed], env)
        seeded = json.loads(output.strip().splitlines()[-1])
        print(f"Set up in {time.perf_counter() - started:.1f} s; {users} users, {seconds:g} s")
        by_servers = {}
        for count in server_counts:
            print(f"{count} processes:")
            log = Path(data_dir) / f"servers-{count}.log"
            with (
                worker(env, with_worker),
                asgi_servers(count, env, log_path=log) as ports,
                entry_points(ports, direct, folder) as (bases, verify),
            ):
                by_servers[count] = asyncio.run(
                    load(bases, verify, seeded, users, seconds, database)
                )
        replies = psql(
            "SELECT count(*) FROM forums_post WHERE author_id IN (SELECT id FROM accounts_user "
            "WHERE pseudonym LIKE 'load_member_%')",
            database,
        )
        messages = psql(
            "SELECT count(*) FROM chat_chatmessage WHERE sender_id IN (SELECT id FROM "
            "accounts_user WHERE pseudonym LIKE 'load_member_%')",
            database,
        )
        return {
            "by_servers": by_servers,
            "replies_stored": int(replies),
            "chat_messages_stored": int(messages),
            "pool_size_per_process": pool_size,
            "http_concurrency_per_process": turns,
        }
    finally:
        if created:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help=f"at most {MAX_USERS}")
    parser.add_argument("--seconds", type=float, default=60.0, help=f"at most {MAX_SECONDS}")
    parser.add_argument(
        "--servers", default="2,4", help=f"process counts, one run each (at most {MAX_SERVERS})"
    )
    parser.add_argument("--no-worker", action="store_true", help="no background worker")
    parser.add_argument("--embeddings", choices=["hashing", "minilm"], default="hashing")
    parser.add_argument("--direct", action="store_true", help="no proxy: straight to uvicorn")
    args = parser.parse_args()
    if not (1 <= args.users <= MAX_USERS and 1 <= args.seconds <= MAX_SECONDS):
        parser.error(f"--users 1..{MAX_USERS}, --seconds 1..{MAX_SECONDS}")
    try:
        counts = [int(part) for part in args.servers.split(",")]
    except ValueError:
        parser.error("--servers: numbers separated by commas, such as 2,4")
    if not all(1 <= count <= MAX_SERVERS for count in counts):
        parser.error(f"--servers: each 1..{MAX_SERVERS}")
    if not args.direct and not NGINX.is_file():
        parser.error(f"Debian's nginx is not at {NGINX}: run `make proxy`, or use --direct")

    print(f"Haven under load: {args.users} concurrent users, {args.servers} processes")
    figures = run(
        args.users, args.seconds, counts, not args.no_worker, args.embeddings, args.direct
    )
    print(f"{'processes':>9} {'minimal req/s':>13} {'mix req/s':>9} {'ratio':>6} "
          f"{'mix p50':>8} {'mix p99':>8} {'errors':>6}")  # fmt: skip
    errors = posted = 0
    for count, phases in figures["by_servers"].items():
        minimal, mix = phases["minimal"], phases["mix"]
        ratio = (
            mix["requests_per_s"] / minimal["requests_per_s"] if minimal["requests_per_s"] else 0
        )
        phases["mix_vs_minimal"] = round(ratio, 3)
        errors += minimal["errors"] + mix["errors"]
        posted += mix["by_kind"].get("reply", {}).get("ok", 0)
        print(f"{count:>9} {minimal['requests_per_s']:>13} {mix['requests_per_s']:>9} "
              f"{ratio:>6.2f} {mix['p50_ms']:>8} {mix['p99_ms']:>8} "
              f"{minimal['errors'] + mix['errors']:>6}")  # fmt: skip
    print(
        f"  replies posted {posted}, stored {figures['replies_stored']}; chat messages stored "
        f"{figures['chat_messages_stored']}"
    )
    print(
        json.dumps(
            {
                "bench": "load",
                "users": args.users,
                "seconds": args.seconds,
                "servers": counts,
                "proxy": not args.direct,
                "worker": not args.no_worker,
                "embeddings": args.embeddings,
                **figures,
            }
        )
    )
    sys.exit(0 if errors == 0 and posted > 0 else 1)


if __name__ == "__main__":
    main()
