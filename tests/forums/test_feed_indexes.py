"""The feeds' and the community page's orderings each read an index in order instead of sorting
every thread (EXPLAIN on the database the suite runs on), so their first page costs the same at
200 threads or 200,000."""

import pytest

from haven.forums.models import Thread
from haven.forums.queries import FeedSort, community_threads, home_feed
from haven.notifications.models import Notification
from tests.support.plans import plan, sorts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("ordering", "index"),
    [
        (("-created_at", "-id"), "thread_newest"),
        (("-last_activity_at", "-id"), "thread_active"),
    ],
)
def test_the_site_wide_orderings_read_their_index(ordering, index):
    text = plan(Thread.objects.order_by(*ordering)[:20])
    assert index in text and not sorts(text), text


@pytest.mark.parametrize(
    ("sort", "index"),
    [(FeedSort.NEW, "thread_community_newest"), (FeedSort.ACTIVE, "thread_community_active")],
)
def test_a_community_page_reads_its_index(anxiety, sort, index):
    ordering = ("-is_pinned", *Thread.objects.order_by(*_orderings[sort]).query.order_by)
    text = plan(Thread.objects.filter(community=anxiety).order_by(*ordering)[:20])
    assert index in text and not sorts(text), text


_orderings = {FeedSort.NEW: ("-created_at", "-id"), FeedSort.ACTIVE: ("-last_activity_at", "-id")}


def test_the_real_page_queries_keep_those_orderings(anxiety, alice):
    # The indexes above match what the pages ask for: a change of ordering must change both.
    assert community_threads(anxiety, alice, FeedSort.NEW).query.order_by == (
        "-is_pinned",
        "-created_at",
        "-id",
    )
    assert home_feed(alice, FeedSort.ACTIVE).query.order_by == ("-last_activity_at", "-id")


def test_the_notifications_page_reads_its_index(alice):
    text = plan(Notification.objects.filter(recipient=alice).order_by("-created_at", "-id")[:20])
    assert "notification_newest" in text and not sorts(text), text
