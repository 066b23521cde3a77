"""The filters page (/accounts/filters/) and GET/PUT /api/me/preferences: choices are saved,
checked, exported, and read once per request."""

from haven.accounts.models import MemberPreferences
from haven.accounts.preferences import do_block, preferences_of, viewer_filters

VALID = {
    "muted_themes": ["grief", "eating"],
    "muted_tags": "Sleep, night anxiety",
    "content_warning_display": "hide",
    "direct_messages_from": "level",
    "direct_messages_min_level": "3",
    "is_peer_responder": "on",
}


def test_the_settings_page_links_to_filters_and_blocking(alice_client):
    html = alice_client.get("/accounts/settings/").content.decode()
    assert 'href="/accounts/filters/"' in html and "Filters and blocking" in html


def test_the_filters_page_shows_every_choice_with_labels(alice_client):
    response = alice_client.get("/accounts/filters/")
    assert response.status_code == 200
    html = response.content.decode()
    for words in (
        "Grief and loss", "Pregnancy and baby loss", "Self-harm detail",
        "Posts with a content warning", "Blurred until I open it",
        "Who may send me direct messages", "People I follow",
        "Offer me threads that are still waiting for a first reply",
        "You haven't blocked anyone",
    ):  # fmt: skip
        assert words in html, words


def test_saving_the_filters_page_stores_the_choices(alice, alice_client):
    response = alice_client.post("/accounts/filters/", VALID)
    assert response.status_code == 302 and response["Location"] == "/accounts/filters/"
    prefs = MemberPreferences.objects.get(user=alice)
    assert prefs.muted_themes == ["eating", "grief"]  # vocabulary order
    assert prefs.muted_tags == ["sleep", "night-anxiety"]
    assert prefs.content_warning_display == "hide"
    assert prefs.direct_messages_from == "level"
    assert prefs.direct_messages_min_level == 3
    assert prefs.is_peer_responder is True
    html = alice_client.get("/accounts/filters/").content.decode()
    assert 'value="sleep, night-anxiety"' in html


def test_the_filters_page_explains_what_is_wrong(alice, alice_client):
    too_many = ", ".join(f"tag{n}" for n in range(51))
    response = alice_client.post(
        "/accounts/filters/",
        {**VALID, "muted_tags": too_many, "muted_themes": ["not-a-theme"]},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "You can mute up to 50 tags" in html
    assert "Select a valid choice" in html
    assert not MemberPreferences.objects.filter(user=alice).exists()


def test_a_member_without_choices_has_the_defaults(alice):
    prefs = preferences_of(alice)
    assert prefs.pk is None and prefs.content_warning_display == "blur"
    assert prefs.muted_themes == [] and prefs.is_peer_responder is False


def test_the_api_reads_and_replaces_the_preferences(alice, bob, alice_client):
    got = alice_client.get("/api/me/preferences")
    assert got.status_code == 200
    body = got.json()
    assert body["content_warning_display"] == "blur" and body["blocked"] == []
    assert {"key": "grief", "label": "Grief and loss"}.items() <= body["themes"][3].items()
    do_block(alice, bob)
    put = alice_client.put(
        "/api/me/preferences",
        {"muted_themes": ["suicide"], "muted_tags": ["Night anxiety"],
         "content_warning_display": "show", "is_peer_responder": True},
        content_type="application/json",
    )  # fmt: skip
    assert put.status_code == 200
    saved = put.json()
    assert saved["muted_themes"] == ["suicide"] and saved["muted_tags"] == ["night-anxiety"]
    assert saved["direct_messages_from"] == "following"  # left out: the default
    assert saved["blocked"] == ["bob"]
    assert alice_client.get("/api/me/preferences").json()["is_peer_responder"] is True


def test_the_api_refuses_what_it_cannot_store(alice_client):
    for payload in (
        {"muted_themes": ["gardening"]},
        {"content_warning_display": "sometimes"},
        {"direct_messages_min_level": 9},
        {"muted_tags": [f"t{n}" for n in range(51)]},
    ):
        response = alice_client.put("/api/me/preferences", payload, content_type="application/json")
        assert response.status_code == 422, payload


def test_preferences_are_part_of_the_data_export(alice, alice_client):
    alice_client.post("/accounts/filters/", VALID)
    exported = alice_client.post("/accounts/export/").content.decode()
    assert '"muted_themes": [' in exported and '"night-anxiety"' in exported


def test_filters_are_read_once_and_refreshed_after_a_change(alice, bob, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = viewer_filters(alice)
        viewer_filters(alice)
    assert first.blocked_ids == frozenset()
    do_block(alice, bob)
    assert viewer_filters(alice).blocked_ids == {bob.pk}


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/accounts/filters/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
