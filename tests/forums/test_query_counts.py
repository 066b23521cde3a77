"""Pages cost the same number of SQL queries however many replies or threads they show."""

import pytest

from haven.forums.actions import do_create_reply, do_create_thread, do_toggle_reaction
from tests.conftest import client_for
from tests.support.queries import page_queries


def build_thread(community, author, repliers, reply_count: int):
    thread = do_create_thread(
        community,
        title=f"{reply_count} replies",
        body="body",
        tags=["a", "b"],
        acting_user=author,
    )
    do_toggle_reaction(thread.first_post, "hug", acting_user=repliers[0])
    parent = None
    for n in range(reply_count):
        replier = repliers[n % len(repliers)]
        # Every third reply answers the previous one, every fifth is anonymous.
        post = do_create_reply(
            thread,
            body=f"reply {n}",
            parent=parent if n % 3 == 2 else None,
            is_anonymous=n % 5 == 0,
            acting_user=replier,
        )
        do_toggle_reaction(post, "metoo", acting_user=author)
        parent = post
    return thread


def count_queries(client, url: str) -> int:
    with page_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_a_thread_with_100_replies_runs_as_many_queries_as_one_with_1(
    api, members_of_anxiety, alice, bob, carol
):
    small = build_thread(members_of_anxiety, alice, [bob, carol], 1)
    large = build_thread(members_of_anxiety, alice, [bob, carol], 100)
    client = client_for(carol)
    url = "/api/threads/{}/replies" if api else "/c/anxiety/t/{}/"
    client.get(url.format(small.public_id))  # warm the session and the guidelines cache
    small_count = count_queries(client, url.format(small.public_id))
    large_count = count_queries(client, url.format(large.public_id))
    print(f"thread queries: 1 reply {small_count}, 100 replies {large_count}")
    assert large_count == small_count
    assert small_count <= 20


def test_the_home_feed_runs_as_many_queries_for_20_threads_as_for_1(members_of_anxiety, alice, bob):
    client = client_for(bob)
    do_create_thread(members_of_anxiety, title="one", body="x", tags=["t"], acting_user=alice)
    client.get("/home/")
    one = count_queries(client, "/home/")
    one_api = count_queries(client, "/api/feed")
    for n in range(19):
        do_create_thread(
            members_of_anxiety, title=f"t{n}", body="x", tags=["t", "u"], acting_user=alice
        )
    assert count_queries(client, "/home/") == one
    assert count_queries(client, "/api/feed") == one_api
