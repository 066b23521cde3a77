"""Rate limits count successful writes only, each kind in its own group; the ways to help
(asking for a listener, the quick start, the safety plan) are never blocked by what other
actions used up; a refusal keeps what was typed, says when to try again and shows the crisis
lines."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.rate_limits import in_about
from haven.chat.actions import do_cancel_request
from haven.chat.models import ChatRequest
from haven.forums.models import Thread
from haven.moderation.models import Sanction
from tests.conftest import client_for
from tests.moderation.conftest import TOXIC

CRISIS_LINE = "988 Suicide &amp; Crisis Lifeline"  # HAVEN_DEFAULT_COUNTRY is US in the tests
PASSWORD = "lanterns-over-the-bay-7"


@pytest.fixture
def limits(settings):
    def set_limit(group: str, rate: str) -> None:
        # Sign-up and quick start are counted per address; the rest per account.
        if group in ("signup", "quick_start"):
            rates = {"ip": rate}
        else:
            rates = {"member": rate, "new_member": rate, "ip": "1000/h"}
        settings.HAVEN_RATE_LIMITS = {**settings.HAVEN_RATE_LIMITS, group: rates}

    return set_limit


def api_thread(client: Client, n: int, body: str = "It has been a long week."):
    return client.post(
        "/api/communities/anxiety/threads",
        {"title": f"A long week ({n})", "body": body},
        content_type="application/json",
    )


def api_reply(client: Client, thread: Thread, body: str):
    return client.post(
        f"/api/threads/{thread.public_id}/replies", {"body": body}, content_type="application/json"
    )


def sign_up(client: Client, pseudonym: str, password: str = PASSWORD):
    return client.post(
        "/accounts/signup/",
        {"pseudonym": pseudonym, "password": password, "accept_guidelines": "on"},
    )


def test_replies_the_screening_sent_back_do_not_count_only_replies_posted_do(
    limits, members_of_anxiety, alice, bob
):
    limits("reply", "2/h")
    api_thread(client_for(alice), 0)
    thread = Thread.objects.get(title="A long week (0)")
    client = client_for(bob)
    assert [api_reply(client, thread, TOXIC).status_code for _ in range(3)] == [422] * 3
    statuses = [api_reply(client, thread, f"Thinking of you ({n}).").status_code for n in range(3)]
    assert statuses == [201, 201, 429]


def test_each_kind_of_write_has_its_own_limit(limits, members_of_anxiety, alice, bob):
    limits("thread", "1/h")
    client = client_for(bob)
    assert [api_thread(client, n).status_code for n in range(2)] == [201, 429]
    thread = Thread.objects.get(title="A long week (0)")
    assert api_reply(client, thread, "Adding a little more.").status_code == 201
    update = client.post("/api/updates", {"body": "A calmer day."}, content_type="application/json")
    assert update.status_code == 201


def test_ten_threads_do_not_block_a_chat_request(limits, members_of_anxiety, bob):
    limits("thread", "10/h")
    client = client_for(bob)
    assert [api_thread(client, n).status_code for n in range(11)] == [201] * 10 + [429]
    response = client.post("/talk/", {"language": "en", "message": "I need to talk."})
    chat_request = ChatRequest.objects.get(seeker=bob)
    assert response.status_code == 302
    assert response["Location"] == f"/talk/requests/{chat_request.pk}/"


def test_failed_sign_ups_count_for_nothing_and_never_block_the_quick_start(limits, guidelines):
    limits("signup", "2/h")
    client = Client()
    for n in range(6):
        failed = sign_up(client, f"Newcomer{n}", password="short")
        assert failed.status_code == 200 and "form" in failed.content.decode()
    visitor = Client()  # the same address: the test client is always 127.0.0.1
    response = visitor.post("/talk/", {"accept_guidelines": "on"})
    assert response.status_code == 302 and response["Location"] == "/talk/"
    assert sign_up(Client(), "Newcomer1").status_code == 302
    assert sign_up(Client(), "Newcomer2").status_code == 302


def test_sign_ups_used_up_leave_the_quick_start_open(limits, guidelines):
    limits("signup", "1/h")
    assert sign_up(Client(), "Newcomer1").status_code == 302
    refused = sign_up(Client(), "Newcomer2")
    page = refused.content.decode()
    assert refused.status_code == 429 and 'value="Newcomer2"' in page
    assert "you can create an account again in " in page
    assert CRISIS_LINE in page and "Talk to someone now" in page
    quick_start = Client().post("/talk/", {"accept_guidelines": "on"})
    assert quick_start.status_code == 302 and quick_start["Location"] == "/talk/"


def test_the_quick_start_has_its_own_limit_and_says_when_to_come_back(limits, guidelines):
    limits("quick_start", "1/h")
    assert Client().post("/talk/", {"accept_guidelines": "on"}).status_code == 302
    refused = Client().post("/talk/", {"accept_guidelines": "on"})
    page = refused.content.decode()
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert "you can start anonymously again in " in page and CRISIS_LINE in page


def test_a_refused_thread_comes_back_filled_with_the_message_crisis_lines_and_retry_after(
    limits, members_of_anxiety, bob
):
    limits("thread", "1/h")
    client = client_for(bob)
    first = {"title": "Rough week", "body": "It has been a long one."}
    assert client.post("/c/anxiety/new/", first).status_code == 302
    second = {"title": "Still here", "body": "Today was a little lighter, I wanted to say."}
    response = client.post("/c/anxiety/new/", second)
    page = response.content.decode()
    assert response.status_code == 429
    assert 'value="Still here"' in page and "Today was a little lighter, I wanted to say." in page
    assert "take a short break: you can start a thread again in " in page
    assert CRISIS_LINE in page and 'href="/talk/"' in page and "Talk to someone now" in page
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Thread.objects.filter(title="Still here").count() == 0


def test_a_refused_chat_request_keeps_its_message(limits, alice):
    limits("chat_request", "1/h")
    client = client_for(alice)
    client.post("/talk/", {"language": "en", "message": "First try."})
    do_cancel_request(ChatRequest.objects.get(seeker=alice))
    response = client.post("/talk/", {"language": "en", "message": "I can't sleep again."})
    page = response.content.decode()
    assert response.status_code == 429 and "I can&#x27;t sleep again." in page
    assert "you can ask for a listener again in " in page and CRISIS_LINE in page


def test_the_api_429_says_when_to_try_again_and_carries_the_crisis_lines(
    limits, members_of_anxiety, bob
):
    limits("thread", "1/h")
    client = client_for(bob)
    api_thread(client, 0)
    response = api_thread(client, 1)
    body = response.json()
    assert response.status_code == 429 and body["code"] == "rate_limited"
    assert 0 < body["retry_after"] <= 3600 and response["Retry-After"] == str(body["retry_after"])
    assert "start a thread again in " in body["detail"]
    assert body["crisis_lines"]["country_name"] == "United States"
    assert any("988" in line["phone"] for line in body["crisis_lines"]["lines"])
    assert body["crisis_lines"]["worldwide"]


def test_journal_writing_used_up_leaves_the_safety_plan_open(limits, alice):
    limits("private", "1/h")
    client = client_for(alice)

    def journal():
        return client.post("/api/journal", {"body": "A hard day."}, content_type="application/json")

    assert [journal().status_code for _ in range(2)] == [201, 429]
    plan = client.put(
        "/api/safety-plan/warning_signs", {"items": ["I stop answering messages"]},
        content_type="application/json",
    )  # fmt: skip
    assert plan.status_code == 200, plan.content


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(20, "less than a minute"), (75, "about a minute"), (720, "about 12 minutes"),
     (3500, "about 58 minutes"), (3600, "about an hour"), (7300, "about 2 hours")],
)  # fmt: skip
def test_the_wait_is_said_in_plain_words(seconds, words):
    assert in_about(seconds) == words


# --- A moderator's pause (403) keeps what was typed too


def mute(member) -> None:
    Sanction.objects.create(
        member=member, kind=Sanction.Kind.MUTE, reason="Harsh words in a thread",
        created_by=None, until=timezone.now() + timedelta(days=1),
    )  # fmt: skip


def test_a_muted_members_reply_comes_back_filled_with_the_reason_and_crisis_lines(
    members_of_anxiety, alice, bob
):
    api_thread(client_for(alice), 0)
    thread = Thread.objects.get(title="A long week (0)")
    mute(bob)
    words = "I know that feeling, the evenings are the worst for me too."
    response = client_for(bob).post(f"/c/anxiety/t/{thread.public_id}/reply/", {"body": words})
    page = response.content.decode()
    assert response.status_code == 403
    assert words in page and "paused your posting until" in page
    assert "Harsh words in a thread" in page and CRISIS_LINE in page
    # A limit is never why a listener is out of reach; a pause might be, so it is not promised.
    assert "never paused by this" not in page
    assert thread.posts.count() == 1


def test_a_muted_members_thread_form_comes_back_filled(members_of_anxiety, bob):
    mute(bob)
    sent = {"title": "Evenings", "body": "The evenings are long and quiet here."}
    response = client_for(bob).post("/c/anxiety/new/", sent)
    page = response.content.decode()
    assert response.status_code == 403
    assert 'value="Evenings"' in page and "The evenings are long and quiet here." in page
    assert Thread.objects.filter(title="Evenings").count() == 0


def test_any_refused_form_hands_back_the_words_but_never_secrets(members_of_anxiety, alice, bob):
    """Pages without a form of their own to re-render (here: editing a post) answer with the
    403 page, which still hands the typed words back to copy, and the crisis lines."""
    api_thread(client_for(alice), 0)
    thread = Thread.objects.get(title="A long week (0)")
    api_reply(client_for(bob), thread, "Thinking of you.")
    reply = thread.posts.get(body="Thinking of you.")
    mute(bob)
    words = "Thinking of you, and I hope tonight is gentler."
    response = client_for(bob).post(
        f"/posts/{reply.public_id}/edit/", {"body": words, "password": "hunter2 secret words"}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "What you wrote is kept here" in page and words in page
    assert "hunter2" not in page and "csrf" not in page.lower().split("what you wrote")[1]
    assert CRISIS_LINE in page and 'href="/talk/"' in page
    reply.refresh_from_db()
    assert reply.body == "Thinking of you."
