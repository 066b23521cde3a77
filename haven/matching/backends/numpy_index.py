"""Exact search in process memory: one float32 matrix per namespace and a matrix-vector product.

Each namespace keeps its rows in one contiguous matrix that grows by doubling, an int64 array of
the ids of those rows, and a dict from id to row. Adding appends (or overwrites the row of an id
already there), removing moves the last row into the hole, so the live rows are always
``matrix[:size]``. A search is ``matrix[:size] @ query`` and ``np.argpartition`` for the top k:
about 5 ms for 100,000 rows of 384 on a small two-core machine.

Searches share a read lock and mutations take it exclusively, so a search always sees the rows
of one moment: never a half-moved row, never an id that belongs to another row.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from haven.core.embeddings import FloatArray
from haven.matching.backends.base import (
    IdArray,
    Neighbour,
    check_ids,
    check_k,
    check_namespace,
    prepare_batch,
    prepare_query,
)

MIN_CAPACITY = 64


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer holds off new readers, so it cannot starve."""

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            while self._writing or self._writers_waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if not self._readers:
                    self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._condition.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


class _Namespace:
    """The rows of one namespace; callers hold the index's lock."""

    def __init__(self, dimensions: int) -> None:
        self.matrix: FloatArray = np.empty((0, dimensions), dtype=np.float32)
        self.ids: IdArray = np.empty(0, dtype=np.int64)
        self.rows: dict[int, int] = {}
        self.size = 0

    def _reserve(self, needed: int) -> None:
        capacity = self.matrix.shape[0]
        if needed <= capacity:
            return
        new_capacity = max(needed, 2 * capacity, MIN_CAPACITY)
        matrix = np.empty((new_capacity, self.matrix.shape[1]), dtype=np.float32)
        matrix[: self.size] = self.matrix[: self.size]
        ids = np.empty(new_capacity, dtype=np.int64)
        ids[: self.size] = self.ids[: self.size]
        self.matrix, self.ids = matrix, ids

    def upsert(self, ids: IdArray, vectors: FloatArray) -> None:
        rows = self.rows
        existing = np.fromiter(
            (rows.get(object_id, -1) for object_id in ids.tolist()), dtype=np.int64, count=ids.size
        )
        present = existing >= 0
        if present.any():
            self.matrix[existing[present]] = vectors[present]
        new = ~present
        added = int(new.sum())
        if not added:
            return
        start = self.size
        self._reserve(start + added)
        new_ids = ids[new]
        self.matrix[start : start + added] = vectors[new]
        self.ids[start : start + added] = new_ids
        rows.update(zip(new_ids.tolist(), range(start, start + added), strict=True))
        self.size = start + added

    def delete(self, ids: IdArray) -> None:
        rows, matrix, row_ids = self.rows, self.matrix, self.ids
        for object_id in ids.tolist():
            row = rows.pop(object_id, None)
            if row is None:
                continue
            last = self.size - 1
            if row != last:
                matrix[row] = matrix[last]
                moved = int(row_ids[last])
                row_ids[row] = moved
                rows[moved] = row
            self.size = last

    def nbytes(self) -> int:
        # Allocated arrays, plus the dict and its int keys and values (about 28 bytes each).
        return int(self.matrix.nbytes + self.ids.nbytes + sys.getsizeof(self.rows)) + 56 * len(
            self.rows
        )


class NumpyIndex:
    """In-memory exact cosine search; see the module docstring. Thread-safe."""

    name = "numpy"

    def __init__(self, dimensions: int) -> None:
        if dimensions < 1:
            raise ValueError("dimensions must be positive")
        self.dimensions = int(dimensions)
        self._namespaces: dict[str, _Namespace] = {}
        self._lock = _ReadWriteLock()

    def add(self, namespace: str, ids: Sequence[int], vectors: FloatArray) -> None:
        check_namespace(namespace)
        id_array, matrix = prepare_batch(ids, vectors, self.dimensions)
        if not id_array.size:
            return
        with self._lock.writing():
            space = self._namespaces.get(namespace)
            if space is None:
                space = self._namespaces[namespace] = _Namespace(self.dimensions)
            space.upsert(id_array, matrix)

    def remove(self, namespace: str, ids: Sequence[int]) -> None:
        check_namespace(namespace)
        id_array = check_ids(ids)
        with self._lock.writing():
            space = self._namespaces.get(namespace)
            if space is not None:
                space.delete(id_array)

    def search(self, namespace: str, query: FloatArray, k: int) -> list[Neighbour]:
        check_namespace(namespace)
        k = check_k(k)
        unit = prepare_query(query, self.dimensions)
        if unit is None or not k:
            return []
        with self._lock.reading():
            space = self._namespaces.get(namespace)
            if space is None or not space.size:
                return []
            size = space.size
            scores = space.matrix[:size] @ unit
            if k < size:
                top = np.argpartition(-scores, k - 1)[:k]
                top = top[np.argsort(-scores[top], kind="stable")]
            else:
                top = np.argsort(-scores, kind="stable")
            found_ids = space.ids[top].tolist()
        return [
            Neighbour(object_id=object_id, score=score)
            for object_id, score in zip(found_ids, scores[top].tolist(), strict=True)
        ]

    def count(self, namespace: str) -> int:
        check_namespace(namespace)
        with self._lock.reading():
            space = self._namespaces.get(namespace)
            return space.size if space is not None else 0

    def clear(self, namespace: str) -> None:
        check_namespace(namespace)
        with self._lock.writing():
            self._namespaces.pop(namespace, None)

    def replace(self, namespace: str, staged: str) -> None:
        """Put the `staged` namespace in place of `namespace` in one step: a full reload is
        built beside the index it replaces, so no search ever sees it half loaded."""
        check_namespace(namespace)
        check_namespace(staged)
        with self._lock.writing():
            self._namespaces[namespace] = self._namespaces.pop(staged, None) or _Namespace(
                self.dimensions
            )

    def memory_bytes(self) -> int:
        with self._lock.reading():
            return sum(space.nbytes() for space in self._namespaces.values())

    def close(self) -> None:
        """Drop every namespace (the other backends close connections here)."""
        with self._lock.writing():
            self._namespaces.clear()

    def __repr__(self) -> str:
        return f"NumpyIndex(dimensions={self.dimensions})"
