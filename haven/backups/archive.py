"""Backups and restores: the database, the licence evidence files and a manifest, never the keys.

A backup is a folder `backup-<UTC time>/` holding:
- `database.sqlite3` (SQLite's online backup: a consistent copy while the site runs) or
  `database.pgdump` (pg_dump's custom format, taken in an exported snapshot);
- `evidence.tar.gz`, the therapists' licence evidence (HAVEN_EVIDENCE_DIR);
- `manifest.json`: what was saved, the row count of every table in that same snapshot, a
  SHA-256 of each file, and fingerprints of the encryption keys (never the keys).

Journals, check-in notes, safety plans and care messages are encrypted with
HAVEN_ENCRYPTION_KEYS, which live apart from the database. A backup without its keys cannot be
read: that is the point, so a stolen backup disk reveals no private text. `export_keys` writes
them to a separate file for the host to keep somewhere else (docs/deploy.md says where).

A restore goes only into an empty database, checks every file against the manifest and that the
keys are here before it touches anything, then checks the row counts against the manifest and
applies newer migrations.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
EVIDENCE_FILE = "evidence.tar.gz"
PREFIX = "backup-"
LEDGER_FILE = "deleted-accounts.ledger"


class BackupError(Exception):
    """Something a host must fix: the message says what, in plain words."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    manifest: dict[str, Any]


def key_fingerprint(key: str) -> str:
    # A hash of a random 256-bit key says nothing about it, and tells two keys apart.
    return hashlib.sha256(key.strip().encode()).hexdigest()[:16]


def current_fingerprints() -> list[str]:
    return [key_fingerprint(key) for key in settings.HAVEN_ENCRYPTION_KEYS]


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _tables() -> list[str]:
    """Every table Haven's models (and the libraries it uses) keep, sorted."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _private_folder(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection arguments and environment, from Django's settings."""
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # never on the command line, where ps shows it
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        # The programs are PostgreSQL's own; the arguments come from settings, never a request.
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as missing:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs "
            f"(Debian: apt install postgresql-client) to {what}."
        ) from missing
    except subprocess.CalledProcessError as failed:
        raise BackupError(f"{command[0]} could not {what}: {failed.stderr.strip()}") from failed


# --- Backup


def _sqlite_backup(target: Path) -> dict[str, int]:
    """SQLite's online backup API: a consistent copy even while requests write (WAL)."""
    source_path = settings.DATABASES["default"]["NAME"]
    with (
        closing(sqlite3.connect(source_path, timeout=20)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    with closing(sqlite3.connect(target)) as copy:
        return _sqlite_counts(copy)


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return {
        table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608 (model tables)
        for table in _tables()
        if table in present
    }


def _postgres_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
    )
    present = {row[0] for row in cursor.fetchall()}
    counts = {}
    for table in _tables():
        if table in present:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (model tables)
            counts[table] = cursor.fetchone()[0]
    return counts


def _postgres_backup(target: Path) -> dict[str, int]:
    """pg_dump inside a snapshot this connection exported: the row counts in the manifest are
    those of the very state the dump holds, even while the site keeps writing."""
    import psycopg

    db = settings.DATABASES["default"]
    args, env = _postgres_environment()
    conninfo = {
        "dbname": db["NAME"],
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    given = {key: value for key, value in conninfo.items() if value}
    with (
        psycopg.connect(**given, autocommit=True) as snapshot_holder,
        snapshot_holder.cursor() as cursor,
    ):
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _postgres_counts(cursor)
        _run(
            [
                "pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
                f"--snapshot={snapshot}", f"--file={target}", str(db["NAME"]),
            ],
            env,
            "make a copy of the database",
        )  # fmt: skip
        cursor.execute("COMMIT")
    return counts


def _evidence_backup(target: Path) -> int:
    folder = Path(settings.HAVEN_EVIDENCE_DIR)
    files = sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []
    with tarfile.open(target, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(folder)), recursive=False)
    return len(files)


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def create_backup(destination: Path, *, keep: int) -> Backup:
    """Write one backup folder under `destination`, then remove the oldest beyond `keep`."""
    _private_folder(destination)
    stamp = datetime.now(UTC)
    folder = destination / f"{PREFIX}{stamp:%Y%m%d-%H%M%S-%f}"
    # Written beside, then renamed: a backup stopped half-way never looks like a whole one.
    partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=destination))
    try:
        engine = _engine()
        if engine == "sqlite":
            database_file = SQLITE_FILE
            counts = _sqlite_backup(partial / database_file)
        else:
            database_file = POSTGRES_FILE
            counts = _postgres_backup(partial / database_file)
        evidence_files = _evidence_backup(partial / EVIDENCE_FILE)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": stamp.isoformat(),
            "engine": engine,
            "database_file": database_file,
            "evidence_files": evidence_files,
            "migrations": _applied_migrations(),
            "row_counts": counts,
            "key_fingerprints": current_fingerprints(),
            "sha256": {name: _sha256(partial / name) for name in (database_file, EVIDENCE_FILE)},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _copy_deletion_ledger(destination)
    rotate(destination, keep=keep)
    return Backup(folder, manifest)


def ledger_copy(destination: Path) -> Path:
    return destination / LEDGER_FILE


def _copy_deletion_ledger(destination: Path) -> None:
    """The ledger of deleted accounts (haven.accounts.deletion_ledger) beside the backup
    folders, outside them: never rotated away, and copied off the machine with them."""
    ledger = Path(settings.HAVEN_DELETION_LEDGER)
    if not ledger.is_file():
        return
    partial = destination / f".partial-{LEDGER_FILE}"
    shutil.copyfile(ledger, partial)
    partial.chmod(0o600)
    partial.replace(ledger_copy(destination))  # atomic: never half a ledger


def backups_in(destination: Path) -> list[Path]:
    """Whole backups under `destination`, oldest first (the names sort by time)."""
    if not destination.is_dir():
        return []
    return sorted(
        path for path in destination.iterdir()
        if path.is_dir() and path.name.startswith(PREFIX) and (path / MANIFEST).is_file()
    )  # fmt: skip


def rotate(destination: Path, *, keep: int) -> list[Path]:
    """Remove the oldest backups beyond `keep`: how a deleted account leaves the backups too."""
    removed = []
    for old in backups_in(destination)[: max(0, len(backups_in(destination)) - keep)]:
        shutil.rmtree(old)
        removed.append(old)
    return removed


def export_keys(target: Path, *, backup_destination: Path) -> int:
    """Write the encryption keys to `target` (owner-only), never beside the backups."""
    target = target.resolve()
    if target.is_relative_to(backup_destination.resolve()):
        raise BackupError(
            "Keep the keys apart from the backups: a backup together with its keys can be read "
            "by whoever holds both. Choose a path outside the backup folder."
        )
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file (nothing was written).")
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write("\n".join(settings.HAVEN_ENCRYPTION_KEYS) + "\n")
    return len(settings.HAVEN_ENCRYPTION_KEYS)


# --- Restore


def read_backup(folder: Path) -> Backup:
    """The manifest, after checking every file against it: a damaged copy is refused."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{folder} is not a Haven backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as broken:
        raise BackupError(f"{manifest_path} is damaged: {broken}.") from broken
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"This backup's format ({manifest.get('format')}) is not one I know.")
    for name, expected in manifest["sha256"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup.")
        if _sha256(path) != expected:
            raise BackupError(
                f"{name} does not match its checksum: the copy is damaged. Use another backup."
            )
    return Backup(folder, manifest)


def missing_keys(backup: Backup) -> list[str]:
    """Fingerprints of the backup's keys this server does not have."""
    here = set(current_fingerprints())
    return [print_ for print_ in backup.manifest["key_fingerprints"] if print_ not in here]


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_backup(backup: Backup, *, without_keys: bool = False) -> dict[str, int]:
    """Restore into this empty database and the evidence folder; return the restored counts.

    Nothing is changed unless every check passes first."""
    manifest = backup.manifest
    if manifest["engine"] != _engine():
        raise BackupError(
            f"This backup is of a {manifest['engine']} database and this server uses "
            f"{_engine()}: restore it with the same kind of database."
        )
    lacking = missing_keys(backup)
    if lacking and not without_keys:
        raise BackupError(
            "This server does not have the encryption key(s) the backup's private texts were "
            f"written with (fingerprints {', '.join(lacking)}). Put the keys you kept apart from "
            "the backup in HAVEN_ENCRYPTION_KEYS (or the key file), then run the restore again. "
            "With --without-keys it restores anyway, and journals, check-in notes, safety plans "
            "and care messages stay unreadable."
        )
    if not database_is_empty():
        raise BackupError(
            "The database is not empty: a restore goes only into an empty database, so nothing "
            "here is overwritten. Create a new database (or move the SQLite file away), point "
            "DATABASE_URL at it, and run the restore again."
        )
    evidence = Path(settings.HAVEN_EVIDENCE_DIR)
    if evidence.is_dir() and any(path.is_file() for path in evidence.rglob("*")):
        raise BackupError(
            f"{evidence} already holds files: move them away first, so nothing is overwritten."
        )

    database_file = backup.folder / manifest["database_file"]
    connection.close()
    if manifest["engine"] == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        with (
            closing(sqlite3.connect(database_file)) as source,
            closing(sqlite3.connect(target, timeout=20)) as copy,
        ):
            source.backup(copy)
        target.chmod(0o600)
        with closing(sqlite3.connect(target)) as copy:
            counts = _sqlite_counts(copy)
    else:
        db = settings.DATABASES["default"]
        args, env = _postgres_environment()
        # One transaction: a restore that fails half-way leaves the database empty again.
        _run(
            [
                "pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction", f"--dbname={db['NAME']}", str(database_file),
            ],
            env,
            "restore the database",
        )  # fmt: skip
        with connection.cursor() as cursor:
            counts = _postgres_counts(cursor)

    _private_folder(evidence)
    with tarfile.open(backup.folder / EVIDENCE_FILE, "r:gz") as archive:
        archive.extractall(evidence, filter="data")  # "data": no links or paths out of the folder
    return counts


def count_differences(expected: dict[str, int], restored: dict[str, int]) -> list[str]:
    return [
        f"{table}: {restored.get(table)} rows restored, {count} in the backup"
        for table, count in expected.items()
        if restored.get(table) != count
    ]
