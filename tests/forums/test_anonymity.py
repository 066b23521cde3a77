"""Anonymous posts never reveal their author to other members, in any page or API response."""

import pytest

from haven.forums.actions import do_create_reply, do_create_thread, do_toggle_reaction
from tests.conftest import client_for, make_member

SECRET_AUTHOR = "zephyr_quill_91"  # unusual enough that any appearance is a leak


@pytest.fixture
def hidden_author(guidelines, anxiety):
    from haven.communities.actions import do_join_community

    member = make_member(SECRET_AUTHOR, guidelines)
    do_join_community(member, anxiety)
    return member


@pytest.fixture
def anonymous_thread(hidden_author, anxiety, bob):
    thread = do_create_thread(
        anxiety,
        title="Nobody knows how scared I am",
        body="Panic every morning before work, cannot tell anyone at home.",
        is_anonymous=True,
        acting_user=hidden_author,
    )
    # The hidden author also replies anonymously, and gets a reply and a reaction back.
    own_reply = do_create_reply(
        thread,
        body="Adding: mornings are worst around seven.",
        is_anonymous=True,
        acting_user=hidden_author,
    )
    do_create_reply(thread, body="Sending warmth your way.", parent=own_reply, acting_user=bob)
    do_toggle_reaction(thread.first_post, "hug", acting_user=bob)
    return thread


def pages_to_check(thread):
    return [
        thread.get_absolute_url(),
        "/home/",
        "/home/?sort=needs-support",
        f"/c/{thread.community.slug}/",
        "/search/?q=panic",
        "/search/?q=mornings",
        "/notifications/",
        f"/members/{SECRET_AUTHOR}/",
    ]


def api_to_check(thread):
    return [
        f"/api/threads/{thread.public_id}",
        f"/api/threads/{thread.public_id}/replies",
        "/api/feed",
        f"/api/communities/{thread.community.slug}/threads",
        "/api/search?q=panic",
        "/api/search?q=mornings",
        "/api/notifications",
    ]


def test_anonymous_author_is_hidden_from_other_members_in_every_page(anonymous_thread, bob, carol):
    for viewer in (bob, carol):
        client = client_for(viewer)
        for url in pages_to_check(anonymous_thread):
            response = client.get(url)
            if url.startswith("/members/"):
                # Their profile exists but lists nothing they wrote anonymously.
                assert "Nobody knows how scared" not in response.content.decode()
                continue
            assert response.status_code == 200, url
            assert SECRET_AUTHOR not in response.content.decode(), url
    thread_page = client_for(bob).get(anonymous_thread.get_absolute_url()).content.decode()
    assert "Anonymous member" in thread_page
    assert "Nobody knows how scared I am" in thread_page


def test_anonymous_author_is_hidden_from_other_members_in_every_api_response(
    anonymous_thread, bob, carol
):
    for viewer in (bob, carol):
        client = client_for(viewer)
        for url in api_to_check(anonymous_thread):
            response = client.get(url)
            assert response.status_code == 200, url
            assert SECRET_AUTHOR not in response.content.decode(), url
    thread = client_for(bob).get(f"/api/threads/{anonymous_thread.public_id}").json()
    assert thread["author"] is None
    assert thread["author_label"] == "Anonymous member"
    assert thread["opening_post"]["is_mine"] is False


def test_site_moderators_see_anonymous_posts_as_anonymous_in_ordinary_pages(
    anonymous_thread, moderator_kim
):
    client = client_for(moderator_kim)
    assert SECRET_AUTHOR not in client.get(anonymous_thread.get_absolute_url()).content.decode()
    assert (
        SECRET_AUTHOR
        not in client.get(f"/api/threads/{anonymous_thread.public_id}").content.decode()
    )


def test_site_moderators_can_still_act_on_anonymous_posts(anonymous_thread, moderator_kim):
    client = client_for(moderator_kim)
    response = client.post(f"/threads/{anonymous_thread.public_id}/lock/")
    assert response.status_code == 302
    anonymous_thread.refresh_from_db()
    assert anonymous_thread.is_locked
    response = client.delete(f"/api/posts/{anonymous_thread.first_post.public_id}")
    assert response.status_code == 204


def test_the_author_sees_their_own_anonymous_post_marked_as_theirs(anonymous_thread, hidden_author):
    client = client_for(hidden_author)
    page = client.get(anonymous_thread.get_absolute_url()).content.decode()
    assert "Anonymous member (you)" in page
    data = client.get(f"/api/threads/{anonymous_thread.public_id}").json()
    assert data["opening_post"]["is_mine"] is True


def test_notifications_about_anonymous_replies_do_not_name_the_replier(
    anonymous_thread, hidden_author, alice, anxiety
):
    from haven.forums.actions import do_set_subscription

    do_set_subscription(anonymous_thread, True, acting_user=alice)
    do_create_reply(
        anonymous_thread,
        body="One more anonymous thought.",
        is_anonymous=True,
        acting_user=hidden_author,
    )
    items = client_for(alice).get("/api/notifications").json()["items"]
    assert items and items[0]["actor_label"] == "Anonymous member"
    assert SECRET_AUTHOR not in client_for(alice).get("/notifications/").content.decode()
