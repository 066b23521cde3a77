"""What trust levels open, refused below the level and allowed at it, by page and by API: links
and images in posts, updates and replies, and threads in communities marked sensitive."""

import pytest

from haven.accounts.models import TrustLevel, User
from haven.accounts.trust import capabilities_for_text
from haven.forums.actions import do_create_reply, do_create_thread
from haven.forums.models import Post, Thread
from haven.updates.actions import do_create_update
from haven.updates.models import Update, UpdateReply
from tests.conftest import client_for

LINK = "This helped me: [a breathing guide](https://example.org/breathe)"
BARE_LINK = "This helped me: https://example.org/breathe"
IMAGE = "My calm corner: ![a plant by the window](https://example.org/plant.jpg)"


@pytest.fixture(autouse=True)
def _known_unlocks(settings):
    settings.HAVEN_TRUST_UNLOCKS = {
        **settings.HAVEN_TRUST_UNLOCKS,
        "post_links": 1,
        "post_images": 2,
        "sensitive_threads": 1,
    }


def at_level(user: User, level: int) -> User:
    User.objects.filter(pk=user.pk).update(trust_level=level)
    user.refresh_from_db()
    return user


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("Just words, and an e-mail-free sign-off.", []),
        (LINK, ["post_links"]),
        (BARE_LINK, ["post_links"]),
        ("See www.example.org for more", ["post_links"]),
        ("<https://example.org>", ["post_links"]),
        ("[the guide][1]\n\n[1]: https://example.org", ["post_links"]),
        (IMAGE, ["post_images"]),
        ("`https://example.org` in code is not a link", []),
    ],
)
def test_links_and_images_are_found_as_markdown_makes_them(text, needs):
    assert capabilities_for_text(text) == needs


# --- Threads, by page and API


def test_a_new_member_is_kindly_refused_a_link_in_a_thread_and_keeps_their_words(
    members_of_anxiety, alice_client
):
    response = alice_client.post("/c/anxiety/new/", {"title": "A guide", "body": LINK})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Put links in posts opens up once you reach the" in page
    assert "/trust/" in page
    assert "a breathing guide" in page  # the form comes back filled
    assert not Thread.objects.filter(title="A guide").exists()


def test_a_settling_member_may_put_a_link_in_a_thread(members_of_anxiety, alice, alice_client):
    at_level(alice, TrustLevel.SETTLING)
    response = alice_client.post("/c/anxiety/new/", {"title": "A guide", "body": LINK})
    assert response.status_code == 302
    assert Thread.objects.filter(title="A guide").exists()


def test_the_api_refuses_a_link_below_the_level_with_the_trust_code(
    members_of_anxiety, alice, alice_client
):
    payload = {"title": "A guide", "body": BARE_LINK}
    response = alice_client.post(
        "/api/communities/anxiety/threads", payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "trust_level"
    at_level(alice, TrustLevel.SETTLING)
    response = alice_client.post(
        "/api/communities/anxiety/threads", payload, content_type="application/json"
    )
    assert response.status_code == 201


def test_images_need_the_member_level_by_page_and_api(members_of_anxiety, alice, alice_client):
    at_level(alice, TrustLevel.SETTLING)
    assert alice_client.post("/c/anxiety/new/", {"title": "Plant", "body": IMAGE}).status_code == (
        403
    )
    api = alice_client.post(
        "/api/communities/anxiety/threads",
        {"title": "Plant", "body": IMAGE},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert "Put images in posts" in api.json()["detail"]
    at_level(alice, TrustLevel.MEMBER)
    assert alice_client.post("/c/anxiety/new/", {"title": "Plant", "body": IMAGE}).status_code == (
        302
    )


# --- Replies and edits


def test_replies_with_links_need_the_level_by_page_and_api(thread, bob, bob_client):
    url = f"/c/anxiety/t/{thread.public_id}/reply/"
    response = bob_client.post(url, {"body": LINK})
    assert response.status_code == 403
    assert "Put links in posts" in response.content.decode()
    api_url = f"/api/threads/{thread.public_id}/replies"
    api = bob_client.post(api_url, {"body": LINK}, content_type="application/json")
    assert (api.status_code, api.json()["code"]) == (403, "trust_level")
    assert not Post.objects.filter(body=LINK).exists()
    at_level(bob, TrustLevel.SETTLING)
    assert bob_client.post(url, {"body": LINK}).status_code == 302
    assert bob_client.post(
        api_url, {"body": LINK}, content_type="application/json"
    ).status_code == (201)


def test_an_edit_may_not_add_a_link_below_the_level(thread, bob, bob_client):
    reply = do_create_reply(thread, body="Plain words.", acting_user=bob)
    page = bob_client.post(f"/posts/{reply.public_id}/edit/", {"body": LINK})
    assert page.status_code == 403
    api = bob_client.patch(
        f"/api/posts/{reply.public_id}", {"body": LINK}, content_type="application/json"
    )
    assert (api.status_code, api.json()["code"]) == (403, "trust_level")
    reply.refresh_from_db()
    assert reply.body == "Plain words."


def test_an_edit_keeps_a_link_the_post_already_had(thread, bob, bob_client):
    """A moderator's hold, or a post from before trust levels: fixing a typo still works."""
    at_level(bob, TrustLevel.SETTLING)
    reply = do_create_reply(thread, body=LINK, acting_user=bob)
    at_level(bob, TrustLevel.NEW)
    fixed = LINK.replace("helped", "really helped")
    api = bob_client.patch(
        f"/api/posts/{reply.public_id}", {"body": fixed}, content_type="application/json"
    )
    assert api.status_code == 200
    assert bob_client.post(f"/posts/{reply.public_id}/edit/", {"body": fixed}).status_code == 302


# --- Updates and their replies


def test_updates_with_links_need_the_level_by_page_and_api(alice, alice_client):
    response = alice_client.post("/updates/", {"body": LINK, "visibility": "public"})
    assert response.status_code == 403
    assert "Put links in posts" in response.content.decode()
    api = alice_client.post(
        "/api/updates", {"body": LINK, "visibility": "public"}, content_type="application/json"
    )
    assert (api.status_code, api.json()["code"]) == (403, "trust_level")
    assert not Update.objects.exists()
    at_level(alice, TrustLevel.SETTLING)
    assert alice_client.post("/updates/", {"body": LINK, "visibility": "public"}).status_code == 302
    api = alice_client.post(
        "/api/updates", {"body": LINK, "visibility": "public"}, content_type="application/json"
    )
    assert api.status_code == 201


def test_replies_to_updates_with_images_need_the_level(alice, bob, bob_client):
    update = do_create_update(body="A calm day.", visibility="public", acting_user=alice)
    at_level(bob, TrustLevel.SETTLING)
    page = bob_client.post(f"/updates/{update.public_id}/reply/", {"body": IMAGE})
    assert page.status_code == 403
    api_url = f"/api/updates/{update.public_id}/replies"
    api = bob_client.post(api_url, {"body": IMAGE}, content_type="application/json")
    assert (api.status_code, api.json()["code"]) == (403, "trust_level")
    assert not UpdateReply.objects.exists()
    at_level(bob, TrustLevel.MEMBER)
    assert bob_client.post(
        api_url, {"body": IMAGE}, content_type="application/json"
    ).status_code == (201)


# --- Sensitive communities


@pytest.fixture
def sensitive_anxiety(members_of_anxiety):
    members_of_anxiety.is_sensitive = True
    members_of_anxiety.save(update_fields=["is_sensitive"])
    return members_of_anxiety


def test_a_new_member_sees_why_they_cannot_start_a_thread_in_a_sensitive_community(
    sensitive_anxiety, alice_client
):
    page = alice_client.get("/c/anxiety/new/")
    assert page.status_code == 403
    assert "Start threads in communities marked sensitive" in page.content.decode()
    posted = alice_client.post("/c/anxiety/new/", {"title": "Hello", "body": "Hi all"})
    assert posted.status_code == 403
    api = alice_client.post(
        "/api/communities/anxiety/threads",
        {"title": "Hello", "body": "Hi all"},
        content_type="application/json",
    )
    assert (api.status_code, api.json()["code"]) == (403, "trust_level")
    assert not Thread.objects.exists()


def test_a_settling_member_may_start_a_thread_in_a_sensitive_community(
    sensitive_anxiety, alice, alice_client
):
    at_level(alice, TrustLevel.SETTLING)
    assert alice_client.get("/c/anxiety/new/").status_code == 200
    assert alice_client.post("/c/anxiety/new/", {"title": "Hello", "body": "Hi"}).status_code == 302
    api = alice_client.post(
        "/api/communities/anxiety/threads",
        {"title": "Again", "body": "Hi"},
        content_type="application/json",
    )
    assert api.status_code == 201


def test_everyone_may_still_reply_in_a_sensitive_community(sensitive_anxiety, alice, bob):
    thread = do_create_thread(sensitive_anxiety, title="Hi", body="Hello", acting_user=alice)
    response = client_for(bob).post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": "Hi!"})
    assert response.status_code == 302


def test_the_community_page_says_it_asks_for_a_little_time(sensitive_anxiety, alice_client):
    page = alice_client.get("/c/anxiety/").content.decode()
    assert "asks members to have been here a little while before starting threads" in page


def test_an_ordinary_community_page_says_nothing_about_it(members_of_anxiety, alice_client):
    page = alice_client.get("/c/anxiety/").content.decode()
    assert "a little while before starting threads" not in page


def test_the_admin_can_mark_a_community_sensitive(anxiety, site_admin):
    client = client_for(site_admin)
    page = client.get(f"/admin/communities/community/{anxiety.pk}/change/").content.decode()
    assert 'name="is_sensitive"' in page
