"""Nothing the API or the pages show lets anyone order an anonymous post against other members'
posts by id or exact time, so a named and an anonymous post written moments apart can't be
linked. Threads, posts and updates are known by random public ids; others' anonymous posts show
only the hour they were written in."""

import re
from datetime import datetime

import pytest

from haven.forums.actions import do_create_reply, do_create_thread, do_set_subscription
from haven.forums.models import Post, Reaction
from haven.updates.actions import do_create_update
from tests.conftest import client_for, make_member

ID_KEYS = {"id", "thread_id", "parent_id", "post_id"}
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")


@pytest.fixture
def dana(guidelines, members_of_anxiety):
    from haven.communities.actions import do_join_community

    member = make_member("dana", guidelines)
    do_join_community(member, members_of_anxiety)
    return member


@pytest.fixture
def conversation(members_of_anxiety, alice, bob, carol, dana):
    """Bob and Carol write around Alice's named reply and her anonymous one, moments apart."""
    thread = do_create_thread(
        members_of_anxiety, title="Evenings are hard", body="Anyone else?", acting_user=carol
    )
    do_set_subscription(thread, True, acting_user=dana)
    posts = {
        "bob_before": do_create_reply(thread, body="Yes, me too.", acting_user=bob),
        "alice_named": do_create_reply(thread, body="Tea helps me.", acting_user=alice),
        "carol_between": do_create_reply(thread, body="Thank you both.", acting_user=carol),
        "alice_anonymous": do_create_reply(
            thread, body="mulberry: I drink too much at night.", is_anonymous=True,
            acting_user=alice,
        ),
        "bob_after": do_create_reply(thread, body="mulberry: you are not alone.", acting_user=bob),
    }  # fmt: skip
    other = do_create_thread(
        members_of_anxiety, title="A walk today", body="Small win.", acting_user=bob
    )
    return thread, other, posts


def walk(data, found: list) -> list:
    """Every (key, value) pair anywhere in a JSON answer."""
    if isinstance(data, dict):
        for key, value in data.items():
            found.append((key, value))
            walk(value, found)
    elif isinstance(data, list):
        for value in data:
            walk(value, found)
    return found


def api_answers(client, thread, other) -> list:
    urls = [
        f"/api/threads/{thread.public_id}",
        f"/api/threads/{thread.public_id}/replies",
        f"/api/threads/{other.public_id}",
        "/api/feed",
        "/api/feed?sort=active",
        "/api/communities/anxiety/threads",
        "/api/search?q=mulberry",
        "/api/notifications",
        "/api/members/alice/updates",
    ]
    answers = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        answers.append(response.json())
    return answers


def test_a_third_member_cannot_order_an_anonymous_post_by_id_or_exact_time(conversation, dana):
    thread, other, posts = conversation
    do_create_update(
        body="A quiet day.", visibility="public", acting_user=posts["bob_after"].author
    )
    pks = {post.pk for post in Post.objects.all()} | {thread.pk, other.pk}
    pairs = walk(api_answers(client_for(dana), thread, other), [])

    # Every id anything points with is a random public id, never a sequential pk.
    ids = [value for key, value in pairs if key in ID_KEYS and value is not None]
    notification_keys = {"thread_id", "post_id"}
    assert ids
    for key, value in pairs:
        if key in ID_KEYS and value is not None and not (key == "id" and isinstance(value, int)):
            assert isinstance(value, str) and PUBLIC_ID.match(value), (key, value)
            assert not value.isdigit()
    # The only integer ids left are the viewer's own notification ids, not posts or threads.
    assert all(key == "id" for key, value in pairs if key in ID_KEYS and isinstance(value, int))
    assert not {v for k, v in pairs if k in notification_keys and isinstance(v, int)} & pks

    # The anonymous reply is named by its public id; its time only says which hour it was.
    anonymous = posts["alice_anonymous"]
    shown = [
        datetime.fromisoformat(value)
        for key, value in pairs
        if key in ("created_at", "edited_at", "last_activity_at") and value
    ]
    assert anonymous.created_at.replace(minute=0, second=0, microsecond=0) in shown
    assert anonymous.created_at not in shown
    # Named posts keep their exact time (the JSON carries milliseconds).
    named = [posts[name].created_at for name in ("bob_before", "alice_named", "bob_after")]
    assert all(m.replace(microsecond=m.microsecond // 1000 * 1000) in shown for m in named)
    anonymous_items = [
        item
        for answer in api_answers(client_for(dana), thread, other)
        for key, item in walk(answer, [])
        if isinstance(item, dict) and item.get("id") == anonymous.public_id
    ]
    assert anonymous_items
    for item in anonymous_items:
        moment = datetime.fromisoformat(item["created_at"])
        assert (moment.minute, moment.second, moment.microsecond) == (0, 0, 0)
        assert item["author"] is None
    # The thread's last activity (the anonymous reply may be the latest) is only the hour too.
    for key, value in pairs:
        if key == "last_activity_at":
            moment = datetime.fromisoformat(value)
            assert (moment.minute, moment.second, moment.microsecond) == (0, 0, 0)


def test_the_thread_page_names_posts_by_public_id_and_rounds_anonymous_times(
    conversation, dana, alice
):
    thread, _, posts = conversation
    anonymous = posts["alice_anonymous"]
    page = client_for(dana).get(thread.get_absolute_url()).content.decode()
    assert f'id="post-{anonymous.public_id}"' in page
    for post in posts.values():
        assert f'post-{post.pk}"' not in page
        assert f"/posts/{post.pk}/" not in page
        assert f"/report/post/{post.pk}/" not in page
    hour = anonymous.created_at.replace(minute=0, second=0, microsecond=0)
    article = page.split(f'id="post-{anonymous.public_id}"', 1)[1].split("</article>", 1)[0]
    assert re.findall(r'<time datetime="([^"]+)"', article) == [hour.isoformat()]
    named = page.split(f'id="post-{posts["alice_named"].public_id}"', 1)[1]
    named_time = re.findall(r'<time datetime="([^"]+)"', named)[0]
    assert named_time == posts["alice_named"].created_at.isoformat(timespec="seconds")
    # The writer sees the exact time of their own anonymous reply.
    own = client_for(alice).get(f"/api/threads/{thread.public_id}/replies").json()["items"]
    mine = next(item for item in own if item["id"] == anonymous.public_id)
    exact = anonymous.created_at
    assert datetime.fromisoformat(mine["created_at"]) == exact.replace(
        microsecond=exact.microsecond // 1000 * 1000
    )


def test_sequential_pks_open_nothing(conversation, dana):
    thread, _, posts = conversation
    client = client_for(dana)
    post = posts["alice_anonymous"]
    assert client.get(f"/api/threads/{thread.pk}").status_code == 404
    assert client.get(f"/c/anxiety/t/{thread.pk}/").status_code == 404
    by_pk = client.post(
        f"/api/posts/{post.pk}/reactions", {"kind": "hug"}, content_type="application/json"
    )
    assert by_pk.status_code == 404 and not Reaction.objects.exists()
    assert client.post(f"/posts/{post.pk}/react/hug/").status_code == 404
    assert client.post(f"/api/posts/{post.public_id}/reactions", {"kind": "hug"},
                       content_type="application/json").status_code == 200  # fmt: skip
