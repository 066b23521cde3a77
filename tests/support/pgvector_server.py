"""A throwaway PostgreSQL with pgvector, for the vector-index tests and the matching bench.

Debian's PostgreSQL here has no pgvector, so ``scripts/fetch_pgserver`` takes PostgreSQL 16 and
pgvector from the ``pgserver`` wheel and leaves them at ``var/pgserver/pginstall`` (or wherever
``HAVEN_PGSERVER_DIR`` points). :func:`running_pgvector_server` makes a new cluster in a
temporary folder, starts it on a free loopback port, yields its DSN and always stops it and
deletes the folder afterwards. Set ``HAVEN_PGVECTOR_URL`` to use a server of your own instead
(see :func:`pgvector_dsn`): its database must allow ``CREATE EXTENSION vector``.

PostgreSQL refuses to run as root, so when this process is root the server runs as the
``postgres`` system user, which then owns the temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTALL_DIR = ROOT / "var" / "pgserver" / "pginstall"
SERVER_USER = "postgres"
START_ATTEMPTS = 3

# Settings for a disposable test server: nothing needs to survive a crash.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "40",
    "shared_buffers": "256MB",
    "max_parallel_maintenance_workers": "2",
    "dynamic_shared_memory_type": "posix",
}


class PgServerUnavailable(RuntimeError):
    """The PostgreSQL binaries are not there: run scripts/fetch_pgserver."""


def pgserver_install_dir() -> Path | None:
    """The ``pginstall`` tree (``HAVEN_PGSERVER_DIR`` or ``var/pgserver/pginstall``), if usable."""
    configured = os.environ.get("HAVEN_PGSERVER_DIR")
    candidate = Path(configured) if configured else DEFAULT_INSTALL_DIR
    binaries = [candidate / "bin" / name for name in ("initdb", "pg_ctl", "postgres")]
    extension = candidate / "share" / "postgresql" / "extension" / "vector.control"
    if all(os.access(binary, os.X_OK) for binary in binaries) and extension.is_file():
        return candidate
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_user() -> str | None:
    """The user to run PostgreSQL as: ``postgres`` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PgServerUnavailable(
            f"PostgreSQL cannot run as root and there is no {SERVER_USER!r} user to run it as: "
            f"create one (useradd --system {SERVER_USER}) or run as an ordinary user"
        ) from None
    return SERVER_USER


def _environment(install_dir: Path) -> dict[str, str]:
    """The C locale, and the wheel's vendored libpq (copied into ``lib`` by fetch_pgserver)."""
    libraries = [str(install_dir / "lib"), os.environ.get("LD_LIBRARY_PATH", "")]
    return {
        **os.environ,
        "LC_ALL": "C",
        "LANG": "C",
        "LD_LIBRARY_PATH": os.pathsep.join(path for path in libraries if path),
    }


def _run(
    command: list[str], install_dir: Path, user: str | None, log: Path, timeout: float
) -> subprocess.CompletedProcess[bytes]:
    environment = _environment(install_dir)
    if user is not None:
        # runuser, not subprocess's user=: changing user between fork and exec in a process
        # with many threads (a test run, a worker) can hang the child.
        command = [
            "runuser", "-u", user, "--", "env",
            f"LD_LIBRARY_PATH={environment['LD_LIBRARY_PATH']}", "LC_ALL=C", "LANG=C", *command,
        ]  # fmt: skip
    with log.open("ab") as output:
        return subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
            env=environment,
        )


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(install_dir: Path, data_dir: Path, user: str | None, log: Path) -> None:
    """Stop the server now (immediate mode); signal the postmaster if pg_ctl cannot."""
    if not (data_dir / "postmaster.pid").exists():
        return
    command = [str(install_dir / "bin" / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "-w"]
    with contextlib.suppress(subprocess.TimeoutExpired):
        _run([*command, "stop"], install_dir, user, log, timeout=30)
    pid_file = data_dir / "postmaster.pid"
    if pid_file.exists():
        with contextlib.suppress(OSError, ValueError, IndexError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGQUIT)
            time.sleep(0.5)


@contextlib.contextmanager
def running_pgvector_server(install_dir: Path | str | None = None) -> Iterator[str]:
    """Start a fresh PostgreSQL with pgvector; yield its DSN; stop it and delete its files.

    The DSN is ``postgresql://postgres@127.0.0.1:<port>/postgres`` (trust authentication, loopback
    only). Raises :class:`PgServerUnavailable` when the binaries are missing.
    """
    install = Path(install_dir) if install_dir is not None else pgserver_install_dir()
    if install is None or not (install / "bin" / "initdb").exists():
        raise PgServerUnavailable(
            "PostgreSQL with pgvector is not installed: run scripts/fetch_pgserver "
            f"(looked in {install or os.environ.get('HAVEN_PGSERVER_DIR') or DEFAULT_INSTALL_DIR})"
        )
    user = _server_user()
    base = Path(tempfile.mkdtemp(prefix="haven-pgvector-"))
    data_dir = base / "data"
    log = base / "server.log"
    try:
        log.touch()
        if user is not None:
            entry = pwd.getpwnam(user)
            for path in (base, log):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        initdb = [
            str(install / "bin" / "initdb"),
            "-D",
            str(data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]
        result = _run(initdb, install, user, log, timeout=120)
        if result.returncode != 0:
            hint = (
                f" (it ran as the {user!r} user, who must be able to read {install})"
                if user
                else ""
            )
            raise RuntimeError(f"initdb failed ({result.returncode}){hint}:\n{_tail(log)}")
        options = " ".join(f"-c {name}={value}" for name, value in SERVER_SETTINGS.items())
        for attempt in range(START_ATTEMPTS):
            port = _free_port()
            start = [
                str(install / "bin" / "pg_ctl"),
                "-D",
                str(data_dir),
                "-o",
                f"-p {port} -k {base} {options}",
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "start",
            ]
            result = _run(start, install, user, log, timeout=90)
            if result.returncode == 0:
                break
            _stop(install, data_dir, user, log)
            if attempt == START_ATTEMPTS - 1:
                raise RuntimeError(f"PostgreSQL did not start ({result.returncode}):\n{_tail(log)}")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            _stop(install, data_dir, user, log)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def pgvector_dsn() -> Iterator[str]:
    """``HAVEN_PGVECTOR_URL`` when set, else the DSN of a server started for the duration."""
    configured = os.environ.get("HAVEN_PGVECTOR_URL")
    if configured:
        yield configured
        return
    with running_pgvector_server() as dsn:
        yield dsn
