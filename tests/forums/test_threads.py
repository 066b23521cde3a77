"""Threads and replies through pages and the API: posting, nesting, editing, deleting."""

import pytest

from haven.forums.actions import do_create_reply, do_create_thread
from haven.forums.models import MAX_REPLY_DEPTH, Post, PostRevision, Thread
from tests.conftest import client_for


@pytest.fixture
def thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety,
        title="Sunday evening dread",
        body="Every Sunday my chest gets tight.",
        content_warning="panic attacks",
        tags=["sunday", "work"],
        acting_user=alice,
    )


def test_a_member_posts_a_thread_with_markdown_tags_and_a_content_warning(
    alice_client, members_of_anxiety
):
    response = alice_client.post(
        "/c/anxiety/new/",
        {
            "title": "  First time posting  ",
            "body": "I **finally** said it out loud.",
            "content_warning": "panic",
            "tags": "Night Time, breathing, night time",
        },
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.title == "First time posting"
    assert [t.slug for t in thread.tags.all()] == ["breathing", "night-time"]
    page = alice_client.get(response["Location"]).content.decode()
    assert "<strong>finally</strong>" in page
    # The body sits inside a closed <details> until the reader opens it.
    assert '<details class="content-warning">' in page
    assert "Content warning: panic" in page


def test_only_members_of_a_community_can_start_threads_there(bob_client, anxiety):
    response = bob_client.post("/c/anxiety/new/", {"title": "Hi", "body": "Hello"})
    assert response.status_code == 403
    assert "Join Anxiety" in response.content.decode()
    api = bob_client.post(
        "/api/communities/anxiety/threads",
        {"title": "Hi", "body": "Hello"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert Thread.objects.count() == 0


def test_joining_and_leaving_a_community(bob_client, anxiety):
    assert bob_client.post("/c/anxiety/join/").status_code == 302
    assert bob_client.get("/api/communities/anxiety").json()["is_member"] is True
    assert bob_client.post("/api/communities/anxiety/join").status_code == 403
    assert bob_client.post("/api/communities/anxiety/leave").json()["is_member"] is False


def test_replies_nest_and_continue_beside_the_deepest_level(thread, bob, carol):
    first = do_create_reply(thread, body="level one", acting_user=bob)
    second = do_create_reply(thread, body="level two", parent=first, acting_user=carol)
    third = do_create_reply(thread, body="level three", parent=second, acting_user=bob)
    fourth = do_create_reply(thread, body="would be four", parent=third, acting_user=carol)
    assert (first.depth, second.depth, third.depth) == (1, 2, 3)
    assert fourth.depth == MAX_REPLY_DEPTH and fourth.parent_id == second.pk
    assert {second.root_id, third.root_id, fourth.root_id} == {first.pk}
    thread.refresh_from_db()
    assert thread.reply_count == 4

    data = client_for(bob).get(f"/api/threads/{thread.public_id}/replies").json()
    assert [(p["body"], p["depth"]) for p in data["items"]] == [
        ("level one", 1),
        ("level two", 2),
        ("level three", 3),
        ("would be four", 3),
    ]


def test_replying_through_the_page_and_the_api(thread, bob_client):
    response = bob_client.post(
        f"/c/anxiety/t/{thread.public_id}/reply/", {"body": "You are not alone in this."}
    )
    assert response.status_code == 302
    reply = Post.objects.get(depth=1)
    created = bob_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": "Answering you", "parent_id": reply.public_id},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["parent_id"] == reply.public_id
    assert created.json()["author"] == {"pseudonym": "bob"}


def test_editing_keeps_the_earlier_version(thread, alice_client):
    post = thread.first_post
    response = alice_client.post(
        f"/posts/{post.public_id}/edit/",
        {"title": "Sunday dread", "body": "Edited words.", "content_warning": "", "tags": ""},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    post.refresh_from_db()
    assert (thread.title, post.body, thread.content_warning) == (
        "Sunday dread",
        "Edited words.",
        "",
    )
    revision = PostRevision.objects.get(post=post)
    assert (revision.title, revision.body) == (
        "Sunday evening dread",
        "Every Sunday my chest gets tight.",
    )
    assert post.edited_at is not None


def test_nobody_edits_what_they_did_not_write(thread, bob_client, moderator_kim):
    post = thread.first_post
    assert bob_client.post(f"/posts/{post.public_id}/edit/", {"body": "hijack"}).status_code == 403
    assert (
        bob_client.patch(
            f"/api/posts/{post.public_id}", {"body": "hijack"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client_for(moderator_kim)
        .patch(f"/api/posts/{post.public_id}", {"body": "hijack"}, content_type="application/json")
        .status_code
        == 403
    )
    post.refresh_from_db()
    assert post.body == "Every Sunday my chest gets tight."


def test_deleting_a_thread_wipes_its_words_but_keeps_others_replies(thread, alice_client, bob):
    reply = do_create_reply(thread, body="Bob's kind reply", acting_user=bob)
    assert alice_client.post(f"/posts/{thread.first_post.public_id}/delete/").status_code == 302
    thread.refresh_from_db()
    opening = thread.first_post
    assert thread.is_deleted and opening.is_deleted and opening.body == ""
    assert thread.title == "[deleted]"
    bob_page = client_for(bob).get(thread.get_absolute_url()).content.decode()
    assert "<p>Bob's kind reply</p>" in bob_page
    assert "Every Sunday" not in bob_page
    # Gone from lists and search.
    assert "Sunday evening dread" not in client_for(bob).get("/c/anxiety/").content.decode()
    assert client_for(bob).get("/api/search?q=Sunday").json()["count"] == 0
    reply.refresh_from_db()
    assert not reply.is_deleted


def test_a_deleted_thread_without_replies_is_simply_gone(thread, alice_client, bob_client):
    assert alice_client.delete(f"/api/posts/{thread.first_post.public_id}").status_code == 204
    assert bob_client.get(thread.get_absolute_url()).status_code == 404
    assert bob_client.get(f"/api/threads/{thread.public_id}").status_code == 404


def test_nobody_deletes_what_they_have_no_right_to(thread, bob_client, community_mod_maya, grief):
    from haven.accounts.actions import do_create_user
    from haven.communities.actions import do_set_community_moderator

    post_id = thread.first_post.public_id
    assert bob_client.post(f"/posts/{post_id}/delete/").status_code == 403
    assert bob_client.delete(f"/api/posts/{post_id}").status_code == 403
    # A moderator of another community has no say here.
    grief_mod = do_create_user("grief_mod", "x" * 12, guidelines_version=1)
    do_set_community_moderator(grief_mod, grief, is_moderator=True, acting_user=None)
    assert client_for(grief_mod).delete(f"/api/posts/{post_id}").status_code == 403
    assert not Post.objects.get(public_id=post_id).is_deleted
    # This community's own moderator may.
    assert client_for(community_mod_maya).delete(f"/api/posts/{post_id}").status_code == 204


@pytest.mark.parametrize("action", ["lock", "pin"])
def test_only_moderators_of_the_community_lock_and_pin(
    thread, action, alice_client, community_mod_maya, moderator_kim, grief
):
    # The author is not a moderator.
    assert alice_client.post(f"/threads/{thread.public_id}/{action}/").status_code == 403
    field = {"lock": "is_locked", "pin": "is_pinned"}[action]
    response = alice_client.patch(
        f"/api/threads/{thread.public_id}/moderation",
        {field: True},
        content_type="application/json",
    )
    assert response.status_code == 403
    thread.refresh_from_db()
    assert getattr(thread, field) is False
    assert (
        client_for(community_mod_maya).post(f"/threads/{thread.public_id}/{action}/").status_code
        == 302
    )
    thread.refresh_from_db()
    assert getattr(thread, field) is True
    response = client_for(moderator_kim).patch(
        f"/api/threads/{thread.public_id}/moderation",
        {field: False},
        content_type="application/json",
    )
    assert response.json()[field] is False


def test_a_locked_thread_takes_no_replies_from_members(thread, bob_client, community_mod_maya):
    thread.is_locked = True
    thread.save()
    response = bob_client.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": "hello"})
    assert response.status_code == 403
    assert "locked" in response.content.decode()
    api = bob_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": "hello"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert Post.objects.filter(depth__gt=0).count() == 0
    # Moderators may still answer, for example to explain the lock.
    ok = client_for(community_mod_maya).post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": "Locking this to keep it safe."},
        content_type="application/json",
    )
    assert ok.status_code == 201


@pytest.mark.parametrize(
    "url",
    [
        "/c/anxiety/t/999999/",
        "/c/grief/t/{thread}/",  # a real thread under the wrong community
        "/posts/999999/edit/",
        "/posts/999999/delete/",
        "/api/threads/999999",
        "/api/threads/999999/replies",
        "/members/nobody-here/",
        "/api/members/nobody-here",
        "/c/no-such-community/",
        "/api/communities/no-such-community",
    ],
)
def test_unknown_ids_answer_404_never_500(url, thread, bob_client, grief):
    response = bob_client.get(url.format(thread=thread.public_id))
    assert response.status_code == 404


def test_unknown_ids_in_writes_answer_404(thread, bob_client):
    for method, url, body in [
        ("post", "/api/threads/999999/replies", {"body": "x"}),
        ("patch", "/api/posts/999999", {"body": "x"}),
        ("delete", "/api/posts/999999", None),
        ("post", "/api/posts/999999/reactions", {"kind": "hug"}),
        ("patch", "/api/threads/999999/moderation", {"is_locked": True}),
    ]:
        # Each body is its endpoint's own shape: unknown fields are refused with a 422.
        response = getattr(bob_client, method)(url, body, content_type="application/json")
        assert response.status_code == 404, (method, url)
    response = bob_client.post(
        f"/api/threads/{thread.public_id}/replies",
        {"body": "x", "parent_id": "no-such-post"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_pages_need_a_signed_in_member(thread, client):
    assert client.get("/home/").status_code == 302
    assert client.get(thread.get_absolute_url()).status_code == 302
    assert client.get(f"/api/threads/{thread.public_id}").status_code == 401
