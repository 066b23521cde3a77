"""The interface every vector index keeps, and the checks they share.

An index holds unit-length float32 vectors in named *namespaces* ("post", "community",
"person", …), each a separate set of ``object_id -> vector``. :meth:`VectorIndex.search` returns
the nearest objects of one namespace by cosine similarity, best first. The backends differ in
where the vectors live (process memory, an SQLite file, PostgreSQL) and in whether the search is
exact (numpy, sqlite-vec) or approximate (pgvector's HNSW index).

Input is checked here once, the same way for every backend: namespaces must be short lowercase
identifiers (they become part of table names), vectors must be finite rows of the index's
size. Rows are scaled to unit length, so a score is always a cosine similarity whatever the
backend computes (inner product or cosine distance); a zero row cannot be indexed, and a zero
query finds nothing.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from haven.core.embeddings import FloatArray

IdArray = npt.NDArray[np.int64]

NAMESPACE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Neighbour:
    """One search result."""

    object_id: int
    score: float  # cosine similarity (vectors are unit length, so inner product), higher is closer


@runtime_checkable
class VectorIndex(Protocol):
    """Nearest-neighbour search over unit vectors, kept apart by namespace."""

    name: str  # "numpy" | "sqlite-vec" | "pgvector"
    dimensions: int

    def add(self, namespace: str, ids: Sequence[int], vectors: FloatArray) -> None:
        """Store ``vectors[i]`` under ``ids[i]``, replacing any vector already stored there."""
        ...

    def remove(self, namespace: str, ids: Sequence[int]) -> None:
        """Forget these ids; ids that are not stored are ignored."""
        ...

    def search(self, namespace: str, query: FloatArray, k: int) -> list[Neighbour]:
        """At most ``k`` nearest objects, best first; an empty namespace gives ``[]``."""
        ...

    def count(self, namespace: str) -> int:
        """How many vectors the namespace holds."""
        ...

    def clear(self, namespace: str) -> None:
        """Remove every vector of the namespace."""
        ...

    def memory_bytes(self) -> int:
        """Approximate size of the stored index data, for the bench."""
        ...


def check_namespace(namespace: str) -> str:
    """The namespace itself, or ValueError when it could not safely name a table."""
    if not isinstance(namespace, str) or not NAMESPACE_PATTERN.fullmatch(namespace):
        raise ValueError(
            f"invalid namespace {namespace!r}: use 1-31 characters, a lowercase letter first, "
            "then lowercase letters, digits or underscores"
        )
    return namespace


def check_k(k: int) -> int:
    try:
        value = operator.index(k)
    except TypeError:
        raise ValueError(f"k must be an integer, not {type(k).__name__}") from None
    if value < 0:
        raise ValueError(f"k must not be negative, got {value}")
    return value


def check_ids(ids: Sequence[int]) -> IdArray:
    """``ids`` as a one-dimensional int64 array; ValueError for anything but integers in range."""
    if isinstance(ids, np.ndarray):
        if ids.ndim != 1:
            raise ValueError(f"ids must be one-dimensional, got shape {ids.shape}")
        if ids.size and ids.dtype.kind not in "iu":
            raise ValueError(f"ids must be integers, got dtype {ids.dtype}")
        if ids.size and ids.dtype.kind == "u" and int(ids.max()) > INT64_MAX:
            raise ValueError("ids must fit in a signed 64-bit integer")
        return np.ascontiguousarray(ids, dtype=np.int64)
    if isinstance(ids, str | bytes):
        raise ValueError("ids must be a sequence of integers, not a string")
    values = []
    for value in ids:
        if isinstance(value, bool):
            raise ValueError("ids must be integers, not booleans")
        try:
            number = operator.index(value)
        except TypeError:
            raise ValueError(f"ids must be integers, got {value!r}") from None
        if not INT64_MIN <= number <= INT64_MAX:
            raise ValueError(f"id {number} does not fit in a signed 64-bit integer")
        values.append(number)
    return np.asarray(values, dtype=np.int64).reshape(-1)


def _as_float_rows(vectors: npt.ArrayLike, what: str) -> FloatArray:
    try:
        array = np.asarray(vectors, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} must be an array of numbers: {error}") from None
    return array


def prepare_batch(
    ids: Sequence[int], vectors: FloatArray, dimensions: int
) -> tuple[IdArray, FloatArray]:
    """Checked ids and unit rows for :meth:`VectorIndex.add`.

    Returns ``(ids, rows)`` as a C-contiguous int64 array and a C-contiguous float32 matrix of
    shape ``(len(ids), dimensions)``. When an id appears twice, its last row wins, as it would if
    the rows were added one by one.
    """
    id_array = check_ids(ids)
    matrix = _as_float_rows(vectors, "vectors")
    if matrix.ndim == 1 and id_array.size == 1 and matrix.shape[0] == dimensions:
        matrix = matrix.reshape(1, dimensions)
    if matrix.ndim != 2 or matrix.shape[1] != dimensions:
        raise ValueError(
            f"vectors must have shape (n, {dimensions}) for this index, got {matrix.shape}"
        )
    if matrix.shape[0] != id_array.size:
        raise ValueError(f"got {id_array.size} ids but {matrix.shape[0]} vectors; they must match")
    if not np.isfinite(matrix).all():
        raise ValueError("vectors must be finite (no NaN or infinity)")
    norms = np.linalg.norm(matrix, axis=1)
    zero_rows = np.flatnonzero(norms < 1e-12)
    if zero_rows.size:
        raise ValueError(
            f"the vector for id {int(id_array[zero_rows[0]])} is zero and has no direction to "
            "search by (an empty text embeds as zero): leave it out of the index"
        )
    matrix = matrix / norms[:, np.newaxis].astype(np.float32)
    if id_array.size > 1:
        # np.unique on the reversed ids finds each id's last occurrence.
        reversed_ids = id_array[::-1]
        _, first_in_reversed = np.unique(reversed_ids, return_index=True)
        if first_in_reversed.size != id_array.size:
            keep = np.sort(id_array.size - 1 - first_in_reversed)
            id_array, matrix = id_array[keep], matrix[keep]
    return np.ascontiguousarray(id_array), np.ascontiguousarray(matrix, dtype=np.float32)


def prepare_query(query: FloatArray, dimensions: int) -> FloatArray | None:
    """The query as a unit float32 row of ``dimensions``, or None for a zero query."""
    array = _as_float_rows(query, "query")
    if array.ndim == 2 and array.shape[0] == 1:
        array = array[0]
    if array.shape != (dimensions,):
        raise ValueError(f"query must have shape ({dimensions},) for this index, got {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError("query must be finite (no NaN or infinity)")
    norm = float(np.linalg.norm(array))
    if norm < 1e-12:
        return None
    return np.ascontiguousarray(array / np.float32(norm), dtype=np.float32)
