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
