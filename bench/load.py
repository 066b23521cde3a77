"""HTTP load on the production set-up: concurrent signed-in members on two Haven processes
(uvicorn, PostgreSQL through the per-process connection pool, Redis), beside Django's floor.

Run: .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--servers 2] [--no-worker]
Needs PostgreSQL at postgres://postgres@127.0.0.1:5432 with trust auth (the bench creates a
database of its own, haven_load_<random>, and drops it at the end) and Redis at REDIS_URL or
redis://127.0.0.1:6379/4 (nothing is flushed: every key carries this run's own prefix).
Loopback only; users, seconds and servers are capped (MAX_* below).

Two phases in one run, each --users concurrent users for --seconds, spread evenly over the
server processes, each user sending its next request as soon as the last one is answered (no
pause: this is the most the set-up carries, not how people browse):
  minimal  GET /healthz/: a trivial view through the whole middleware stack, no database.
  mix      signed-in members cycling through the home feed, a thread page, a search (the
           default hybrid search, a new query each time) and posting a reply to a thread
           (a form POST with its CSRF token; success is the redirect back to the thread).
An error is any other status, or no answer within REQUEST_TIMEOUT. The background worker runs
beside the servers (as in production) on the same pool settings, embedding the new replies.
During the phases the bench counts the database's server connections every half second: the
pool keeps them at most servers x HAVEN_DB_POOL_SIZE (+ the worker's). The last line is JSON.
"""

import argparse
import asyncio
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
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.devservers import asgi_servers, haven, server_environment  # noqa: E402

POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/4"
MODEL_DIR = ROOT / "var" / "models"
MAX_USERS = 200
MAX_SECONDS = 300
MAX_SERVERS = 4
REQUEST_TIMEOUT = 30.0
SEARCH_WORDS = ["sleep", "anxious", "work", "lonely", "exams", "family", "panic", "tired"]

# Run inside `haven shell`: bench members who have accepted the guidelines, joined every
# community and are signed in; the threads they read and answer. Prints one JSON line.
SEED = """
import json
from haven.accounts.actions import do_create_user
from haven.accounts.guidelines import current_guidelines
from haven.communities.actions import do_join_community
from haven.communities.models import Community
from tests.support.devservers import signed_in_session
from haven.forums.models import Thread

version = current_guidelines().version
communities = list(Community.objects.all())
sessions = []
for n in range(USERS):
    user = do_create_user(f"load_member_{n:03d}", "a-long-calm-load-password-42",
                          guidelines_version=version)
    for community in communities:
        do_join_community(user, community)
    sessions.append(signed_in_session(user))
threads = [t.get_absolute_url() for t in Thread.objects.filter(is_locked=False)[:20]]
print(json.dumps({"sessions": sessions, "threads": threads}))
"""


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
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


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


async def minimal_user(base: str, phase: Phase, until: float) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT) as web:
        while time.perf_counter() < until:
            await send(
                phase, "minimal", lambda: web.get("/healthz/"), lambda r: r.status_code == 200
            )


async def mix_user(
    base: str, session: str, threads: list[str], phase: Phase, until: float, number: int
) -> None:
    rng = random.Random(number)
    cookies = {"sessionid": session}
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, cookies=cookies) as web:
        # The CSRF cookie a browser gets with its first form page.
        await web.get(threads[number % len(threads)])
        csrf = web.cookies.get("csrftoken", "")
        step, sent = rng.randrange(4), 0
        while time.perf_counter() < until:
            thread = rng.choice(threads)
            kind = ("feed", "thread", "search", "reply")[step % 4]
            step, sent = step + 1, sent + 1
            if kind == "feed":
                request = lambda: web.get("/home/")  # noqa: E731
            elif kind == "thread":
                request = lambda t=thread: web.get(t)  # noqa: E731
            elif kind == "search":
                words = f"{rng.choice(SEARCH_WORDS)} {rng.choice(SEARCH_WORDS)} {sent}"
                request = lambda q=words: web.get("/search/", params={"q": q})  # noqa: E731
            else:
                body = f"Thinking of you today, from member {number} ({sent}). Take care."
                request = lambda t=thread, b=body: web.post(  # noqa: E731
                    f"{t}reply/", data={"body": b}, headers={"X-CSRFToken": csrf}
                )
            if kind == "reply":

                def posted(response, t=thread) -> bool:
                    location = response.headers.get("location", "")
                    return response.status_code == 302 and location.startswith(t)

                await send(phase, kind, request, posted)
            else:
                await send(phase, kind, request, lambda r: r.status_code == 200)


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


async def load(ports: list[int], seeded: dict, users: int, seconds: float, db: str) -> dict:
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    sessions, threads = seeded["sessions"], seeded["threads"]
    # Warm each process (imports, the safety and embedding models, the pool) before measuring.
    async with httpx.AsyncClient(timeout=120, cookies={"sessionid": sessions[0]}) as web:
        for base in bases:
            for path in ("/healthz/", "/home/", threads[0], "/search/?q=warm+up"):
                await web.get(base + path)
    minimal = [
        lambda phase, until, n=n: minimal_user(bases[n % len(bases)], phase, until)
        for n in range(users)
    ]
    mix = [
        lambda phase, until, n=n: mix_user(
            bases[n % len(bases)], sessions[n], threads, phase, until, n
        )
        for n in range(users)
    ]
    return {
        "minimal": await run_phase("minimal", minimal, seconds, db),
        "mix": await run_phase("mix", mix, seconds, db),
    }


def run(users: int, seconds: float, server_count: int, with_worker: bool, embeddings: str) -> dict:
    database = f"haven_load_{secrets.token_hex(4)}"
    database_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    data_dir = tempfile.mkdtemp(prefix="haven-bench-load-")
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
        pool_size = int(env.setdefault("HAVEN_DB_POOL_SIZE", "10"))
        print(f"Database {database}, Redis {REDIS_URL}, prefix {env['HAVEN_CACHE_PREFIX']}")
        print(
            f"PostgreSQL max_connections {psql('SHOW max_connections')}; "
            f"pool {pool_size} per process x {server_count} servers"
            + (" + the worker" if with_worker else "")
        )
        started = time.perf_counter()
        run_haven(["safety_warmup"], env)
        run_haven(["migrate", "--noinput", "-v0"], env)
        run_haven(["load_demo_data"], env)
        run_haven(["reembed"], env)
        seed = SEED.replace("USERS", str(users))
        output = run_haven(["shell", "-v0", "-c", seed], env)
        seeded = json.loads(output.strip().splitlines()[-1])
        print(f"Set up in {time.perf_counter() - started:.1f} s; {users} users, {seconds:g} s")
        with worker(env, with_worker), asgi_servers(server_count, env) as ports:
            figures = asyncio.run(load(ports, seeded, users, seconds, database))
        replies = psql(
            "SELECT count(*) FROM forums_post WHERE author_id IN (SELECT id FROM accounts_user "
            "WHERE pseudonym LIKE 'load_member_%')",
            database,
        )
        figures["replies_stored"] = int(replies)
        figures["pool_size_per_process"] = pool_size
        return figures
    finally:
        if created:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help=f"at most {MAX_USERS}")
    parser.add_argument("--seconds", type=float, default=60.0, help=f"at most {MAX_SECONDS}")
    parser.add_argument("--servers", type=int, default=2, help=f"at most {MAX_SERVERS}")
    parser.add_argument("--no-worker", action="store_true", help="no background worker")
    parser.add_argument("--embeddings", choices=["hashing", "minilm"], default="hashing")
    args = parser.parse_args()
    if not (1 <= args.users <= MAX_USERS and 1 <= args.seconds <= MAX_SECONDS):
        parser.error(f"--users 1..{MAX_USERS}, --seconds 1..{MAX_SECONDS}")
    if not 1 <= args.servers <= MAX_SERVERS:
        parser.error(f"--servers 1..{MAX_SERVERS}")

    print(f"Haven under load: {args.users} concurrent users, {args.servers} processes")
    figures = run(args.users, args.seconds, args.servers, not args.no_worker, args.embeddings)
    posted = figures["mix"]["by_kind"].get("reply", {}).get("ok", 0)
    print(f"  replies posted {posted}, stored {figures['replies_stored']}")
    errors = figures["minimal"]["errors"] + figures["mix"]["errors"]
    print(
        json.dumps(
            {
                "bench": "load",
                "users": args.users,
                "seconds": args.seconds,
                "servers": args.servers,
                "worker": not args.no_worker,
                "embeddings": args.embeddings,
                **figures,
            }
        )
    )
    sys.exit(0 if errors == 0 and posted > 0 else 1)


if __name__ == "__main__":
    main()
