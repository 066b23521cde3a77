"""The full-text index: SQLite FTS5 on the embedded default, PostgreSQL full-text in production.

One table, `search_index`, holds a document per searchable object ("post", "update"). Actions
keep it current inside their own transaction, so the index never shows a rolled-back write.
Callers get ranked (kind, object_id) pairs and apply their own visibility rules afterwards.
"""

import re
from dataclasses import dataclass

from django.db import connection

from haven.core.stopwords import STOPWORDS

# The best matches a search returns: fifteen pages of twenty. Each hit is then checked against
# what the viewer may see, so the cap bounds that query too (1,000 ids took 10 ms at scale).
MAX_RESULTS = 300
# PostgreSQL ranks at most this many matches, the newest: ts_rank reads each match's whole
# document, and a common word matched 60,000 of 220,000 posts (p99 282 ms). Beyond the newest
# few thousand, older posts with a common word are what a member scrolls past anyway.
RANKED_CANDIDATES = 5000
# Fewer hits than this with every word, and items with any of the words follow them.
ANY_WORDS_BELOW = 10
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int


def _sqlite_match_expression(query: str) -> str:
    # Each word is quoted so FTS5 operators typed by a member are taken as plain words;
    # the last word matches as a prefix, as people expect from a search box.
    words = _WORD.findall(query)[:12]
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def index_document(kind: str, object_id: int, text: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO search_index (kind, object_id, document) "
                "VALUES (%s, %s, to_tsvector('english', %s)) "
                "ON CONFLICT (kind, object_id) DO UPDATE SET document = EXCLUDED.document",
                [kind, object_id, text],
            )
        else:
            cursor.execute(
                "DELETE FROM search_index WHERE kind = %s AND object_id = %s", [kind, object_id]
            )
            cursor.execute(
                "INSERT INTO search_index (kind, object_id, content) VALUES (%s, %s, %s)",
                [kind, object_id, text],
            )


def index_table_rows(kind: str, table: str, column: str, first_pk: int) -> None:
    """Indexes `column` of every row of `table` from `first_pk` on in one statement: for data
    bulk-inserted past the actions (haven.demo.scale). Rows already indexed are left alone."""
    document = "to_tsvector('english', {})" if connection.vendor == "postgresql" else "{}"
    target = "document" if connection.vendor == "postgresql" else "content"
    skip = " ON CONFLICT DO NOTHING" if connection.vendor == "postgresql" else ""
    table, column = connection.ops.quote_name(table), connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO search_index (kind, object_id, {target}) "
            f"SELECT %s, id, {document.format(column)} FROM {table} WHERE id >= %s{skip}",
            [kind, first_pk],
        )


def remove_document(kind: str, object_id: int) -> None:
    remove_documents(kind, [object_id])


def remove_documents(kind: str, object_ids: list[int]) -> None:
    if not object_ids:
        return
    placeholders = ", ".join(["%s"] * len(object_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM search_index WHERE kind = %s AND object_id IN ({placeholders})",
            [kind, *object_ids],
        )


def search(query: str, kinds: tuple[str, ...]) -> list[Hit]:
    """Best matches first, at most MAX_RESULTS: items with every word, then (when those are
    few, as for a whole sentence typed into the box) items with any of its telling words."""
    hits = search_all_words(query, kinds)
    if len(hits) >= ANY_WORDS_BELOW:
        return hits
    seen = set(hits)
    return hits + [hit for hit in search_any_words(query, kinds) if hit not in seen]


def _telling_words(query: str) -> list[str]:
    words = [w for w in _WORD.findall(query.lower()) if w not in STOPWORDS and len(w) > 2]
    return list(dict.fromkeys(words))[:12]


def _postgres_ranked(query: str, kinds: tuple[str, ...]) -> tuple[str, list]:
    """The newest RANKED_CANDIDATES matches, then ranked: the cost stays bounded however common
    the words are. PostgreSQL picks the path by the words' frequency: for a common word it walks
    search_index_newest backwards and stops at the limit (5 ms where the GIN index and a sort
    of 65,000 matches took 50), for a rare one it asks the GIN index."""
    kind_placeholders = ", ".join(["%s"] * len(kinds))
    sql = (
        "SELECT kind, object_id FROM ("
        "SELECT kind, object_id, document FROM search_index "
        f"WHERE document @@ websearch_to_tsquery('english', %s) AND kind IN ({kind_placeholders}) "
        "ORDER BY object_id DESC LIMIT %s"
        ") AS candidates, websearch_to_tsquery('english', %s) AS q "
        "ORDER BY ts_rank(document, q) DESC, object_id DESC LIMIT %s"
    )
    return sql, [query, *kinds, RANKED_CANDIDATES, query, MAX_RESULTS]


def search_any_words(query: str, kinds: tuple[str, ...]) -> list[Hit]:
    words = _telling_words(query)
    if len(words) < 2:
        return []  # one word: the all-words search already asked for it
    kind_placeholders = ", ".join(["%s"] * len(kinds))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(*_postgres_ranked(" or ".join(words), kinds))
        else:
            cursor.execute(
                "SELECT kind, object_id FROM search_index "
                f"WHERE search_index MATCH %s AND kind IN ({kind_placeholders}) "
                "ORDER BY bm25(search_index), object_id DESC LIMIT %s",
                [" OR ".join(f'"{word}"' for word in words), *kinds, MAX_RESULTS],
            )
        return [Hit(kind, int(object_id)) for kind, object_id in cursor.fetchall()]


def search_all_words(query: str, kinds: tuple[str, ...]) -> list[Hit]:
    kind_placeholders = ", ".join(["%s"] * len(kinds))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not _WORD.search(query):
                return []
            cursor.execute(*_postgres_ranked(query, kinds))
        else:
            expression = _sqlite_match_expression(query)
            if not expression:
                return []
            cursor.execute(
                "SELECT kind, object_id FROM search_index "
                f"WHERE search_index MATCH %s AND kind IN ({kind_placeholders}) "
                "ORDER BY bm25(search_index), object_id DESC LIMIT %s",
                [expression, *kinds, MAX_RESULTS],
            )
        return [Hit(kind, int(object_id)) for kind, object_id in cursor.fetchall()]
