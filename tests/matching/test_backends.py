"""The vector indexes: numpy, sqlite-vec and pgvector keep one interface and agree with exact
cosine search. None of these tests touches Django's database.

pgvector runs on a PostgreSQL started once for the module from scripts/fetch_pgserver's
binaries (or on HAVEN_PGVECTOR_URL). Without them the pgvector cases are skipped, except in CI
(CI=true), where they fail.
"""

import threading
from collections.abc import Iterator

import numpy as np
import pytest

from haven.matching.backends import (
    INDEX_KINDS,
    Neighbour,
    VectorIndex,
    make_index,
    pgvector_index,
    sqlite_vec_index,
)
from haven.matching.backends.numpy_index import NumpyIndex
from haven.matching.backends.pgvector_index import PgVectorIndex
from haven.matching.backends.sqlite_vec_index import SqliteVecIndex
from tests.support.pgvector_server import (
    PgServerUnavailable,
    running_pgvector_server,
)

DIMENSIONS = 384
EXACT_BACKENDS = ["numpy", "sqlite-vec"]
BACKENDS = [*EXACT_BACKENDS, "pgvector"]


def unit_rows(array: np.ndarray) -> np.ndarray:
    return (array / np.linalg.norm(array, axis=-1, keepdims=True)).astype(np.float32)


def random_unit(rng: np.random.Generator, count: int) -> np.ndarray:
    return unit_rows(rng.standard_normal((count, DIMENSIONS)))


def exact_top(matrix: np.ndarray, query: np.ndarray, k: int) -> tuple[list[int], np.ndarray]:
    scores = matrix @ query
    order = np.argsort(-scores, kind="stable")[:k]
    return order.tolist(), scores[order]


@pytest.fixture(scope="module")
def topic_vectors() -> tuple[np.ndarray, np.ndarray]:
    """3,000 random unit vectors around 30 random topics, like sentence embeddings (which
    cluster by subject), and 60 queries drawn the same way."""
    rng = np.random.default_rng(20240611)
    topics = random_unit(rng, 30)
    vectors = unit_rows(
        topics[rng.integers(0, 30, 3000)] + 0.045 * rng.standard_normal((3000, DIMENSIONS))
    )
    queries = unit_rows(
        topics[rng.integers(0, 30, 60)] + 0.045 * rng.standard_normal((60, DIMENSIONS))
    )
    return vectors, queries


# --- the pgvector server --------------------------------------------------------------------


def build_index(kind: str, request: pytest.FixtureRequest, tmp_path) -> VectorIndex:
    if kind == "pgvector":
        return make_index(
            "pgvector", dimensions=DIMENSIONS, dsn=request.getfixturevalue("pgvector_dsn")
        )
    if kind == "sqlite-vec":
        return make_index("sqlite-vec", dimensions=DIMENSIONS, path=str(tmp_path / "vectors.db"))
    return make_index(kind, dimensions=DIMENSIONS)


@pytest.fixture(params=BACKENDS)
def index(request: pytest.FixtureRequest, tmp_path) -> Iterator[VectorIndex]:
    built = build_index(request.param, request, tmp_path)
    yield built
    built.close()


@pytest.fixture(params=EXACT_BACKENDS)
def exact_index(request: pytest.FixtureRequest, tmp_path) -> Iterator[VectorIndex]:
    built = build_index(request.param, request, tmp_path)
    yield built
    built.close()


# --- choosing a backend ---------------------------------------------------------------------


def test_make_index_builds_each_kind_with_its_name(index, request):
    assert index.name == request.node.callspec.params["index"]
    assert index.name in INDEX_KINDS
    assert index.dimensions == DIMENSIONS
    assert isinstance(index, VectorIndex)


def test_make_index_refuses_an_unknown_kind():
    with pytest.raises(RuntimeError, match="unknown vector index 'faiss'"):
        make_index("faiss", dimensions=DIMENSIONS)


def test_make_index_needs_a_dsn_for_pgvector():
    with pytest.raises(RuntimeError, match="connection string"):
        make_index("pgvector", dimensions=DIMENSIONS)


@pytest.mark.parametrize(
    ("kind", "backend", "name", "advice"),
    [
        ("sqlite-vec", sqlite_vec_index, "sqlite_vec", "pip install sqlite-vec"),
        ("pgvector", pgvector_index, "pgvector_psycopg", "pip install pgvector"),
        ("pgvector", pgvector_index, "psycopg", "pip install 'psycopg"),
    ],
)
def test_make_index_says_what_to_install_when_a_library_is_missing(
    monkeypatch, kind, backend, name, advice
):
    # What the module holds when its optional import failed.
    monkeypatch.setattr(backend, name, None)
    with pytest.raises(RuntimeError, match=advice):
        make_index(kind, dimensions=DIMENSIONS, dsn="postgresql://unused")


# --- search agrees with exact cosine --------------------------------------------------------


def test_search_agrees_with_exact_cosine(index, topic_vectors):
    vectors, queries = topic_vectors
    ids = np.arange(1000, 1000 + len(vectors))
    index.add("post", ids, vectors)
    assert index.count("post") == len(vectors)
    recalls = []
    for query in queries:
        found = index.search("post", query, 10)
        expected_rows, expected_scores = exact_top(vectors, query, 10)
        found_ids = [neighbour.object_id for neighbour in found]
        found_scores = np.array([neighbour.score for neighbour in found])
        assert len(found) == 10
        assert all(isinstance(neighbour, Neighbour) for neighbour in found)
        assert np.all(np.diff(found_scores) <= 1e-6), "best first"
        # Every score is the true cosine of the vector stored under that id.
        np.testing.assert_allclose(
            found_scores, vectors[ids.searchsorted(found_ids)] @ query, atol=1e-5
        )
        if index.name == "pgvector":
            recalls.append(len(set(found_ids) & set(ids[expected_rows].tolist())) / 10)
        else:
            assert found_ids == ids[expected_rows].tolist()
            np.testing.assert_allclose(found_scores, expected_scores, atol=1e-5)
    if recalls:
        assert np.mean(recalls) >= 0.95, f"HNSW recall@10 {np.mean(recalls):.3f}"


def test_exact_backends_match_numpy_on_uniform_random_vectors(exact_index):
    rng = np.random.default_rng(7)
    vectors = random_unit(rng, 2000)
    exact_index.add("person", range(len(vectors)), vectors)
    for query in random_unit(rng, 20):
        found = exact_index.search("person", query, 10)
        expected_rows, expected_scores = exact_top(vectors, query, 10)
        assert [neighbour.object_id for neighbour in found] == expected_rows
        np.testing.assert_allclose([n.score for n in found], expected_scores, atol=1e-5)


# --- the interface's rules ------------------------------------------------------------------


def test_add_replaces_the_vector_of_an_id_already_there(index):
    rng = np.random.default_rng(1)
    first, second = random_unit(rng, 2)
    index.add("post", [7, 8], np.stack([first, second]))
    index.add("post", [7], first[np.newaxis] * 0 + second)
    assert index.count("post") == 2
    found = index.search("post", second, 2)
    assert {neighbour.object_id for neighbour in found} == {7, 8}
    assert all(neighbour.score == pytest.approx(1.0, abs=1e-5) for neighbour in found)
    assert index.search("post", first, 1)[0].score < 0.5


def test_a_repeated_id_in_one_add_keeps_its_last_vector(index):
    rng = np.random.default_rng(2)
    first, second = random_unit(rng, 2)
    index.add("post", [5, 5], np.stack([first, second]))
    assert index.count("post") == 1
    [only] = index.search("post", second, 5)
    assert only.object_id == 5
    assert only.score == pytest.approx(1.0, abs=1e-5)


def test_remove_forgets_ids_and_ignores_unknown_ones(index):
    rng = np.random.default_rng(3)
    vectors = random_unit(rng, 50)
    index.add("post", range(50), vectors)
    index.remove("post", [0, 10, 49, 12345])
    index.remove("never_used", [1])
    assert index.count("post") == 47
    found = index.search("post", vectors[10], 50)
    assert {n.object_id for n in found} == set(range(50)) - {0, 10, 49}
    # The rows moved into the holes still answer for their own ids.
    assert index.search("post", vectors[48], 1)[0].object_id == 48
    assert index.search("post", vectors[48], 1)[0].score == pytest.approx(1.0, abs=1e-5)


def test_namespaces_are_kept_apart(index):
    rng = np.random.default_rng(4)
    posts, people = random_unit(rng, 10), random_unit(rng, 5)
    index.add("post", range(10), posts)
    index.add("person", range(100, 105), people)
    assert index.count("post") == 10
    assert index.count("person") == 5
    assert {n.object_id for n in index.search("person", posts[0], 10)} == set(range(100, 105))
    index.clear("post")
    assert index.count("post") == 0
    assert index.search("post", posts[0], 3) == []
    assert index.count("person") == 5


def test_k_larger_than_the_namespace_returns_everything_best_first(index):
    rng = np.random.default_rng(5)
    vectors = random_unit(rng, 25)
    index.add("resource", range(25), vectors)
    query = random_unit(rng, 1)[0]
    found = index.search("resource", query, 1000)
    assert [n.object_id for n in found] == exact_top(vectors, query, 25)[0]


def test_empty_and_unknown_namespaces_find_nothing(index):
    query = random_unit(np.random.default_rng(6), 1)[0]
    assert index.search("listener", query, 10) == []
    assert index.count("listener") == 0
    index.add("listener", [1], query[np.newaxis])
    index.remove("listener", [1])
    assert index.search("listener", query, 10) == []
    index.clear("therapist")  # clearing what was never there is fine


def test_a_zero_query_or_k_of_zero_finds_nothing(index):
    vectors = random_unit(np.random.default_rng(8), 3)
    index.add("post", [1, 2, 3], vectors)
    assert index.search("post", np.zeros(DIMENSIONS, dtype=np.float32), 5) == []
    assert index.search("post", vectors[0], 0) == []


def test_vectors_and_queries_are_scaled_to_unit_length(index):
    vectors = random_unit(np.random.default_rng(9), 2)
    index.add("post", [1, 2], vectors * 3.0)
    [best, other] = index.search("post", vectors[0] * 0.25, 2)
    assert best.object_id == 1
    assert best.score == pytest.approx(1.0, abs=1e-5)
    assert other.score == pytest.approx(float(vectors[0] @ vectors[1]), abs=1e-5)


@pytest.mark.parametrize(
    "namespace", ["", "Post", "1post", "post-replies", "post;drop", "p" * 32, "pöst", None]
)
def test_a_namespace_that_could_not_name_a_table_is_refused(index, namespace):
    vector = random_unit(np.random.default_rng(10), 1)
    calls = [
        lambda: index.add(namespace, [1], vector),
        lambda: index.remove(namespace, [1]),
        lambda: index.search(namespace, vector[0], 3),
        lambda: index.count(namespace),
        lambda: index.clear(namespace),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="invalid namespace"):
            call()


def test_badly_shaped_input_is_refused_with_a_clear_message(index):
    vectors = random_unit(np.random.default_rng(11), 3)
    with pytest.raises(ValueError, match=r"shape \(n, 384\)"):
        index.add("post", [1, 2, 3], vectors[:, :100])
    with pytest.raises(ValueError, match="3 ids but 2 vectors"):
        index.add("post", [1, 2, 3], vectors[:2])
    with pytest.raises(ValueError, match="finite"):
        index.add("post", [1], np.full((1, DIMENSIONS), np.nan, dtype=np.float32))
    with pytest.raises(ValueError, match="id 2 is zero"):
        index.add("post", [1, 2], np.vstack([vectors[0], np.zeros(DIMENSIONS)]))
    with pytest.raises(ValueError, match="integers"):
        index.add("post", [1.5], vectors[:1])
    with pytest.raises(ValueError, match="integers"):
        index.add("post", [True], vectors[:1])
    with pytest.raises(ValueError, match="64-bit"):
        index.add("post", [2**70], vectors[:1])
    with pytest.raises(ValueError, match=r"shape \(384,\)"):
        index.search("post", vectors[0][:10], 3)
    with pytest.raises(ValueError, match=r"shape \(384,\)"):
        index.search("post", vectors, 3)
    with pytest.raises(ValueError, match="negative"):
        index.search("post", vectors[0], -1)
    assert index.count("post") == 0, "nothing was stored by a refused call"


def test_memory_bytes_grows_with_the_vectors(index):
    before = index.memory_bytes()
    index.add("post", range(2000), random_unit(np.random.default_rng(12), 2000))
    assert index.memory_bytes() >= before + 2000 * DIMENSIONS * 4


# --- backend specifics ----------------------------------------------------------------------


def test_numpy_searches_see_one_consistent_state_while_other_threads_write():
    """Writers flip ids between two vectors and remove and re-add some (so rows move); every
    result a reader sees must carry the score of a vector that id really had."""
    rng = np.random.default_rng(13)
    count = 3000
    first, second = random_unit(rng, count), random_unit(rng, count)
    queries = random_unit(rng, 20)
    index = NumpyIndex(DIMENSIONS)
    index.add("post", range(count), first)
    stop = threading.Event()
    failures: list[str] = []

    def write(seed: int) -> None:
        local = np.random.default_rng(seed)
        while not stop.is_set():
            chosen = local.choice(count, size=50, replace=False)
            source = first if local.random() < 0.5 else second
            index.add("post", chosen.tolist(), source[chosen])
            gone = local.choice(count, size=20, replace=False)
            index.remove("post", gone.tolist())
            index.add("post", gone.tolist(), first[gone])

    def read() -> None:
        for round_ in range(150):
            query = queries[round_ % len(queries)]
            found = index.search("post", query, 10)
            ids = [n.object_id for n in found]
            if len(set(ids)) != len(ids):
                failures.append(f"duplicate ids {ids}")
            for neighbour in found:
                candidates = (
                    first[neighbour.object_id] @ query,
                    second[neighbour.object_id] @ query,
                )
                if min(abs(neighbour.score - candidate) for candidate in candidates) > 1e-5:
                    failures.append(f"id {neighbour.object_id} has a score from another row")

    writers = [threading.Thread(target=write, args=(seed,)) for seed in (1, 2)]
    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in writers + readers:
        thread.start()
    for thread in readers:
        thread.join()
    stop.set()
    for thread in writers:
        thread.join()
    assert not failures, failures[:5]
    assert index.count("post") <= count


def test_sqlite_vec_file_is_shared_by_threads_and_kept_after_closing(tmp_path):
    path = str(tmp_path / "vectors.db")
    vectors = random_unit(np.random.default_rng(14), 40)
    index = SqliteVecIndex(DIMENSIONS, path=path)
    index.add("community", range(40), vectors)
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda: counts.append(index.count("community"))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counts == [40] * 4
    index.close()
    reopened = SqliteVecIndex(DIMENSIONS, path=path)
    assert reopened.search("community", vectors[3], 1)[0].object_id == 3
    reopened.close()


def test_sqlite_vec_answers_a_k_beyond_its_knn_limit():
    index = SqliteVecIndex(DIMENSIONS)  # in memory
    vectors = random_unit(np.random.default_rng(15), 4200)
    index.add("post", range(4200), vectors)
    found = index.search("post", vectors[0], 5000)
    assert len(found) == 4200
    assert [n.object_id for n in found[:20]] == exact_top(vectors, vectors[0], 20)[0]
    index.close()


def test_pgvector_returns_k_rows_beyond_ef_search_and_beyond_its_cap(pgvector_dsn, topic_vectors):
    vectors, queries = topic_vectors
    index = PgVectorIndex(DIMENSIONS, pgvector_dsn, ef_search=40)
    index.add("post", range(len(vectors)), vectors)
    assert len(index.search("post", queries[0], 300)) == 300
    found = index.search("post", queries[0], 1500)  # exact scan: HNSW stops at 1000
    expected_rows, expected_scores = exact_top(vectors, queries[0], 1500)
    assert [n.object_id for n in found[:50]] == expected_rows[:50]
    # Further down, scores a float32 step apart may swap places; the scores themselves agree.
    np.testing.assert_allclose([n.score for n in found], expected_scores, atol=1e-5)
    index.close()


def test_pgvector_upserts_small_batches_into_a_built_index(pgvector_dsn, topic_vectors):
    vectors, _ = topic_vectors
    index = PgVectorIndex(DIMENSIONS, pgvector_dsn)
    index.add("post", range(2000), vectors[:2000])  # bulk: index built after the rows
    index.add("post", range(1990, 2100), vectors[2000:2110])  # upsert through the index
    assert index.count("post") == 2100
    assert index.search("post", vectors[2005], 1)[0].object_id == 1995
    index.close()


def test_pgvector_server_needs_its_binaries(tmp_path):
    with (
        pytest.raises(PgServerUnavailable, match="scripts/fetch_pgserver"),
        running_pgvector_server(tmp_path / "nowhere"),
    ):
        pass
