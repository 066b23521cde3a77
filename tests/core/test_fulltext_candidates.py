"""PostgreSQL ranks only the newest RANKED_CANDIDATES matches, so a word in every other post costs
no more to search than a rare one; SQLite's FTS5 ranks all (bm25 runs inside its own index)."""

import pytest
from django.db import connection

from haven.core import fulltext

pytestmark = pytest.mark.django_db


def test_ranking_is_bounded_to_the_newest_candidates_on_postgresql(monkeypatch):
    # The oldest document repeats the word, so by rank alone it would come first.
    fulltext.index_document("post", 1, "harbour " * 20)
    for object_id in range(2, 7):
        fulltext.index_document("post", object_id, f"a walk by the harbour, note {object_id}")
    monkeypatch.setattr(fulltext, "RANKED_CANDIDATES", 3)
    found = [hit.object_id for hit in fulltext.search("harbour", ("post",))]
    if connection.vendor == "postgresql":
        assert sorted(found) == [4, 5, 6]
    else:
        assert found[0] == 1 and sorted(found) == [1, 2, 3, 4, 5, 6]


def _ranking_plan(word: str) -> str:
    sql, params = fulltext._postgres_ranked(word, ("post", "update"))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="FTS5 ranks inside its own index")
def test_a_common_word_walks_the_newest_index_instead_of_every_match():
    """A word in a third of 20,000 documents: the newest matches are found by walking the id
    index backwards and stopping at the candidate limit, not by visiting every match and sorting
    them (50 ms at 220,000 documents, against 5 ms). Which path a rare word takes depends on the
    table's size (at 220,000 documents, the GIN index): bench/pages.py --scale measures it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_index (kind, object_id, document) "
            "SELECT 'post', n, to_tsvector('english', "
            "CASE WHEN n % 3 = 0 THEN 'could not sleep again last night' "
            "WHEN n % 5000 = 1 THEN 'a walk to the lighthouse' "
            "ELSE 'a walk in the park with friends ' || n END) "
            "FROM generate_series(1, 20000) AS n"
        )
        cursor.execute("ANALYZE search_index")
    common = _ranking_plan("sleep")
    assert "Index Scan Backward using search_index_newest" in common
    assert "Bitmap" not in common
    assert [hit.object_id for hit in fulltext.search("lighthouse", ("post",))] == [15001, 10001, 1]
    newest = [hit.object_id for hit in fulltext.search("sleep", ("post",))]
    assert len(newest) == fulltext.MAX_RESULTS
    assert min(newest) > 20000 - 3 * fulltext.RANKED_CANDIDATES  # only the newest were ranked
