"""Exact search in an SQLite database of its own, with the sqlite-vec extension.

Each namespace is a ``vec0`` virtual table ``haven_vectors_<namespace>`` whose rowid is the object
id and whose one column holds the float32 vector, compared by cosine distance; a search is
sqlite-vec's exact KNN query (``embedding MATCH ? AND k = ?``) and a score is
``1 - cosine distance``. The database is ``path`` (a file, kept across restarts) or, by default,
an in-memory database that lives as long as the index.

Loading an extension needs an sqlite3 module built to allow it; when Python's own is not (as on
this Debian build), ``pysqlite3`` from the ``pysqlite3-binary`` package is used instead.

A file database gets one connection per thread, in WAL mode so searches do not wait for
writers. An in-memory database exists only inside its connection, so there is one connection,
shared by all threads behind a lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from haven.core.embeddings import FloatArray
from haven.matching.backends.base import (
    Neighbour,
    check_ids,
    check_k,
    check_namespace,
    prepare_batch,
    prepare_query,
)

# Optional: this backend is chosen by HAVEN_VECTOR_BACKEND, and check_available() says what to
# install when a piece is missing.
try:
    from pysqlite3 import dbapi2 as pysqlite3_dbapi2
except ImportError:
    pysqlite3_dbapi2 = None
try:
    import sqlite_vec
except ImportError:
    sqlite_vec = None

TABLE_PREFIX = "haven_vectors_"
# sqlite-vec refuses a KNN query for more than this many neighbours; larger k scans in SQL.
MAX_KNN_K = 4096
BATCH_ROWS = 5000


def sqlite_module() -> ModuleType:
    """An sqlite3 DB-API module that can load extensions: the standard one or pysqlite3."""
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return sqlite3
    if pysqlite3_dbapi2 is None:
        raise RuntimeError(
            "the sqlite-vec index needs an sqlite3 module that can load extensions, and this "
            "Python's cannot: install pysqlite3-binary (pip install pysqlite3-binary)"
        )
    return pysqlite3_dbapi2


def _sqlite_vec() -> ModuleType:
    if sqlite_vec is None:
        raise RuntimeError(
            "the sqlite-vec index needs the sqlite-vec package (pip install sqlite-vec)"
        )
    return sqlite_vec


def check_available() -> None:
    """RuntimeError saying what to install when this backend cannot run here."""
    sqlite_module()
    _sqlite_vec()


class SqliteVecIndex:
    """Exact cosine search with sqlite-vec; see the module docstring. Thread-safe."""

    name = "sqlite-vec"

    def __init__(self, dimensions: int, path: str | None = None, timeout: float = 30.0) -> None:
        if dimensions < 1:
            raise ValueError("dimensions must be positive")
        self.dimensions = int(dimensions)
        self.path = str(path) if path is not None else ":memory:"
        self.in_memory = self.path == ":memory:" or self.path.startswith("file::memory:")
        self.timeout = timeout
        self._dbapi = sqlite_module()
        self._vec = _sqlite_vec()
        self._local = threading.local()
        self._connections: list[Any] = []
        self._connections_lock = threading.Lock()
        # The one connection of an in-memory database is used by one thread at a time.
        self._shared_lock = threading.RLock() if self.in_memory else None
        self._shared: Any = None
        with self._connection():
            pass  # fail early when the extension cannot load

    # -- connections ---------------------------------------------------------------------------

    def _connect(self) -> Any:
        connection = self._dbapi.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        try:
            connection.enable_load_extension(True)
            self._vec.load(connection)
            connection.enable_load_extension(False)
            if not self.in_memory:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
        except Exception:
            connection.close()
            raise
        with self._connections_lock:
            self._connections.append(connection)
        return connection

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        if self._shared_lock is not None:
            with self._shared_lock:
                if self._shared is None:
                    self._shared = self._connect()
                yield self._shared
            return
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        yield connection

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def close(self) -> None:
        """Close every connection this index opened (any thread's)."""
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._shared = None
        self._local = threading.local()

    # -- tables --------------------------------------------------------------------------------

    @staticmethod
    def _table(namespace: str) -> str:
        return TABLE_PREFIX + check_namespace(namespace)

    @staticmethod
    def _exists(connection: Any, table: str) -> bool:
        row = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        return row is not None

    def _create(self, connection: Any, table: str) -> None:
        # The table name is "haven_vectors_" + a checked namespace: letters, digits, underscores.
        connection.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING vec0("
            f"embedding float[{self.dimensions}] distance_metric=cosine)"
        )

    # -- the interface -------------------------------------------------------------------------

    def add(self, namespace: str, ids: Sequence[int], vectors: FloatArray) -> None:
        table = self._table(namespace)
        id_array, matrix = prepare_batch(ids, vectors, self.dimensions)
        if not id_array.size:
            return
        with self._transaction() as connection:
            self._create(connection, table)
            for start in range(0, id_array.size, BATCH_ROWS):
                batch_ids = id_array[start : start + BATCH_ROWS].tolist()
                batch_rows = matrix[start : start + BATCH_ROWS]
                # vec0 tables have no upsert: replacing a vector is delete + insert.
                connection.executemany(
                    f"DELETE FROM {table} WHERE rowid = ?",  # noqa: S608
                    ((object_id,) for object_id in batch_ids),
                )
                connection.executemany(
                    f"INSERT INTO {table}(rowid, embedding) VALUES (?, ?)",  # noqa: S608
                    zip(batch_ids, (row.tobytes() for row in batch_rows), strict=True),
                )

    def remove(self, namespace: str, ids: Sequence[int]) -> None:
        table = self._table(namespace)
        id_array = check_ids(ids)
        if not id_array.size:
            return
        with self._transaction() as connection:
            if self._exists(connection, table):
                connection.executemany(
                    f"DELETE FROM {table} WHERE rowid = ?",  # noqa: S608
                    ((object_id,) for object_id in id_array.tolist()),
                )

    def search(self, namespace: str, query: FloatArray, k: int) -> list[Neighbour]:
        table = self._table(namespace)
        k = check_k(k)
        unit = prepare_query(query, self.dimensions)
        if unit is None or not k:
            return []
        blob = unit.tobytes()
        with self._connection() as connection:
            if not self._exists(connection, table):
                return []
            if k <= MAX_KNN_K:
                rows = connection.execute(
                    f"SELECT rowid, distance FROM {table} "  # noqa: S608
                    "WHERE embedding MATCH ? AND k = ? ORDER BY distance",
                    (blob, k),
                ).fetchall()
            else:
                rows = connection.execute(
                    f"SELECT rowid, vec_distance_cosine(embedding, ?) AS distance "  # noqa: S608
                    f"FROM {table} ORDER BY distance LIMIT ?",
                    (blob, k),
                ).fetchall()
        return [
            Neighbour(object_id=int(rowid), score=1.0 - float(distance)) for rowid, distance in rows
        ]

    def count(self, namespace: str) -> int:
        table = self._table(namespace)
        with self._connection() as connection:
            if not self._exists(connection, table):
                return 0
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608

    def clear(self, namespace: str) -> None:
        table = self._table(namespace)
        with self._transaction() as connection:
            connection.execute(f"DROP TABLE IF EXISTS {table}")

    def memory_bytes(self) -> int:
        with self._connection() as connection:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            free_pages = connection.execute("PRAGMA freelist_count").fetchone()[0]
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        return (int(pages) - int(free_pages)) * int(page_size)

    def __repr__(self) -> str:
        return f"SqliteVecIndex(dimensions={self.dimensions}, path={self.path!r})"
