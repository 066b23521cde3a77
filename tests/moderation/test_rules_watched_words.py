"""Watched words at work: each action (block, hold, flag, censor, link) on threads and replies,
through the pages and the API, and site-wide rules on updates and replies to them."""

import pytest

from haven.communities.models import WatchedWord
from haven.communities.rules import (
    BLOCKED_MESSAGE,
    CENSORED,
    apply_watched_words,
    check_pattern,
)
from haven.core.content import ModerationState
from haven.forums.actions import do_create_thread
from haven.forums.models import Post, Thread
from haven.moderation.models import QueueItem, QueueKind
from haven.updates.models import Update, UpdateReply
from tests.conftest import client_for


def watch(pattern: str, action: str, community=None, kind: str = "word", **extra) -> WatchedWord:
    return WatchedWord.objects.create(
        community=community, pattern=pattern, action=action, kind=kind, **extra
    )


@pytest.fixture
def thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety, title="Rough week", body="It has been a long week.", acting_user=alice
    )


def post_thread_page(client, body: str, title: str = "Hello everyone"):
    return client.post("/c/anxiety/new/", {"title": title, "body": body}, follow=True)


def post_reply_page(client, thread, body: str):
    return client.post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": body}, follow=True)


def post_thread_api(client, body: str, title: str = "Hello everyone"):
    return client.post(
        "/api/communities/anxiety/threads",
        {"title": title, "body": body},
        content_type="application/json",
    )


def post_reply_api(client, thread, body: str):
    return client.post(
        f"/api/threads/{thread.public_id}/replies", {"body": body}, content_type="application/json"
    )


# --- The rules themselves ------------------------------------------------------------------


def test_words_match_whole_words_in_any_case_and_phrases_ignore_spacing(anxiety):
    watch("darn", WatchedWord.Action.CENSOR, anxiety)
    watch("meet up", WatchedWord.Action.FLAG, anxiety, kind="phrase")
    outcome = apply_watched_words(
        "DARN it, darning is fine. Let's MEET   up?", community=anxiety, surface="reply"
    )
    assert outcome.text == f"{CENSORED} it, darning is fine. Let's MEET   up?"
    assert outcome.flagged == ['watched word: "meet up"'] and not outcome.hold


def test_a_communitys_rules_stay_in_that_community_and_site_wide_ones_apply_everywhere(
    anxiety, grief
):
    watch("gloomy", WatchedWord.Action.CENSOR, grief)
    watch("spam", WatchedWord.Action.CENSOR)
    outcome = apply_watched_words("gloomy spam", community=anxiety, surface="reply")
    assert outcome.text == f"gloomy {CENSORED}"
    assert apply_watched_words("gloomy spam", surface="update").text == f"gloomy {CENSORED}"


def test_a_pattern_rule_matches_as_written(anxiety):
    watch(r"k[i1]ll\s*my\s*self", WatchedWord.Action.HOLD, anxiety, kind="regex")
    outcome = apply_watched_words("I want to K1ll myself", community=anxiety, surface="reply")
    assert outcome.hold and outcome.flagged


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("(a+)+", "A repeat inside a repeat"),
        ("(a|ab)+", "A repeated choice"),
        ("a[", "can't be read: unterminated character set (at character 2)"),
        ("x*", "matches empty text"),
        (r"(\w+)\1", "refer back"),
        ("a.*z", "give it a limit"),
        (r"\s*\s*\s*x", "too many repeats"),
        ("a" * 121, "120 characters or fewer"),
    ],
)
def test_risky_or_broken_patterns_are_refused_with_an_explanation(pattern, says):
    with pytest.raises(Exception) as refused:
        check_pattern("regex", pattern)
    assert says in " ".join(refused.value.messages)


@pytest.mark.parametrize("pattern", [r"\bsuicid\w*", r"k[i1]ll\s*my\s*self", r"\d{3}-\d{4}"])
def test_ordinary_patterns_are_accepted(pattern):
    check_pattern("regex", pattern)


# --- Threads and replies, through the pages ------------------------------------------------


def test_a_blocked_word_refuses_the_thread_kindly_and_keeps_what_was_written(
    members_of_anxiety, bob_client
):
    watch("scam", WatchedWord.Action.BLOCK, members_of_anxiety)
    response = bob_client.post("/c/anxiety/new/", {"title": "Hi", "body": "What a scam this is"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "aren&#x27;t allowed here" in page and "What a scam this is" in page
    assert not Thread.objects.filter(title="Hi").exists()


def test_a_blocked_word_in_a_title_refuses_the_thread_too(members_of_anxiety, bob_client):
    watch("scam", WatchedWord.Action.BLOCK, members_of_anxiety)
    response = bob_client.post("/c/anxiety/new/", {"title": "A scam", "body": "Hello"})
    assert response.status_code == 422 and not Thread.objects.filter(title="A scam").exists()


def test_a_blocked_word_refuses_the_reply(thread, bob_client):
    watch("scam", WatchedWord.Action.BLOCK, thread.community)
    response = bob_client.post(
        f"/c/anxiety/t/{thread.public_id}/reply/", {"body": "scam scam"}, follow=True
    )
    assert "aren&#x27;t allowed here" in response.content.decode()
    assert not Post.objects.filter(body="scam scam").exists()


def test_a_held_word_holds_the_thread_and_queues_it_named_by_the_rule(
    members_of_anxiety, bob_client, alice_client
):
    watch("meet up", WatchedWord.Action.HOLD, members_of_anxiety, kind="phrase")
    post_thread_page(bob_client, "Shall we meet up in town?")
    post = Post.objects.get(body="Shall we meet up in town?")
    assert post.moderation_state == ModerationState.HELD
    item = QueueItem.objects.get(post=post)
    assert item.kind == QueueKind.FLAGGED and item.labels == ['watched word: "meet up"']
    assert item.community == members_of_anxiety
    assert 'watched word: "meet up"' not in post.safety_labels  # a queue label only
    assert "meet up in town" not in alice_client.get("/c/anxiety/").content.decode()


def test_a_held_word_holds_the_reply(thread, bob_client):
    watch("meet up", WatchedWord.Action.HOLD, thread.community, kind="phrase")
    post_reply_page(bob_client, thread, "Let's meet up")
    post = Post.objects.get(body="Let's meet up")
    assert post.moderation_state == ModerationState.HELD
    assert QueueItem.objects.get(post=post).kind == QueueKind.FLAGGED
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_a_flagged_word_publishes_the_reply_and_queues_it(thread, bob_client, alice_client):
    watch("diet", WatchedWord.Action.FLAG, thread.community)
    post_reply_page(bob_client, thread, "Has anyone tried a diet for this?")
    post = Post.objects.get(body="Has anyone tried a diet for this?")
    assert post.is_visible
    assert QueueItem.objects.get(post=post).labels == ['watched word: "diet"']
    assert "tried a diet" in alice_client.get(thread.get_absolute_url()).content.decode()


def test_a_flagged_word_publishes_the_thread_and_queues_it(members_of_anxiety, bob_client):
    watch("diet", WatchedWord.Action.FLAG, members_of_anxiety)
    post_thread_page(bob_client, "My diet story")
    post = Post.objects.get(body="My diet story")
    assert post.is_visible and QueueItem.objects.filter(post=post).exists()


def test_a_censored_word_is_hidden_in_the_stored_thread_and_title(
    members_of_anxiety, bob_client, alice_client
):
    watch("darn", WatchedWord.Action.CENSOR, members_of_anxiety)
    post_thread_page(bob_client, "Darn this week.", title="Darn")
    thread = Thread.objects.get(community=members_of_anxiety, title=CENSORED)
    assert thread.first_post.body == f"{CENSORED} this week."
    assert CENSORED in thread.first_post.body_html and "Darn" not in thread.first_post.body_html
    assert not QueueItem.objects.filter(post=thread.first_post).exists()


def test_a_censored_word_is_hidden_in_the_stored_reply(thread, bob_client, alice_client):
    watch("darn", WatchedWord.Action.CENSOR, thread.community)
    post_reply_page(bob_client, thread, "darn it")
    post = Post.objects.get(thread=thread, depth=1)
    assert post.body == f"{CENSORED} it" and post.is_visible
    assert f"{CENSORED} it" in alice_client.get(thread.get_absolute_url()).content.decode()


def test_a_linked_word_becomes_a_link_to_the_library_page(thread, bob_client, alice_client):
    watch(
        "panic attack",
        WatchedWord.Action.LINK,
        thread.community,
        kind="phrase",
        resource_url="/library/grounding/",
        resource_title="Grounding for panic",
    )
    post_reply_page(bob_client, thread, "I had a panic attack today")
    post = Post.objects.get(thread=thread, depth=1)
    assert post.body == "I had a [Grounding for panic](/library/grounding/) today"
    assert 'href="/library/grounding/"' in post.body_html
    page = alice_client.get(thread.get_absolute_url()).content.decode()
    assert ">Grounding for panic</a>" in page


def test_a_linked_word_in_a_thread(members_of_anxiety, bob_client):
    watch(
        "panic",
        WatchedWord.Action.LINK,
        members_of_anxiety,
        resource_url="/library/panic/",
        resource_title="Panic",
    )
    post_thread_page(bob_client, "Panic again")
    post = Post.objects.get(thread__community=members_of_anxiety, depth=0, author__pseudonym="bob")
    assert post.body == "[Panic](/library/panic/) again"


def test_an_edit_meets_the_rules_too(thread, alice_client):
    watch("darn", WatchedWord.Action.CENSOR, thread.community)
    watch("meet up", WatchedWord.Action.HOLD, thread.community, kind="phrase")
    alice_client.post(
        f"/posts/{thread.first_post.public_id}/edit/",
        {"title": "Rough week", "body": "darn, shall we meet up?"},
    )
    post = Post.objects.get(pk=thread.first_post.pk)
    assert post.body == f"{CENSORED}, shall we meet up?"
    assert post.moderation_state == ModerationState.HELD
    assert QueueItem.objects.filter(post=post, kind=QueueKind.FLAGGED).exists()


def test_an_edit_with_a_blocked_word_is_refused(thread, alice_client):
    watch("scam", WatchedWord.Action.BLOCK, thread.community)
    response = alice_client.post(
        f"/posts/{thread.first_post.public_id}/edit/", {"title": "Rough week", "body": "scam"}
    )
    assert response.status_code == 422
    assert Post.objects.get(pk=thread.first_post.pk).body == "It has been a long week."


# --- Threads and replies, through the API --------------------------------------------------


def test_the_api_refuses_blocked_words_with_their_own_code(thread, bob_client):
    watch("scam", WatchedWord.Action.BLOCK, thread.community)
    for response in (
        post_thread_api(bob_client, "a scam"),
        post_reply_api(bob_client, thread, "scam"),
    ):
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "watched_words" and body["detail"] == BLOCKED_MESSAGE
        assert body["findings"] == []


def test_the_api_holds_flags_censors_and_links(thread, bob_client):
    community = thread.community
    watch("meet up", WatchedWord.Action.HOLD, community, kind="phrase")
    watch("diet", WatchedWord.Action.FLAG, community)
    watch("darn", WatchedWord.Action.CENSOR, community)
    watch(
        "panic", WatchedWord.Action.LINK, community, resource_url="/library/p/", resource_title="P"
    )

    held = post_reply_api(bob_client, thread, "let's meet up").json()
    assert held["moderation_state"] == "held"
    flagged = post_reply_api(bob_client, thread, "a diet idea").json()
    assert flagged["moderation_state"] == "visible"
    censored = post_reply_api(bob_client, thread, "darn").json()
    assert censored["body"] == CENSORED
    linked = post_thread_api(bob_client, "panic", title="Help").json()
    assert linked["opening_post"]["body"] == "[P](/library/p/)"
    assert QueueItem.objects.filter(kind=QueueKind.FLAGGED).count() == 2


# --- Updates: site-wide rules --------------------------------------------------------------


def test_site_wide_rules_apply_to_updates_and_replies_to_them(alice, bob_client, alice_client):
    watch("darn", WatchedWord.Action.CENSOR)
    watch("diet", WatchedWord.Action.FLAG)
    watch("scam", WatchedWord.Action.BLOCK)
    watch("panic", WatchedWord.Action.LINK, resource_url="/library/p/", resource_title="Panic help")
    created = alice_client.post(
        "/api/updates",
        {"body": "darn, panic and a diet", "visibility": "public"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    update = Update.objects.get(author=alice)
    assert update.body == f"{CENSORED}, Panic help (/library/p/) and a {'diet'}"
    assert QueueItem.objects.filter(update=update, kind=QueueKind.FLAGGED).exists()
    refused = bob_client.post(
        f"/api/updates/{update.public_id}/replies",
        {"body": "scam"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["code"] == "watched_words"
    bob_client.post(
        f"/api/updates/{update.public_id}/replies",
        {"body": "darn"},
        content_type="application/json",
    )
    assert UpdateReply.objects.get(update=update).body == CENSORED


def test_community_rules_do_not_touch_updates(anxiety, alice, alice_client):
    watch("darn", WatchedWord.Action.CENSOR, anxiety)
    alice_client.post(
        "/api/updates", {"body": "darn", "visibility": "public"}, content_type="application/json"
    )
    assert Update.objects.get(author=alice).body == "darn"


def test_a_private_update_is_like_a_journal_and_meets_no_rules(alice, alice_client):
    watch("scam", WatchedWord.Action.BLOCK)
    response = alice_client.post(
        "/api/updates", {"body": "scam", "visibility": "private"}, content_type="application/json"
    )
    assert response.status_code == 201


def test_a_community_moderators_own_post_meets_the_rules_but_is_never_held_as_new(
    thread, community_mod_maya
):
    watch("darn", WatchedWord.Action.CENSOR, thread.community)
    client = client_for(community_mod_maya)
    post_reply_page(client, thread, "darn")
    assert Post.objects.get(author=community_mod_maya).body == CENSORED


# --- The rules are read from the cache, and a change applies to the next post ----------------


def test_rules_are_cached_and_a_change_anywhere_applies_to_the_next_post(
    anxiety, django_assert_num_queries
):
    watch("darn", WatchedWord.Action.CENSOR, anxiety)
    site_rule = watch("heck", WatchedWord.Action.CENSOR)
    assert apply_watched_words("darn heck", community=anxiety, surface="reply").text == (
        f"{CENSORED} {CENSORED}"
    )
    # Read once, then from the cache: no query per post.
    with django_assert_num_queries(0):
        apply_watched_words("darn it", community=anxiety, surface="reply")
    # A new community rule, an edited site-wide one, a deleted one: each applies at once.
    watch("blast", WatchedWord.Action.CENSOR, anxiety)
    assert apply_watched_words("blast", community=anxiety, surface="reply").text == CENSORED
    site_rule.pattern = "gosh"
    site_rule.save()
    outcome = apply_watched_words("heck gosh", community=anxiety, surface="reply")
    assert outcome.text == f"heck {CENSORED}"
    site_rule.delete()
    assert apply_watched_words("gosh", community=None, surface="update").text == "gosh"
