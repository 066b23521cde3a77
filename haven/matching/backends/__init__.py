"""Nearest-neighbour indexes for embeddings: one interface, three places to keep the vectors.

* ``"numpy"`` (:class:`~.numpy_index.NumpyIndex`): exact search in process memory. No extra
  dependency; the vectors are lost with the process and each process holds its own copy.
* ``"sqlite-vec"`` (:class:`~.sqlite_vec_index.SqliteVecIndex`): exact search in an SQLite file
  of its own, with the ``sqlite-vec`` extension (and ``pysqlite3-binary`` where Python's sqlite3
  cannot load extensions).
* ``"pgvector"`` (:class:`~.pgvector_index.PgVectorIndex`): approximate (HNSW) search in
  PostgreSQL with the pgvector extension, shared by every process of the site.

:func:`make_index` builds one by name. See :mod:`.base` for the interface and its rules.
"""

from __future__ import annotations

from haven.matching.backends import pgvector_index, sqlite_vec_index
from haven.matching.backends.base import Neighbour, VectorIndex
from haven.matching.backends.numpy_index import NumpyIndex

INDEX_KINDS = ("numpy", "sqlite-vec", "pgvector")

__all__ = ["INDEX_KINDS", "Neighbour", "VectorIndex", "make_index"]


def make_index(
    kind: str, *, dimensions: int, path: str | None = None, dsn: str | None = None
) -> VectorIndex:
    """A new index of ``kind`` for vectors of ``dimensions``.

    ``path`` is the sqlite-vec database file (default: in memory); ``dsn`` the PostgreSQL
    connection string pgvector needs. RuntimeError when the kind is unknown, its settings are
    missing or its optional libraries are not installed (the message says what to install).
    """
    if kind == "numpy":
        return NumpyIndex(dimensions)
    if kind == "sqlite-vec":
        sqlite_vec_index.check_available()
        return sqlite_vec_index.SqliteVecIndex(dimensions, path=path)
    if kind == "pgvector":
        pgvector_index.check_available()
        if not dsn:
            raise RuntimeError(
                "the pgvector index needs a PostgreSQL connection string (dsn=...) for a "
                "database where the vector extension is installed or may be created"
            )
        return pgvector_index.PgVectorIndex(dimensions, dsn)
    raise RuntimeError(
        f"unknown vector index {kind!r}: choose one of {', '.join(map(repr, INDEX_KINDS))}"
    )
