"""Real server processes for tests and benchmarks: Haven's ASGI app under uvicorn, several at
once on loopback ports, sharing one database and (for several processes) a Redis channel layer.

Also makes signed-in sessions without going through the login form, so a test or a benchmark
can open many authenticated WebSocket connections quickly: which is why this lives under tests/
and never in the product.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from haven.local_setup import prepare

ROOT = Path(__file__).resolve().parents[2]  # the repository


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"Nothing answered on port {port} within {timeout} s")


def haven(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """Run a `haven` management command with this environment."""
    return subprocess.run(
        [sys.executable, "-m", "haven.cli", *args],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=300, **kwargs,
    )  # fmt: skip


@contextmanager
def asgi_servers(
    count: int, env: dict[str, str], *, log_path: Path | None = None, log_level: str = "warning"
) -> Iterator[list[int]]:
    """Start `count` uvicorn processes of Haven; yields their ports; stops them afterwards.
    With `log_path`, their standard error (the log) is appended to that file."""
    ports = [free_port() for _ in range(count)]
    log = open(log_path, "ab") if log_path else None  # noqa: SIM115 (closed below)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "haven.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                log_level,
                "--ws-ping-interval",
                "0",
                # As scripts/serve: chat frames are small, compressing each costs the event loop;
                # start-up loads the vector index in the background (haven.asgi.lifespan).
                "--ws-per-message-deflate",
                "false",
                "--lifespan",
                "on",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log or subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_for_port(port)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            stop_process(process)
        if log:
            log.close()


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Asks a child process to stop (SIGTERM), and kills it if it has not within `timeout`."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def server_environment(database_url: str, redis_url: str, data_dir: str) -> dict[str, str]:
    # The servers' own data folder gets its key files as `make run` makes them.
    prepare(Path(data_dir))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "HAVEN_DATA_DIR": data_dir,
        # One prefix per database: user ids start again at 1 in each, so a shared prefix let
        # the presence of an earlier module's member (its servers killed, no close) linger.
        "HAVEN_CACHE_PREFIX": f"devservers-{os.getpid()}-{Path(data_dir).name}",
        "HAVEN_RATE_LIMITS_ENABLED": "false",
        "DJANGO_SETTINGS_MODULE": "haven.settings",
        # `haven shell -c` in these processes can import tests.support (seeding helpers).
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return env


def signed_in_session(user) -> str:
    """A session key for `user`, as the login form would create it (database sessions)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    from haven.accounts.two_factor import requires_two_factor

    if requires_two_factor(user):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


@contextmanager
def separate_database() -> Iterator[tuple[str, str]]:
    """(database URL, data folder) of a database of its own for server or worker processes:
    PostgreSQL when the suite runs there (DATABASE_URL), else an SQLite file. Removed after."""
    import tempfile
    import uuid

    base = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as data_dir:
        if base.startswith("postgres"):
            name = f"haven_separate_{uuid.uuid4().hex[:8]}"
            admin = base.rsplit("/", 1)[0] + "/postgres"
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
            try:
                yield base.rsplit("/", 1)[0] + f"/{name}", data_dir
            finally:
                subprocess.run(
                    ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"]
                )
        else:
            yield f"sqlite:///{data_dir}/haven.sqlite3", data_dir


def seed_chat_pairs(pairs: int, prefix: str) -> None:
    """Print one JSON line per seeker-listener pair already in conversation, with signed-in
    sessions (for multi-process tests and bench/chat.py). It creates accounts: tests only."""
    import json

    from django.db import transaction

    from haven.accounts.actions import do_create_user, do_publish_guidelines
    from haven.accounts.guidelines import current_guidelines
    from haven.chat.models import Conversation, ListenerProfile

    with transaction.atomic():
        guidelines = current_guidelines() or do_publish_guidelines("Be kind.")
        for n in range(pairs):
            name = f"{prefix}{n}"
            seeker = do_create_user(f"{name}_s", None, guidelines_version=guidelines.version)
            listener = do_create_user(
                f"{name}_l", None, guidelines_version=guidelines.version, role="listener"
            )
            ListenerProfile.objects.create(
                user=listener, status=ListenerProfile.Status.LISTENER, max_chats=1
            )
            conversation = Conversation.objects.create(seeker=seeker, listener=listener)
            print(
                json.dumps(
                    {
                        "conversation": conversation.pk,
                        "seeker_id": seeker.pk,
                        "listener_id": listener.pk,
                        "seeker_session": signed_in_session(seeker),
                        "listener_session": signed_in_session(listener),
                    }
                )
            )


def seed_chat_pairs_args(pairs: int, prefix: str) -> list[str]:
    """The `haven` arguments that run seed_chat_pairs in a server environment."""
    code = (
        "from tests.support.devservers import seed_chat_pairs; "
        f"seed_chat_pairs({int(pairs)}, {prefix!r})"
    )
    return ["shell", "-v0", "-c", code]
