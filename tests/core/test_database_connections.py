"""PostgreSQL connections are bounded per process (psycopg's pool, or PgBouncer), and a real
server process whose database goes away answers 503 with crisis lines, then recovers by itself
when the database is back."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest

from tests.support.devservers import ROOT, asgi_servers, free_port, haven, server_environment

POSTGRES = "postgres://postgres@127.0.0.1:5432"


def inherited_environment() -> dict[str, str]:
    """This process's environment without the database choices the suite itself runs with
    (`make test` turns the pool off), so each case states its own."""
    own = ("HAVEN_DB_POOL_SIZE", "HAVEN_DB_PGBOUNCER", "DATABASE_CONN_MAX_AGE")
    return {key: value for key, value in os.environ.items() if key not in own}


def database_settings(**env: str) -> dict:
    """settings.DATABASES["default"] as a fresh process computes it from these variables."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**inherited_environment(), "DJANGO_SETTINGS_MODULE": "haven.settings", **env},
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_uses_a_bounded_pool_per_process_and_no_persistent_connections():
    default = database_settings(DATABASE_URL=f"{POSTGRES}/haven", DATABASE_CONN_MAX_AGE="60")
    assert default["CONN_MAX_AGE"] == 0
    assert default["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 10, "timeout": 10.0}

    sized = database_settings(
        DATABASE_URL=f"{POSTGRES}/haven", HAVEN_DB_POOL_SIZE="4", HAVEN_DB_POOL_TIMEOUT="2.5"
    )
    assert sized["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 2.5}


def test_behind_pgbouncer_there_is_no_pool_and_no_server_side_cursor():
    bouncer = database_settings(
        DATABASE_URL="postgres://haven@127.0.0.1:6432/haven", HAVEN_DB_PGBOUNCER="true"
    )
    assert "pool" not in bouncer["OPTIONS"]
    assert bouncer["CONN_MAX_AGE"] == 0
    assert bouncer["DISABLE_SERVER_SIDE_CURSORS"] is True


class OnOffProxy:
    """A TCP relay to PostgreSQL that can be switched off (connections refused, the open ones
    cut, as when the server stops) and on again, on the same port."""

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self.target_port = target_port
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []

    def on(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def off(self) -> None:
        if self.listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # switched off
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def migrated_postgres(tmp_path):
    """A database of its own on the local PostgreSQL (the one the suite runs beside on the
    production path), migrated; dropped afterwards."""
    name = f"haven_outage_{uuid.uuid4().hex[:8]}"
    admin = f"{POSTGRES}/postgres"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        env = server_environment(f"{POSTGRES}/{name}", "", str(tmp_path))
        haven(["migrate", "--noinput", "-v0"], env)
        yield name
    finally:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])


def test_a_server_whose_database_stops_answers_503_with_crisis_lines_and_recovers_by_itself(
    migrated_postgres, tmp_path
):
    proxy = OnOffProxy(5432)
    env = server_environment(
        f"postgres://postgres@127.0.0.1:{proxy.port}/{migrated_postgres}", "", str(tmp_path)
    )
    env.update(HAVEN_DB_POOL_TIMEOUT="1", HAVEN_DB_POOL_SIZE="2")
    with asgi_servers(1, env) as (port,), httpx.Client(base_url=f"http://127.0.0.1:{port}") as web:

        def outage_page(path: str) -> httpx.Response:
            started = time.monotonic()
            response = web.get(path, timeout=30)
            # A bounded wait for a connection (1 s here), with room for a busy test machine.
            assert time.monotonic() - started < 15
            assert response.status_code == 503, response.text[:300]
            assert response.headers["Retry-After"]
            assert "988 Suicide &amp; Crisis Lifeline" in response.text
            assert 'href="/help/"' in response.text
            return response

        assert web.get("/healthz/", timeout=60).status_code == 200  # warm, no database
        outage_page("/help/")  # the database has been away since the server started
        # A signed-in visitor: the session is read in middleware, before any view, and the 500
        # handler turns that failure into the same 503.
        web.cookies.set("sessionid", "a" * 32)
        outage_page("/home/")
        web.cookies.clear()
        missing = web.get("/no-such-page/")
        assert missing.status_code == 404 and "Find A Helpline" in missing.text

        proxy.on()
        assert recovered(web), "the server did not recover after the database came back"

        proxy.off()  # the pooled connections are cut, as by a database restart
        outage_page("/help/")
        proxy.on()
        assert recovered(web), "the server did not recover after a second outage"
        proxy.off()


def recovered(web: httpx.Client, within: float = 20.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if web.get("/help/", timeout=30).status_code == 200:
            return True
        time.sleep(0.2)
    return False
