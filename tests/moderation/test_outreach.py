"""Moderators reach out, not only remove: private check-ins the member can answer, the crisis
lines in one click, a reply as "Haven moderator", crisis outcomes, the context around an urgent
item, the wait until first contact, and a live alert when an urgent item comes in. Through the
pages, the API and the notifications socket."""

import html
import json
from datetime import datetime, timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.forums.actions import do_create_reply, do_create_thread
from haven.moderation.actions import do_report, do_set_on_duty
from haven.moderation.models import AuditEntry, CheckIn, CheckInMessage, CrisisOutcome, QueueItem
from haven.moderation.outreach import do_send_check_in_message, do_start_check_in
from haven.notifications.consumers import NotificationConsumer
from haven.notifications.display import notification_url
from haven.notifications.models import Notification
from haven.safety.resources import load_crisis_resources
from tests.conftest import client_for, crisis_line_names, token_client_for
from tests.moderation.conftest import CRISIS, TOXIC

CHECK_IN = "Hi, I'm one of Haven's moderators. I read your post. How are you doing right now?"
ANSWER = "Thank you for asking. A bit better, my sister is coming over."


@pytest.fixture
def crisis_item(thread, bob) -> QueueItem:
    reply = do_create_reply(thread, body=CRISIS, acting_user=bob)
    return QueueItem.objects.get(post=reply, kind="urgent")


@pytest.fixture
def kim_client(moderator_kim):
    return client_for(moderator_kim)


def start_check_in(client, item, body: str = CHECK_IN):
    return client.post(f"/moderation/items/{item.pk}/check-in/", {"check_in-body": body})


def audit_actions(actor) -> list[str]:
    return list(
        AuditEntry.objects.filter(actor=actor).order_by("id").values_list("action", flat=True)
    )


def test_a_moderator_checks_in_privately_and_the_member_answers(
    crisis_item, moderator_kim, kim_client, bob, bob_client
):
    response = start_check_in(kim_client, crisis_item)
    check_in = CheckIn.objects.get()
    assert response.status_code == 302 and response.url == f"/check-ins/{check_in.pk}/"
    assert check_in.member == bob and check_in.item == crisis_item

    told = Notification.objects.get(recipient=bob)
    assert told.message == "A Haven moderator sent you a private message to check in with you."
    assert notification_url(told) == f"/check-ins/{check_in.pk}/"
    listed = bob_client.get("/check-ins/").content.decode()
    assert f'href="/check-ins/{check_in.pk}/"' in listed and "Talk to someone now" in listed
    page = html.unescape(bob_client.get(f"/check-ins/{check_in.pk}/").content.decode())
    assert CHECK_IN in page and "Haven moderator" in page
    assert "moderator_kim" not in page  # the team writes, not a named moderator
    assert "Talk to someone now" in page

    answered = bob_client.post(f"/check-ins/{check_in.pk}/", {"body": ANSWER})
    assert answered.status_code == 302
    assert list(check_in.messages.values_list("from_moderator", "body")) == [
        (True, CHECK_IN),
        (False, ANSWER),
    ]
    moderator_note = Notification.objects.get(recipient=moderator_kim, kind="moderation")
    assert moderator_note.message == "A member answered your check-in."
    assert notification_url(moderator_note) == f"/check-ins/{check_in.pk}/"
    seen_by_kim = html.unescape(kim_client.get(f"/check-ins/{check_in.pk}/").content.decode())
    assert ANSWER in seen_by_kim and "Check-in with bob" in seen_by_kim

    crisis_item.refresh_from_db()
    assert crisis_item.first_contact_kind == "check_in" and crisis_item.first_contact_at
    assert audit_actions(moderator_kim) == ["check_in", "view_check_in"]


def test_another_member_gets_the_same_404_for_someone_elses_check_in_as_for_a_missing_one(
    crisis_item, moderator_kim, carol, carol_client
):
    check_in = do_start_check_in(crisis_item, crisis_item.post.author, moderator=moderator_kim,
                                 body=CHECK_IN)  # fmt: skip
    missing = check_in.pk + 1000
    for check_in_id in (check_in.pk, missing):
        assert carol_client.get(f"/check-ins/{check_in_id}/").status_code == 404
        assert carol_client.post(f"/check-ins/{check_in_id}/", {"body": "hi"}).status_code == 404
        api = token_client_for(carol)
        assert api.get(f"/api/check-ins/{check_in_id}").json() == {"detail": "Not found."}
        sent = api.post(f"/api/check-ins/{check_in_id}/messages", {"body": "hi"},
                        content_type="application/json")  # fmt: skip
        assert sent.status_code == 404
    assert (
        "A Haven moderator checked in with you"
        not in carol_client.get("/check-ins/").content.decode()
    )
    assert token_client_for(carol).get("/api/check-ins").json() == []
    assert check_in.messages.count() == 1


def test_each_moderator_look_at_a_check_in_is_audited_and_the_members_own_are_not(
    crisis_item, moderator_kim, kim_client, bob, bob_client
):
    check_in = do_start_check_in(crisis_item, bob, moderator=moderator_kim, body=CHECK_IN)
    bob_client.get(f"/check-ins/{check_in.pk}/")
    token_client_for(bob).get(f"/api/check-ins/{check_in.pk}")
    kim_client.get(f"/check-ins/{check_in.pk}/")
    token_client_for(moderator_kim).get(f"/api/check-ins/{check_in.pk}")
    looks = AuditEntry.objects.filter(action="view_check_in")
    assert list(looks.values_list("actor__pseudonym", "target_kind", "target_id")) == [
        ("moderator_kim", "check_in", check_in.pk),
        ("moderator_kim", "check_in", check_in.pk),
    ]


def test_the_api_lists_reads_and_answers_a_check_in(crisis_item, moderator_kim, bob):
    check_in = do_start_check_in(crisis_item, bob, moderator=moderator_kim, body=CHECK_IN)
    api = token_client_for(bob)
    assert [row["id"] for row in api.get("/api/check-ins").json()] == [check_in.pk]
    thread = api.get(f"/api/check-ins/{check_in.pk}").json()
    assert thread["messages"][0]["author"] == "Haven moderator"
    assert thread["messages"][0]["body"] == CHECK_IN and not thread["messages"][0]["mine"]
    assert "moderator_kim" not in str(thread)
    sent = api.post(f"/api/check-ins/{check_in.pk}/messages", {"body": ANSWER},
                    content_type="application/json")  # fmt: skip
    assert sent.status_code == 201
    assert sent.json()["message"]["mine"] and sent.json()["support"] is None
    assert Notification.objects.filter(recipient=moderator_kim, kind="moderation").count() == 1
    # A moderator answers through the API too, as the team.
    reply = token_client_for(moderator_kim).post(
        f"/api/check-ins/{check_in.pk}/messages", {"body": "I'm glad she's coming."},
        content_type="application/json",
    )  # fmt: skip
    assert reply.status_code == 201 and reply.json()["message"]["author"] == "Haven moderator"
    assert AuditEntry.objects.filter(action="check_in_message", actor=moderator_kim).count() == 1


def test_both_sides_of_a_check_in_are_screened(
    crisis_item, moderator_kim, kim_client, bob, crisis_lines
):
    refused = kim_client.post(
        f"/moderation/items/{crisis_item.pk}/check-in/", {"check_in-body": TOXIC}, follow=True
    )
    assert not CheckIn.objects.exists()  # nothing half-sent
    assert "error" in refused.content.decode()
    check_in = do_start_check_in(crisis_item, bob, moderator=moderator_kim, body=CHECK_IN)
    items_before = QueueItem.objects.count()
    answered = token_client_for(bob).post(
        f"/api/check-ins/{check_in.pk}/messages", {"body": CRISIS}, content_type="application/json"
    )
    assert answered.status_code == 201
    support = answered.json()["support"]  # crisis lines at once
    assert [line["name"] for line in support["resources"]] == crisis_line_names(bob)
    assert "crisis" in CheckInMessage.objects.get(body=CRISIS).safety_labels
    # Private to the member and the moderators already there: no new queue item of its own.
    assert QueueItem.objects.count() == items_before
    page = client_for(bob).post(f"/check-ins/{check_in.pk}/", {"body": CRISIS}, follow=True)
    assert "You don't have to face this alone" in page.content.decode()


def test_the_crisis_lines_of_the_members_country_go_out_in_one_click(
    crisis_item, moderator_kim, kim_client, bob, bob_client
):
    load_crisis_resources()
    bob.country = "GB"
    bob.save()
    response = kim_client.post(f"/moderation/items/{crisis_item.pk}/crisis-lines/")
    check_in = CheckIn.objects.get()
    assert response.url == f"/check-ins/{check_in.pk}/"
    body = check_in.messages.get().body
    assert "Samaritans" in body and "116 123" in body
    assert "emergency number" in body
    assert "Samaritans" in bob_client.get(f"/check-ins/{check_in.pk}/").content.decode()
    assert audit_actions(moderator_kim) == ["send_crisis_lines"]
    crisis_item.refresh_from_db()
    assert crisis_item.first_contact_kind == "crisis_lines"


def test_a_reply_as_haven_moderator_shows_the_team_and_not_the_moderator(
    crisis_item, moderator_kim, kim_client, bob_client
):
    words = "We're here with you. You can also talk to someone now, any time."
    response = kim_client.post(f"/moderation/items/{crisis_item.pk}/reply/", {"reply-body": words})
    thread = crisis_item.post.thread
    assert response.status_code == 302 and response.url.startswith(thread.get_absolute_url())
    page = html.unescape(bob_client.get(thread.get_absolute_url()).content.decode())
    assert words in page and "Haven moderator" in page
    assert "moderator_kim" not in page
    replies = bob_client.get(f"/api/threads/{thread.public_id}/replies").json()["items"]
    ours = next(r for r in replies if r["body"] == words)
    assert ours["author_label"] == "Haven moderator" and ours["author"] is None
    entry = AuditEntry.objects.get(action="reply_as_moderator")
    assert entry.actor == moderator_kim and entry.details == {"item": crisis_item.pk}
    crisis_item.refresh_from_db()
    assert crisis_item.first_contact_kind == "moderator_reply"


def test_reaching_out_is_for_moderators_and_urgent_items_only(
    crisis_item, thread, carol_client, kim_client, alice, carol
):
    assert start_check_in(carol_client, crisis_item).status_code == 404
    assert carol_client.post(f"/moderation/items/{crisis_item.pk}/crisis-lines/").status_code == 404
    assert (
        carol_client.post(
            f"/moderation/items/{crisis_item.pk}/reply/", {"reply-body": "hi"}
        ).status_code
        == 404
    )
    plain = do_report(carol, reason="spam", post=thread.first_post).item
    assert start_check_in(kim_client, plain).status_code == 403
    assert kim_client.post(f"/moderation/items/{plain.pk}/outcome/",
                           {"outcome-outcome": "no_reply"}).status_code == 403  # fmt: skip
    assert not CheckIn.objects.exists() and not CrisisOutcome.objects.exists()


def test_a_community_moderator_replies_as_haven_moderator_but_sends_no_private_check_in(
    crisis_item, community_mod_maya
):
    maya = client_for(community_mod_maya)
    assert start_check_in(maya, crisis_item).status_code == 403
    words = "You're not alone in this community."
    assert maya.post(f"/moderation/items/{crisis_item.pk}/reply/",
                     {"reply-body": words}).status_code == 302  # fmt: skip


def test_crisis_outcomes_are_recorded_with_a_note_and_audited(
    crisis_item, moderator_kim, kim_client
):
    kim_client.post(
        f"/moderation/items/{crisis_item.pk}/outcome/",
        {"outcome-outcome": "safe_for_now", "outcome-note": "Sister is with them tonight."},
    )
    outcome = CrisisOutcome.objects.get()
    assert (outcome.outcome, outcome.note, outcome.moderator) == (
        "safe_for_now", "Sister is with them tonight.", moderator_kim,
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="crisis_outcome")
    assert entry.reason == "Sister is with them tonight."
    assert entry.details == {"outcome": "safe_for_now", "item": crisis_item.pk}
    page = kim_client.get(f"/moderation/items/{crisis_item.pk}/").content.decode()
    assert "Checked in, safe for now" in page and "Sister is with them tonight." in page


def test_the_item_page_shows_what_surrounds_it_and_records_the_look(
    members_of_anxiety, thread, bob, moderator_kim, kim_client
):
    named = do_create_thread(members_of_anxiety, title="Sleep", body="Chamomile helps a little.",
                             acting_user=bob)  # fmt: skip
    do_create_thread(members_of_anxiety, title="Secret", body="Nobody knows this is me.",
                     is_anonymous=True, acting_user=bob)  # fmt: skip
    earlier = do_create_reply(named, body=CRISIS + " Again.", acting_user=bob)
    earlier_item = QueueItem.objects.get(post=earlier)
    QueueItem.objects.filter(pk=earlier_item.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    item = QueueItem.objects.get(post=do_create_reply(thread, body=CRISIS, acting_user=bob))
    page = kim_client.get(f"/moderation/items/{item.pk}/").content.decode()
    assert "It has been a long week." in page  # the thread it is in
    assert "Chamomile helps a little." in page  # their last posts under their name
    assert "Nobody knows this is me." not in page  # anonymous posts stay anonymous
    assert f'href="/moderation/items/{earlier_item.pk}/"' in page  # earlier urgent items
    assert audit_actions(moderator_kim) == ["view_urgent_context"]


def test_the_queue_shows_urgent_items_oldest_first_with_their_wait(
    thread, bob, carol, moderator_kim, kim_client
):
    newer = QueueItem.objects.get(post=do_create_reply(thread, body=CRISIS, acting_user=bob))
    older = QueueItem.objects.get(
        post=do_create_reply(thread, body=CRISIS + " Please.", acting_user=carol)
    )
    QueueItem.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=2))
    QueueItem.objects.filter(pk=newer.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    newer.refresh_from_db()
    do_start_check_in(newer, bob, moderator=moderator_kim, body=CHECK_IN)
    newer.refresh_from_db()
    first_contact = newer.first_contact_at
    do_start_check_in(newer, bob, moderator=moderator_kim, body="Still here for you.")
    newer.refresh_from_db()
    assert newer.first_contact_at == first_contact  # only the first contact counts
    assert timedelta(minutes=29) < newer.wait < timedelta(minutes=31)

    page = kim_client.get("/moderation/?kind=urgent").content.decode()
    assert page.index(f"/moderation/items/{older.pk}/") < page.index(
        f"/moderation/items/{newer.pk}/"
    )
    assert "first contact after 30" in page and "with nobody reaching out yet" in page
    listed = token_client_for(moderator_kim).get("/api/moderation/queue?kind=urgent").json()
    rows = {row["id"]: row for row in listed["items"]}
    assert [row["id"] for row in listed["items"]] == [older.pk, newer.pk]
    shown = datetime.fromisoformat(rows[newer.pk]["first_contact_at"])
    assert shown == first_contact.replace(microsecond=first_contact.microsecond // 1000 * 1000)
    assert 29 * 60 <= rows[newer.pk]["wait_seconds"] <= 31 * 60
    assert rows[older.pk]["first_contact_at"] is None and rows[older.pk]["wait_seconds"] >= 7200


def test_listing_check_ins_takes_the_same_queries_for_one_or_many(
    crisis_item, moderator_kim, bob, bob_client
):
    do_start_check_in(crisis_item, bob, moderator=moderator_kim, body=CHECK_IN)
    bob_client.get("/check-ins/")
    with CaptureQueriesContext(connection) as one:
        bob_client.get("/check-ins/")
    for n in range(4):
        do_start_check_in(crisis_item, bob, moderator=moderator_kim, body=f"{CHECK_IN} {n}")
    with CaptureQueriesContext(connection) as many:
        page = bob_client.get("/check-ins/")
    assert page.content.decode().count("A Haven moderator checked in with you") == 5
    # No query per check-in. "<=": a throttled once-a-while write (as on PostgreSQL in CI, once)
    # may fall in the first request, never in a way that grows with the list.
    assert len(many) <= len(one)


def test_the_support_panel_promises_only_a_possible_private_message(thread, bob_client):
    page = bob_client.post(
        f"/c/anxiety/t/{thread.public_id}/reply/", {"body": CRISIS}, follow=True
    ).content.decode()
    assert "a moderator may send you a private message" in page
    assert "someone can check in with you" not in page


@pytest.mark.django_db(transaction=True)
async def test_moderators_on_duty_get_a_live_alert_when_an_urgent_item_comes_in(
    thread, bob, moderator_kim
):
    await sync_to_async(do_set_on_duty)(moderator_kim, True)
    socket = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    socket.scope["user"] = moderator_kim
    assert (await socket.connect())[0]
    assert (await socket.receive_json_from(timeout=5))["type"] == "unread_notifications"
    reply = await sync_to_async(do_create_reply)(thread, body=CRISIS, acting_user=bob)
    item = await sync_to_async(QueueItem.objects.get)(post=reply)
    frames = [await socket.receive_json_from(timeout=5) for _ in range(2)]
    assert {"type": "unread_notifications", "count": 1} in frames
    assert {
        "type": "urgent_item",
        "message": "Urgent: someone may be in crisis in Anxiety. Please look now.",
        "url": f"/moderation/items/{item.pk}/",
    } in frames
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_members_get_no_urgent_alert(thread, bob, carol):
    socket = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    socket.scope["user"] = carol
    assert (await socket.connect())[0]
    await socket.receive_json_from(timeout=5)
    await sync_to_async(do_create_reply)(thread, body=CRISIS, acting_user=bob)
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


def test_a_muted_member_can_still_answer_a_moderators_check_in(
    crisis_item, moderator_kim, bob, bob_client
):
    from haven.moderation.models import Sanction

    check_in = do_start_check_in(crisis_item, bob, moderator=moderator_kim, body=CHECK_IN)
    Sanction.objects.create(member=bob, kind="mute", reason="Harsh words",
                            until=timezone.now() + timedelta(hours=2))  # fmt: skip
    assert bob_client.post(f"/check-ins/{check_in.pk}/", {"body": ANSWER}).status_code == 302
    assert check_in.messages.filter(from_moderator=False, body=ANSWER).exists()


def test_those_told_of_a_reply_as_haven_moderator_never_learn_who_wrote_it(
    crisis_item, moderator_kim, kim_client, bob
):
    words = "If you're thinking about ending your life, please call a crisis line now."
    kim_client.post(f"/moderation/items/{crisis_item.pk}/reply/", {"reply-body": words})
    told = token_client_for(bob).get("/api/notifications").json()["items"]
    assert [n["actor_label"] for n in told] == ["Haven moderator"]
    page = client_for(bob).get("/notifications/").content.decode()
    assert "Haven moderator replied" in page and "moderator_kim" not in page
    # Supportive words naming crisis are not a crisis of the moderator's own.
    assert not QueueItem.objects.filter(post__posted_as_moderator=True).exists()


def test_the_members_data_export_holds_their_check_ins_without_the_moderators_name(
    crisis_item, moderator_kim, bob, alice
):
    check_in = do_start_check_in(crisis_item, bob, moderator=moderator_kim, body=CHECK_IN)
    do_send_check_in_message(check_in, sender=bob, body=ANSWER, as_moderator=False)
    response = client_for(bob).post("/accounts/export/")
    check_ins = json.loads(response.content)["moderation"]["check_ins"]
    assert [(m["from"], m["body"]) for m in check_ins[0]["messages"]] == [
        ("Haven moderator", CHECK_IN),
        ("you", ANSWER),
    ]
    assert "moderator_kim" not in response.content.decode()
    others = client_for(alice).post("/accounts/export/")
    assert json.loads(others.content)["moderation"]["check_ins"] == []
    assert ANSWER not in others.content.decode()
