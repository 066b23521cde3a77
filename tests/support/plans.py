"""The query plan the database chooses, for tests that check an index serves an ordering."""

from django.db import connection


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Small test tables make a full scan cheapest; the question is whether the index
            # serves the order, as it must once there are many rows.
            cursor.execute("SET LOCAL enable_seqscan = off")
            # Tiny tables: an older index plus a sort can look as cheap; with sorting priced out,
            # the planner shows whether an index gives the whole order by itself.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def sorts(text: str) -> bool:
    return "Sort" in text or "TEMP B-TREE FOR ORDER BY" in text
