"""Profiles, data export, and account deletion (erase, or keep as a deleted member)."""

import json

import pytest

from haven.accounts.models import User
from haven.core import fulltext
from haven.forums.actions import do_create_reply, do_create_thread, do_toggle_reaction
from haven.forums.models import Post, Thread
from haven.updates.actions import do_create_update, do_follow
from haven.updates.models import Update
from tests.conftest import PASSWORD


@pytest.fixture
def alices_writing(members_of_anxiety, alice, bob):
    thread = do_create_thread(
        members_of_anxiety, title="Alice's thread", body="alicebody words", acting_user=alice
    )
    bob_reply = do_create_reply(thread, body="Bob supports", acting_user=bob)
    do_create_reply(thread, body="aliceanon reply", is_anonymous=True, acting_user=alice)
    bobs_thread = do_create_thread(members_of_anxiety, title="Bob's", body="b", acting_user=bob)
    do_create_reply(bobs_thread, body="alicereply words", acting_user=alice)
    do_toggle_reaction(bob_reply, "thanks", acting_user=alice)
    do_create_update(body="aliceupdate private", visibility="private", acting_user=alice)
    do_follow(bob, acting_user=alice)
    return thread


def test_profile_shows_only_what_the_member_chose_to_share(alice, alice_client, bob_client):
    response = alice_client.post(
        "/accounts/profile/",
        {
            "bio": "Learning to be gentle with myself",
            "topics": "Sleep, anxiety, sleep",
            "country": "GB",
            "email": "alice@example.org",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.topics == ["sleep", "anxiety"]
    page = bob_client.get("/members/alice/").content.decode()
    assert "Learning to be gentle with myself" in page
    assert "alice@example.org" not in page
    api = bob_client.get("/api/members/alice").json()
    assert "email" not in api and api["topics"] == ["sleep", "anxiety"]
    assert alice_client.get("/api/me").json()["email"] == "alice@example.org"


def test_the_api_profile_update_validates_country_and_email(alice_client):
    assert (
        alice_client.patch(
            "/api/me", {"country": "XX"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert (
        alice_client.patch(
            "/api/me", {"email": "nope"}, content_type="application/json"
        ).status_code
        == 422
    )
    ok = alice_client.patch(
        "/api/me", {"country": "ie", "bio": "hi"}, content_type="application/json"
    )
    assert ok.json()["country"] == "IE"


def test_data_export_holds_everything_about_the_member(alices_writing, alice_client):
    response = alice_client.post("/accounts/export/")
    assert response["Content-Disposition"] == 'attachment; filename="haven-my-data.json"'
    data = json.loads(response.content)
    bodies = {p["body"] for p in data["posts"]}
    assert {"alicebody words", "aliceanon reply", "alicereply words"} <= bodies
    assert [u["body"] for u in data["updates"]] == ["aliceupdate private"]
    assert data["following"] == ["bob"]
    assert data["reactions_given"][0]["kind"] == "thanks"
    assert data["communities"][0]["community"] == "anxiety"
    assert alice_client.get("/api/me/export").json()["profile"]["pseudonym"] == "alice"
    assert alice_client.get("/accounts/export/").status_code == 405  # a download needs a POST


def test_deleting_and_erasing_removes_every_word(alices_writing, alice, alice_client, bob_client):
    response = alice_client.post("/accounts/delete/", {"content": "erase", "password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pseudonym="alice").exists()
    assert not Update.objects.exists()
    for words in ("alicebody", "aliceanon", "alicereply", "aliceupdate"):
        assert fulltext.search(words, ("post", "update")) == []
        assert not Post.objects.filter(body__contains=words).exists()
    # Bob's support in Alice's old thread is still there for others to read.
    thread = Thread.objects.get(pk=alices_writing.pk)
    page = bob_client.get(thread.get_absolute_url()).content.decode()
    assert "Bob supports" in page and "alicebody" not in page
    assert alice_client.get("/home/").status_code == 302  # signed out


def test_deleting_and_keeping_shows_posts_as_a_deleted_member(
    alices_writing, alice_client, bob_client
):
    alice_client.post("/accounts/delete/", {"content": "keep", "password": PASSWORD})
    page = bob_client.get(alices_writing.get_absolute_url()).content.decode()
    assert "alicebody words" in page
    assert "Deleted member" in page
    assert "aliceanon reply" in page and "Anonymous member" in page
    assert "alice" not in page.replace("alicebody", "").replace("aliceanon", "").lower().replace(
        "alice&#x27;s thread", ""
    )
    assert not Update.objects.exists()


def test_deletion_needs_the_password(alices_writing, alice_client):
    response = alice_client.post("/accounts/delete/", {"content": "erase", "password": "wrong"})
    assert response.status_code == 200
    assert "That password is not right." in response.content.decode()
    assert User.objects.filter(pseudonym="alice").exists()
    api = alice_client.post(
        "/api/me/delete",
        {"content": "erase", "password": "wrong"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert User.objects.filter(pseudonym="alice").exists()


def test_deleting_through_the_api(alices_writing, alice_client):
    response = alice_client.post(
        "/api/me/delete",
        {"content": "erase", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert not User.objects.filter(pseudonym="alice").exists()


# --- Every app accounts for what it keeps about a member


def foreign_keys_to_members() -> set[str]:
    from django.apps import apps as django_apps
    from django.contrib.auth import get_user_model

    member_model = get_user_model()
    return {
        f"{model._meta.label}.{field.name}"
        for model in django_apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is member_model
    }


def test_every_foreign_key_to_a_member_is_accounted_for_by_one_apps_privacy_module():
    """A new model that keeps something about a member must say, in its app's privacy.py, how
    the member gets it in their export and what deleting the account does to it."""
    from haven.accounts.personal_data import privacy_modules

    declared: dict[str, str] = {}
    for module in privacy_modules():
        assert callable(module.export) and callable(module.erase), module.__name__
        for key in module.PERSONAL_DATA:
            assert key not in declared, f"{key} declared by {declared[key]} and {module.__name__}"
            declared[key] = module.__name__
    assert foreign_keys_to_members() - set(declared) == set(), (
        "say how these are exported and erased"
    )
    assert set(declared) - foreign_keys_to_members() == set(), "these keys no longer exist"


def test_the_export_is_assembled_from_every_apps_privacy_module(alice):
    from haven.accounts.personal_data import export_user_data, privacy_modules

    apps_with_data = {module.__name__.split(".")[1] for module in privacy_modules()}
    assert {
        "accounts",
        "forums",
        "updates",
        "chat",
        "wellness",
        "care",
        "moderation",
    } <= apps_with_data
    data = export_user_data(alice)
    for key in (
        "profile",
        "communities",
        "posts",
        "updates",
        "chats",
        "journal",
        "care",
        "peer_matching",
        "notifications",
        "reports_filed",
        "moderation",
    ):
        assert key in data, key
    assert data["profile"]["pseudonym"] == alice.pseudonym
