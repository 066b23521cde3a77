"""The rules pages and API: who may see and change watched words, adding, changing and removing
them, trying a rule on a sample and on recent posts before saving (htmx and plain posts), and
the audit log keeping what was before and after."""

import pytest

from haven.communities.models import WatchedWord
from haven.communities.rules import CENSORED
from haven.forums.actions import do_create_reply, do_create_thread
from haven.moderation.models import AuditEntry
from tests.conftest import client_for, token_client_for

RULE = {"kind": "word", "pattern": "darn", "action": "censor", "resource_url": "",
        "resource_title": "", "note": ""}  # fmt: skip


@pytest.fixture
def thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety, title="Rough week", body="It has been a long week.", acting_user=alice
    )


@pytest.fixture
def maya_client(community_mod_maya):
    return client_for(community_mod_maya)


@pytest.fixture
def admin_client(site_admin):
    return client_for(site_admin)


# --- Who may -------------------------------------------------------------------------------


def test_a_member_cannot_see_or_change_any_rules(members_of_anxiety, alice_client):
    assert alice_client.get("/c/anxiety/moderation/rules/").status_code == 403
    assert alice_client.get("/moderation/rules/").status_code == 403
    assert alice_client.post("/c/anxiety/moderation/rules/", RULE).status_code == 403
    api = alice_client.post(
        "/api/moderation/rules", {**RULE, "community": "anxiety"}, content_type="application/json"
    )
    assert api.status_code == 403
    assert alice_client.get("/api/moderation/rules?community=anxiety").status_code == 403
    assert not WatchedWord.objects.exists()


def test_a_community_moderator_manages_only_their_own_communitys_rules(anxiety, grief, maya_client):
    assert maya_client.get("/c/anxiety/moderation/rules/").status_code == 200
    assert maya_client.get("/c/grief/moderation/rules/").status_code == 403
    assert maya_client.get("/moderation/rules/").status_code == 403  # site-wide: admins
    site_wide = maya_client.post("/api/moderation/rules", RULE, content_type="application/json")
    assert site_wide.status_code == 403
    elsewhere = WatchedWord.objects.create(community=grief, pattern="x", action="flag")
    assert maya_client.get(f"/c/grief/moderation/rules/{elsewhere.pk}/").status_code == 403
    # Asking for grief's rule under anxiety's address finds nothing.
    assert maya_client.get(f"/c/anxiety/moderation/rules/{elsewhere.pk}/").status_code == 404
    assert (
        maya_client.delete(f"/api/moderation/rules/{elsewhere.pk}").status_code == 404
    )  # hidden, not refused
    assert WatchedWord.objects.filter(pk=elsewhere.pk).exists()


def test_a_site_moderator_manages_any_community_but_not_site_wide_rules(anxiety, moderator_kim):
    client = client_for(moderator_kim)
    assert client.get("/c/anxiety/moderation/rules/").status_code == 200
    assert client.get("/moderation/rules/").status_code == 403


def test_admins_manage_site_wide_rules(admin_client):
    page = admin_client.get("/moderation/rules/")
    assert page.status_code == 200 and "Site-wide watched words" in page.content.decode()
    response = admin_client.post("/moderation/rules/", RULE, follow=True)
    assert "The rule is added." in response.content.decode()
    assert WatchedWord.objects.get(pattern="darn").community is None


# --- Adding, changing, removing through the pages ------------------------------------------


def test_a_community_moderator_adds_changes_and_removes_a_rule_and_each_is_audited(
    anxiety, maya_client, community_mod_maya
):
    response = maya_client.post("/c/anxiety/moderation/rules/", RULE, follow=True)
    assert "The rule is added." in response.content.decode()
    rule = WatchedWord.objects.get(community=anxiety)
    assert "<code>darn</code>" in response.content.decode()

    maya_client.post(
        f"/c/anxiety/moderation/rules/{rule.pk}/", {**RULE, "action": "flag", "note": "watch"}
    )
    rule.refresh_from_db()
    assert rule.action == "flag" and rule.note == "watch"

    maya_client.post(f"/c/anxiety/moderation/rules/{rule.pk}/delete/")
    assert not WatchedWord.objects.exists()

    added, changed, removed = AuditEntry.objects.order_by("id").filter(target_kind="watched_word")
    assert added.action == "watched_word_added" and added.actor == community_mod_maya
    assert added.community == anxiety and added.details["before"] is None
    assert added.details["after"]["pattern"] == "darn"
    assert changed.details["before"]["action"] == "censor"
    assert changed.details["after"]["action"] == "flag"
    assert removed.details == {"before": {**RULE, "action": "flag", "note": "watch"}, "after": None}


def test_the_audit_log_page_shows_before_and_after(anxiety, maya_client, admin_client):
    maya_client.post("/c/anxiety/moderation/rules/", RULE)
    rule = WatchedWord.objects.get()
    maya_client.post(f"/c/anxiety/moderation/rules/{rule.pk}/", {**RULE, "action": "flag"})
    page = admin_client.get("/moderation/audit/").content.decode()
    assert "watched_word_changed" in page
    assert "Before</dt><dd>" in page and "action: censor" in page and "action: flag" in page
    entries = admin_client.get("/api/moderation/audit").json()["items"]
    changed = next(e for e in entries if e["action"] == "watched_word_changed")
    assert changed["details"]["before"]["action"] == "censor"
    assert changed["details"]["after"]["action"] == "flag"


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"kind": "regex", "pattern": "(a+)+"}, "A repeat inside a repeat"),
        ({"kind": "regex", "pattern": "feel(ing"}, "This pattern can&#x27;t be read"),
        ({"kind": "word", "pattern": "two words"}, "choose “A phrase” instead"),
        ({"action": "link", "resource_url": "https://evil.example/"}, "starting with /library/"),
        ({"action": "link", "resource_url": "javascript:alert(1)"}, "starting with /library/"),
    ],
)
def test_the_form_explains_what_is_wrong_with_a_rule(anxiety, maya_client, changes, says):
    response = maya_client.post("/c/anxiety/moderation/rules/", {**RULE, **changes})
    assert response.status_code == 422
    assert says in response.content.decode()
    assert not WatchedWord.objects.exists()


def test_a_pasted_full_library_address_keeps_only_its_path(anxiety, maya_client):
    maya_client.post(
        "/c/anxiety/moderation/rules/",
        {**RULE, "action": "link", "resource_url": "https://haven.example/library/calm/",
         "resource_title": "Calm"},
    )  # fmt: skip
    assert WatchedWord.objects.get().resource_url == "/library/calm/"


# --- Trying before saving ------------------------------------------------------------------


def test_trying_a_rule_with_a_plain_post_shows_the_sample_and_recent_matches_and_saves_nothing(
    thread, bob, maya_client
):
    do_create_reply(thread, body="Darn, what a week.", acting_user=bob)
    do_create_reply(thread, body="Nothing to see.", acting_user=bob)
    response = maya_client.post(
        "/c/anxiety/moderation/rules/", {**RULE, "sample": "oh darn it", "try": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "What this rule would do (not saved yet)" in page
    assert f"oh {CENSORED} it" in page
    assert "1 match." in page and "<mark>Darn</mark>, what a week." in page
    assert not WatchedWord.objects.exists() and not AuditEntry.objects.exists()


def test_trying_a_rule_with_htmx_returns_the_results_alone(thread, bob, maya_client):
    do_create_reply(thread, body="darn it all", acting_user=bob)
    response = maya_client.post(
        "/c/anxiety/moderation/rules/try/",
        {**RULE, "action": "block", "sample": "darn"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert 'data-outcome="block"' in page and "aren&#x27;t allowed here" in page
    assert "<mark>darn</mark>" in page
    for action, outcome in [("hold", "hold"), ("flag", "flag"), ("censor", "changed")]:
        page = maya_client.post(
            "/c/anxiety/moderation/rules/try/", {**RULE, "action": action, "sample": "darn"}
        ).content.decode()
        assert f'data-outcome="{outcome}"' in page
    page = maya_client.post(
        "/c/anxiety/moderation/rules/try/", {**RULE, "sample": "nothing here"}
    ).content.decode()
    assert 'data-outcome="none"' in page


def test_trying_an_invalid_rule_with_htmx_explains_it(anxiety, maya_client):
    page = maya_client.post(
        "/c/anxiety/moderation/rules/try/", {**RULE, "kind": "regex", "pattern": "(a|ab)+"}
    ).content.decode()
    assert "Please fix the rule first" in page and "A repeated choice" in page


def test_the_preview_looks_only_at_the_community_or_everywhere_for_site_wide(
    thread, bob, grief, maya_client, admin_client
):
    do_create_thread(grief, title="Loss", body="darn this grief", acting_user=bob)
    do_create_reply(thread, body="darn anxiety", acting_user=bob)
    community = maya_client.post(
        "/c/anxiety/moderation/rules/try/", {**RULE, "sample": "x"}
    ).content.decode()
    assert "darn anxiety" not in community  # split by <mark>
    assert "<mark>darn</mark> anxiety" in community and "this grief" not in community
    site = admin_client.post("/moderation/rules/try/", {**RULE, "sample": "x"}).content.decode()
    assert "<mark>darn</mark> anxiety" in site and "<mark>darn</mark> this grief" in site


def test_the_edit_page_tries_the_changed_rule_without_saving_it(anxiety, maya_client):
    rule = WatchedWord.objects.create(community=anxiety, pattern="darn", action="censor")
    page = maya_client.post(
        f"/c/anxiety/moderation/rules/{rule.pk}/",
        {**RULE, "action": "block", "sample": "darn", "try": "1"},
    ).content.decode()
    assert 'data-outcome="block"' in page
    rule.refresh_from_db()
    assert rule.action == "censor"


# --- The API -------------------------------------------------------------------------------


def test_the_api_lists_adds_changes_tries_and_removes_rules(
    thread, bob, community_mod_maya, site_admin
):
    client = token_client_for(community_mod_maya)
    do_create_reply(thread, body="oh darn", acting_user=bob)
    tried = client.post(
        "/api/moderation/rules/try",
        {**RULE, "community": "anxiety", "sample": "darn it"},
        content_type="application/json",
    )
    assert tried.status_code == 200
    assert tried.json()["outcome"]["text"] == f"{CENSORED} it"
    assert tried.json()["matches"][0]["match"] == "darn"
    assert not WatchedWord.objects.exists()

    created = client.post(
        "/api/moderation/rules", {**RULE, "community": "anxiety"}, content_type="application/json"
    )
    assert created.status_code == 201
    rule_id = created.json()["id"]
    assert created.json()["community"] == "anxiety"
    listed = client.get("/api/moderation/rules?community=anxiety")
    assert [rule["pattern"] for rule in listed.json()] == ["darn"]

    changed = client.patch(
        f"/api/moderation/rules/{rule_id}",
        {"action": "link", "resource_url": "/library/calm/", "resource_title": "Calm"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["resource_url"] == "/library/calm/"
    assert client.delete(f"/api/moderation/rules/{rule_id}").status_code == 204
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["watched_word_added", "watched_word_changed", "watched_word_removed"]

    admin = token_client_for(site_admin)
    site_wide = admin.post("/api/moderation/rules", RULE, content_type="application/json")
    assert site_wide.status_code == 201 and site_wide.json()["community"] is None
    assert admin.get("/api/moderation/rules").json()[0]["pattern"] == "darn"


def test_the_api_explains_a_broken_pattern_or_link(anxiety, community_mod_maya):
    client = token_client_for(community_mod_maya)
    broken = client.post(
        "/api/moderation/rules",
        {**RULE, "community": "anxiety", "kind": "regex", "pattern": "(a+)+"},
        content_type="application/json",
    )
    assert broken.status_code == 422 and "A repeat inside a repeat" in broken.json()["detail"]
    offsite = client.post(
        "/api/moderation/rules",
        {**RULE, "community": "anxiety", "action": "link", "resource_url": "//evil.example/x"},
        content_type="application/json",
    )
    assert offsite.status_code == 422 and "/library/" in offsite.json()["detail"]
    assert not WatchedWord.objects.exists()
