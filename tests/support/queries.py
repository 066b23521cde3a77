"""The queries a request runs for what it shows, for tests that compare two requests' counts."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Written by a member's first request in each minute (haven.moderation.nudges.record_activity):
# which request that is depends on the clock, not on the page. A comparison whose two requests
# straddled a minute counted one query more for the second (seen once in CI).
ACTIVITY_TABLE = '"moderation_dailyactivity"'


@contextmanager
def page_queries() -> Iterator[list[dict]]:
    """The captured queries, without the once-a-minute activity count; filled on exit."""
    kept: list[dict] = []
    with CaptureQueriesContext(connection) as context:
        yield kept
    kept.extend(query for query in context.captured_queries if ACTIVITY_TABLE not in query["sql"])
