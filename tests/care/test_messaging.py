"""Care messaging between a member and their therapist, session notes, the member's record, a
listener's hand-off and a safety plan shared with a therapist.

Privacy through every way in: pages, API, site search, notifications, exports, the admin site.
Safety: a member's crisis words alert their therapist, never the moderators."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from haven.care.booking.actions import do_book
from haven.care.booking.queries import next_free_slot
from haven.care.messaging.actions import (
    CRISIS_ALERT,
    HANDOFF_WRITTEN,
    NEW_MESSAGE_FOR_MEMBER,
    NEW_MESSAGE_FOR_THERAPIST,
    PLAN_SHARED,
    do_send_care_message,
)
from haven.care.models import (
    Appointment,
    CareMessage,
    CareRelationship,
    Handoff,
    MatchingAnswers,
    SessionNote,
)
from haven.chat.actions import do_end_conversation
from haven.moderation.models import AuditEntry, QueueItem
from haven.notifications.models import Notification
from haven.safety.pipeline import ScreenContext, screen
from haven.safety.policy import decide
from haven.wellness.models import SafetyPlanShare
from tests.care.conftest import make_therapist
from tests.chat import conftest as chat_fixtures
from tests.conftest import client_for, make_member

# The listener chat fixtures, shared with tests/chat.
conversation = chat_fixtures.conversation
listener_lee = chat_fixtures.listener_lee

SECRET = "quietmarigold the debt my brother never knew about"
REPLY = "thank you for telling me, lanternmoth, we can look at it together"
CRISIS = "I want to end my life tonight, I have the pills ready"
NOTE = "sagebrush: avoidant about family, revisit the debt next week"
SUMMARY = "larkspur: They have been sleeping badly and worry about money. They asked about therapy."


# --- Fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def tess(therapist_tess):
    return therapist_tess


@pytest.fixture
def care(alice, tess) -> CareRelationship:
    """Alice works with therapist Tess."""
    return CareRelationship.objects.create(member=alice, therapist=tess)


@pytest.fixture
def session(care) -> Appointment:
    """Last week's completed video session."""
    starts = timezone.now() - timedelta(days=7)
    return Appointment.objects.create(
        therapist=care.therapist, member=care.member, relationship=care,
        starts_at=starts, ends_at=starts + timedelta(minutes=50), format="video",
        status=Appointment.Status.COMPLETED,
    )  # fmt: skip


@pytest.fixture
def theo(guidelines):
    """Another practising therapist, with clients of his own but not Alice."""
    return make_therapist("therapist_theo", guidelines)


@pytest.fixture
def thread_with_secret(care, alice):
    do_send_care_message(care, sender=alice, body=SECRET)
    return care


def send_page(client, care, body: str, **kwargs):
    return client.post(f"/care/messages/{care.pk}/", {"body": body}, **kwargs)


def send_api(client, care, body: str):
    return client.post(
        f"/api/care/relationships/{care.pk}/messages",
        {"body": body},
        content_type="application/json",
    )


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        (value,) = cursor.fetchone()
    return value


def notifications_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


# --- A thread, through the pages and the API -----------------------------------------------


def test_a_thread_through_the_pages(care, alice, tess):
    alice_client, tess_client = client_for(alice), client_for(tess.user)

    response = send_page(alice_client, care, SECRET)
    assert response.status_code == 302 and response["Location"] == f"/care/messages/{care.pk}/"
    message = CareMessage.objects.get()
    assert (message.sender, message.body, message.read_at) == (alice, SECRET, None)

    # Tess sees one new message in her list, then reads it, which marks it read.
    listing = page(tess_client, "/care/messages/")
    assert "Your client alice" in listing and "1 new" in listing
    thread = page(tess_client, f"/care/messages/{care.pk}/")
    assert SECRET in thread and "Messages with your client alice" in thread
    message.refresh_from_db()
    assert message.read_at is not None
    assert "1 new" not in page(tess_client, "/care/messages/")

    send_page(tess_client, care, REPLY)
    shown = page(alice_client, f"/care/messages/{care.pk}/")
    assert shown.index(SECRET) < shown.index(REPLY)
    assert "Messages with Dr Therapist_Tess, your therapist" in shown
    assert 'for="id_body"' in shown  # the send form is labelled


def test_a_thread_through_the_api(care, alice, tess):
    alice_client, tess_client = client_for(alice), client_for(tess.user)

    listed = alice_client.get("/api/care/relationships").json()
    assert listed == [
        {
            "id": care.pk, "role": "member", "with_name": "Dr Therapist_Tess",
            "status": "active", "started_at": listed[0]["started_at"], "ended_at": None,
            "unread": 0,
        }
    ]  # fmt: skip
    response = send_api(alice_client, care, SECRET)
    assert response.status_code == 201
    sent = response.json()
    assert sent["body"] == SECRET and sent["mine"] is True and sent["support"] is None
    assert sent["crisis_flagged"] is None  # the flag is for the therapist's eyes

    assert tess_client.get("/api/care/relationships").json()[0]["unread"] == 1
    assert tess_client.get("/api/care/relationships").json()[0]["with_name"] == "alice"
    thread = tess_client.get(f"/api/care/relationships/{care.pk}/messages").json()
    assert [(m["body"], m["mine"], m["crisis_flagged"]) for m in thread] == [(SECRET, False, False)]
    assert tess_client.post(f"/api/care/relationships/{care.pk}/read").json() == {"marked": 1}
    assert tess_client.get("/api/care/relationships").json()[0]["unread"] == 0

    send_api(tess_client, care, REPLY)
    newer = alice_client.get(f"/api/care/relationships/{care.pk}/messages?after={sent['id']}")
    assert [m["body"] for m in newer.json()] == [REPLY]

    empty = send_api(alice_client, care, "   ")
    assert empty.status_code == 422 and CareMessage.objects.count() == 2


def test_an_ended_relationship_stays_readable_but_takes_no_new_messages(thread_with_secret, alice):
    care = thread_with_secret
    care.status, care.ended_at = CareRelationship.Status.ENDED, timezone.now()
    care.save()
    client = client_for(alice)
    shown = page(client, f"/care/messages/{care.pk}/")
    assert SECRET in shown and "This care relationship has ended" in shown
    assert 'name="body"' not in shown
    assert send_page(client, care, "hello?").status_code == 403
    assert send_api(client, care, "hello?").status_code == 403
    assert CareMessage.objects.count() == 1


def test_notifications_tell_the_other_person_without_quoting(care, alice, tess):
    send_page(client_for(alice), care, SECRET)
    send_page(client_for(alice), care, "and one more thing")
    # One unread notice per thread, not one per message, and never the words themselves.
    assert notifications_of(tess.user) == [NEW_MESSAGE_FOR_THERAPIST]
    notice = Notification.objects.get(recipient=tess.user)
    assert notice.link == f"/care/messages/{care.pk}/"
    tess_client = client_for(tess.user)
    assert SECRET not in page(tess_client, "/notifications/")
    api_items = json.dumps(tess_client.get("/api/notifications").json())
    assert NEW_MESSAGE_FOR_THERAPIST in api_items and "quietmarigold" not in api_items
    # Opening the thread clears the notice.
    page(tess_client, f"/care/messages/{care.pk}/")
    notice.refresh_from_db()
    assert notice.read_at is not None

    send_page(tess_client, care, REPLY)
    assert notifications_of(alice) == [NEW_MESSAGE_FOR_MEMBER]


def test_messages_are_encrypted_at_rest_and_never_indexed(thread_with_secret, alice):
    message = CareMessage.objects.get()
    stored = raw("care_caremessage", "body", message.pk)
    assert stored.startswith("gAAAA") and "quietmarigold" not in stored and "debt" not in stored
    # Not even the writer finds it in the site search: it never enters the index.
    assert "Nothing here matches that closely" in page(
        client_for(alice), "/search/?q=quietmarigold"
    )


def test_a_rate_limit_stops_a_runaway_sender(care, alice, settings):
    settings.HAVEN_RATE_LIMITS = {
        **settings.HAVEN_RATE_LIMITS,
        "private": {"member": "2/h", "new_member": "2/h", "ip": "10/h"},
    }
    client = client_for(alice)
    assert [send_page(client, care, f"note {n}").status_code for n in range(3)] == [302, 302, 429]
    assert CareMessage.objects.count() == 2


# --- Nobody else, through any way in -------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "theo", "moderator_kim", "site_admin"])
def test_nobody_else_reaches_a_thread_by_any_way_in(thread_with_secret, session, who, request):
    outsider_user = request.getfixturevalue(who)
    outsider_user = getattr(outsider_user, "user", outsider_user)  # a therapist's account
    outsider = client_for(outsider_user)
    care = thread_with_secret
    for response in (
        outsider.get(f"/care/messages/{care.pk}/"),
        send_page(outsider, care, "let me in"),
        outsider.get(f"/api/care/relationships/{care.pk}/messages"),
        send_api(outsider, care, "let me in"),
        outsider.post(f"/api/care/relationships/{care.pk}/read"),
        outsider.get(f"/care/appointments/{session.pk}/note/"),
        outsider.get(f"/api/care/appointments/{session.pk}/note"),
    ):
        assert response.status_code == 404
        assert "quietmarigold" not in response.content.decode()
    assert CareMessage.objects.count() == 1
    assert "alice" not in page(outsider, "/care/messages/")
    assert outsider.get("/api/care/relationships").json() == []
    assert "Nothing here matches that closely" in page(outsider, "/search/?q=quietmarigold")
    assert "quietmarigold" not in page(outsider, "/notifications/")
    assert "quietmarigold" not in outsider.get("/api/notifications").content.decode()
    assert "quietmarigold" not in outsider.get("/api/me/export").content.decode()
    assert "quietmarigold" not in outsider.get("/care/record/").content.decode()
    assert "quietmarigold" not in outsider.get("/api/care/record").content.decode()


def test_care_messages_are_not_in_the_admin_site(thread_with_secret, site_admin):
    admin = client_for(site_admin)
    assert admin.get("/admin/").status_code == 200  # the admin works for them...
    for url in ("/admin/care/caremessage/", "/admin/care/sessionnote/", "/admin/care/handoff/"):
        assert admin.get(url).status_code == 404  # ...but holds no care messages
    assert "caremessage" not in page(admin, "/admin/").lower()


# --- Safety: the therapist is alerted, not the moderators ------------------------------------


def test_a_crisis_message_alerts_the_therapist_and_no_moderator(
    care, alice, tess, moderator_kim, site_admin
):
    response = send_page(client_for(alice), care, CRISIS, follow=True)
    shown = response.content.decode()
    assert "You don't have to face this alone" in shown  # the support panel, at once
    assert "let your therapist know" in shown

    message = CareMessage.objects.get()
    assert message.crisis_flagged is True
    assert notifications_of(tess.user) == [CRISIS_ALERT]
    assert CRISIS not in CRISIS_ALERT
    # No moderator hears of it: no queue item, no audit row, no notification.
    assert QueueItem.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert notifications_of(moderator_kim) == [] and notifications_of(site_admin) == []
    assert "may need your attention" in page(client_for(tess.user), f"/care/messages/{care.pk}/")


def test_a_crisis_message_through_the_api_brings_the_support_panel(care, alice, tess):
    sent = send_api(client_for(alice), care, CRISIS).json()
    assert sent["support"]["moderators_told"] is False
    assert sent["support"]["message"].startswith("What you wrote sounds really hard")
    assert notifications_of(tess.user) == [CRISIS_ALERT]
    flags = client_for(tess.user).get(f"/api/care/relationships/{care.pk}/messages").json()
    assert [m["crisis_flagged"] for m in flags] == [True]
    assert QueueItem.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_a_therapist_writing_about_crisis_is_not_flagged(care, alice, tess):
    words = f"You wrote: {CRISIS}. Please call the crisis line now, I am here too."
    assert "crisis" in screen(words, ScreenContext(surface="care")).labels
    response = send_page(client_for(tess.user), care, words, follow=True)
    assert "You don't have to face this alone" not in response.content.decode()
    assert CareMessage.objects.get().crisis_flagged is False
    assert notifications_of(alice) == [NEW_MESSAGE_FOR_MEMBER]
    assert notifications_of(tess.user) == []


def test_care_is_private_between_participants_in_the_policy():
    decision = decide(frozenset({"crisis", "toxic", "spam", "personal_data"}), "care")
    assert decision.support_panel is True
    assert (decision.refuse, decision.hold, decision.nudge, decision.label) == (False,) * 4
    assert decision.queue is None and decision.notify_moderators is False


def test_personal_data_is_allowed_in_a_clinical_conversation(care, alice):
    words = "My new address is 12 Elm Street and my phone is 07700 900123"
    assert "personal_data" in screen(words, ScreenContext(surface="chat")).labels
    assert send_page(client_for(alice), care, words).status_code == 302
    assert CareMessage.objects.get().body == words


# --- Session notes: the therapist's alone ---------------------------------------------------


def test_the_therapist_writes_and_reads_session_notes(session, tess):
    client = client_for(tess.user)
    shown = page(client, f"/care/messages/{session.relationship_id}/")
    assert f'href="/care/appointments/{session.pk}/note/">Write a note' in shown
    form = page(client, f"/care/appointments/{session.pk}/note/")
    assert 'for="id_body"' in form and "Only you can read this note" in form

    response = client.post(f"/care/appointments/{session.pk}/note/", {"body": NOTE})
    assert response.status_code == 302
    note = SessionNote.objects.get(appointment=session)
    assert note.body == NOTE
    assert NOTE in page(client, f"/care/appointments/{session.pk}/note/")
    assert "Read or edit your note" in page(client, f"/care/messages/{session.relationship_id}/")

    updated = client.put(
        f"/api/care/appointments/{session.pk}/note",
        {"body": "rewritten"},
        content_type="application/json",
    )
    assert updated.status_code == 200 and updated.json()["body"] == "rewritten"
    assert client.get(f"/api/care/appointments/{session.pk}/note").json()["body"] == "rewritten"
    assert SessionNote.objects.get().body == "rewritten"


@pytest.mark.parametrize("who", ["alice", "theo", "moderator_kim", "site_admin"])
def test_nobody_but_the_therapist_reaches_a_session_note(session, who, request):
    SessionNote.objects.create(appointment=session, body=NOTE)
    user = request.getfixturevalue(who)
    client = client_for(getattr(user, "user", user))
    for response in (
        client.get(f"/care/appointments/{session.pk}/note/"),
        client.post(f"/care/appointments/{session.pk}/note/", {"body": "mine now"}),
        client.get(f"/api/care/appointments/{session.pk}/note"),
        client.put(
            f"/api/care/appointments/{session.pk}/note",
            {"body": "mine now"},
            content_type="application/json",
        ),
    ):
        assert response.status_code == 404
        assert "sagebrush" not in response.content.decode()
    assert SessionNote.objects.get().body == NOTE
    for url in ("/care/record/", "/api/care/record", "/api/me/export"):
        assert "sagebrush" not in client.get(url).content.decode()


def test_session_notes_are_encrypted_at_rest(session):
    note = SessionNote.objects.create(appointment=session, body=NOTE)
    stored = raw("care_sessionnote", "body", note.pk)
    assert stored.startswith("gAAAA") and "sagebrush" not in stored


# --- The member's record and the account export ---------------------------------------------


def test_the_member_downloads_their_own_record(thread_with_secret, session, alice, tess):
    care = thread_with_secret
    do_send_care_message(care, sender=tess.user, body=REPLY)
    SessionNote.objects.create(appointment=session, body=NOTE)
    MatchingAnswers.objects.create(member=alice, answers={"prefers": "evenings"})
    Handoff.objects.create(
        member=alice, summary=SUMMARY, consented_at=timezone.now(), therapist=tess
    )
    Handoff.objects.create(member=alice, summary="pending, not shared")

    response = client_for(alice).get("/care/record/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="haven-my-care-record.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert [t["therapist"] for t in data["therapists"]] == ["Dr Therapist_Tess"]
    assert [(a["id"], a["status"]) for a in data["appointments"]] == [(session.pk, "completed")]
    assert [(m["from"], m["body"]) for m in data["messages"]] == [
        ("you", SECRET),
        ("Dr Therapist_Tess", REPLY),
    ]
    assert data["questionnaire"]["answers"] == {"prefers": "evenings"}
    assert [h["summary"] for h in data["handoffs"]] == [SUMMARY]
    assert data["handoffs"][0]["therapist"] == "Dr Therapist_Tess"
    assert "sagebrush" not in response.content.decode()  # notes stay with the therapist
    assert "pending, not shared" not in response.content.decode()

    api = client_for(alice).get("/api/care/record")
    assert api["Cache-Control"] == "no-store"
    assert api.json()["messages"] == data["messages"]


def test_exports_hold_each_persons_own_care_data_only(thread_with_secret, session, alice, tess):
    do_send_care_message(thread_with_secret, sender=tess.user, body=REPLY)
    SessionNote.objects.create(appointment=session, body=NOTE)

    alice_export = client_for(alice).get("/api/me/export").json()["care"]
    assert [m["body"] for m in alice_export["as_member"]["messages"]] == [SECRET, REPLY]
    assert alice_export["messages_sent_as_therapist"] == []

    # The therapist takes the words they wrote, not the client's, nor their notes on them.
    tess_export = client_for(tess.user).get("/api/me/export")
    assert [m["body"] for m in tess_export.json()["care"]["messages_sent_as_therapist"]] == [REPLY]
    assert "quietmarigold" not in tess_export.content.decode()
    assert "sagebrush" not in tess_export.content.decode()


# --- Hand-off from a listener chat ----------------------------------------------------------


def write_handoff(client, chat, summary: str = SUMMARY, **kwargs):
    return client.post(f"/care/handoffs/chat/{chat.pk}/", {"summary": summary}, **kwargs)


def test_the_hand_off_consent_flow(conversation, care, alice, tess, theo, listener_lee, guidelines):
    lee = client_for(listener_lee.user)
    alice_client, tess_client = client_for(alice), client_for(tess.user)
    chat_url = f"/chat/{conversation.pk}/"
    assert "Write a hand-off summary" in page(lee, chat_url)
    assert "A summary from your listener" not in page(alice_client, chat_url)

    assert write_handoff(lee, conversation).status_code == 302
    handoff = Handoff.objects.get()
    assert (handoff.member, handoff.written_by, handoff.consented_at) == (
        alice,
        listener_lee.user,
        None,
    )
    assert notifications_of(alice) == [HANDOFF_WRITTEN]
    # Until Alice says yes, her therapist sees nothing.
    assert "larkspur" not in page(tess_client, f"/care/messages/{care.pk}/")
    seeker_view = page(alice_client, chat_url)
    assert "larkspur" in seeker_view and "Share with my therapist" in seeker_view

    response = alice_client.post(f"/care/handoffs/{handoff.pk}/consent/")
    assert response.status_code == 302 and response["Location"] == chat_url
    handoff.refresh_from_db()
    assert handoff.consented_at is not None and handoff.therapist == tess
    assert "larkspur" in page(tess_client, f"/care/messages/{care.pk}/")
    assert "They shared your summary with their therapist" in page(lee, chat_url)
    # The listener can no longer change what was shared.
    assert write_handoff(lee, conversation, "changed").status_code == 403
    assert Handoff.objects.get().summary == SUMMARY

    # Another therapist with a client of his own sees nothing of it.
    dana = make_member("dana", guidelines)
    other_care = CareRelationship.objects.create(member=dana, therapist=theo)
    assert "larkspur" not in page(client_for(theo.user), f"/care/messages/{other_care.pk}/")


def test_dont_share_deletes_the_summary(conversation, care, alice, tess, listener_lee):
    write_handoff(client_for(listener_lee.user), conversation)
    handoff = Handoff.objects.get()
    response = client_for(alice).post(f"/care/handoffs/{handoff.pk}/decline/", follow=True)
    assert "The summary is deleted" in response.content.decode()
    assert Handoff.objects.count() == 0
    assert "larkspur" not in page(client_for(tess.user), f"/care/messages/{care.pk}/")


@pytest.mark.parametrize("who", ["bob", "listener", "moderator_kim", "tess"])
def test_only_the_seeker_decides_on_a_hand_off(conversation, care, listener_lee, who, request):
    write_handoff(client_for(listener_lee.user), conversation)
    handoff = Handoff.objects.get()
    user = listener_lee.user if who == "listener" else request.getfixturevalue(who)
    client = client_for(getattr(user, "user", user))
    assert client.post(f"/care/handoffs/{handoff.pk}/consent/").status_code == 404
    assert client.post(f"/care/handoffs/{handoff.pk}/decline/").status_code == 404
    handoff.refresh_from_db()
    assert handoff.consented_at is None and handoff.therapist is None


def test_a_hand_off_waits_for_the_therapist_the_seeker_books(
    conversation, alice, tess, listener_lee
):
    write_handoff(client_for(listener_lee.user), conversation)
    handoff = Handoff.objects.get()
    shown = page(client_for(alice), f"/chat/{conversation.pk}/")
    assert "You don't have a therapist yet" in shown
    client_for(alice).post(f"/care/handoffs/{handoff.pk}/consent/")
    handoff.refresh_from_db()
    assert handoff.consented_at is not None and handoff.therapist is None

    appointment = do_book(member=alice, therapist=tess, starts_at=next_free_slot(tess).starts_at)
    shown = page(client_for(tess.user), f"/care/messages/{appointment.relationship_id}/")
    assert "larkspur" in shown
    handoff.refresh_from_db()
    assert handoff.therapist == tess


def test_a_member_with_two_therapists_chooses_who_reads_it(
    conversation, care, alice, tess, theo, listener_lee
):
    with_theo = CareRelationship.objects.create(member=alice, therapist=theo)
    write_handoff(client_for(listener_lee.user), conversation)
    handoff = Handoff.objects.get()
    shown = page(client_for(alice), f"/chat/{conversation.pk}/")
    assert "Which of your therapists may read it?" in shown and "Dr Therapist_Theo" in shown

    client_for(alice).post(f"/care/handoffs/{handoff.pk}/consent/")  # no choice: not shared
    handoff.refresh_from_db()
    assert handoff.consented_at is None

    client_for(alice).post(f"/care/handoffs/{handoff.pk}/consent/", {"relationship": with_theo.pk})
    handoff.refresh_from_db()
    assert handoff.therapist == theo
    assert "larkspur" in page(client_for(theo.user), f"/care/messages/{with_theo.pk}/")
    assert "larkspur" not in page(client_for(tess.user), f"/care/messages/{care.pk}/")


def test_hand_off_rules(conversation, alice, bob, listener_lee, guidelines):
    lee = client_for(listener_lee.user)
    # Only the chat's listener writes one: the seeker can't, another listener doesn't find it.
    assert write_handoff(client_for(alice), conversation).status_code == 403
    other = chat_fixtures.make_listener("listener_lou", guidelines)
    assert write_handoff(client_for(other.user), conversation).status_code == 404
    # No contact details: the seeker stays anonymous.
    response = write_handoff(lee, conversation, "Reach them at sam@example.com", follow=True)
    assert "a summary can&#x27;t include" in response.content.decode()
    # Short: at most 1000 characters.
    too_long = write_handoff(lee, conversation, "x " * 600, follow=True).content.decode()
    assert "at most 1000 characters" in too_long
    assert Handoff.objects.count() == 0
    # Rewriting before the seeker decides keeps one summary.
    write_handoff(lee, conversation, "first draft of the summary")
    write_handoff(lee, conversation)
    assert [h.summary for h in Handoff.objects.all()] == [SUMMARY]
    assert raw("care_handoff", "summary", Handoff.objects.get().pk).startswith("gAAAA")
    # Once the chat has ended, no new summary.
    do_end_conversation(conversation, ended_by=alice)
    assert write_handoff(lee, conversation, "after the end").status_code == 403
    assert "Write a hand-off summary" not in page(lee, f"/chat/{conversation.pk}/")


# --- A safety plan shared with a therapist ---------------------------------------------------


def fill_plan(client) -> None:
    client.post("/safety-plan/step/reasons_for_living/", {"items": "periwinkle the cat"})


def share_with_tess(client, care):
    return client.post(f"/safety-plan/share/therapist/{care.pk}/")


def test_a_member_shares_their_plan_with_their_therapist_and_revokes(care, alice, tess, theo):
    alice_client, tess_client = client_for(alice), client_for(tess.user)
    fill_plan(alice_client)
    assert "Let my therapist Dr Therapist_Tess read it" in page(alice_client, "/safety-plan/")

    assert share_with_tess(alice_client, care).status_code == 302
    share = SafetyPlanShare.objects.get()
    assert share.shared_with == tess.user and share.conversation is None
    assert notifications_of(tess.user) == [PLAN_SHARED]
    plan_page = page(alice_client, "/safety-plan/")
    assert "Shared with Dr Therapist_Tess (your therapist)" in plan_page
    assert "Let my therapist Dr Therapist_Tess read it" not in plan_page

    assert "periwinkle the cat" in page(tess_client, f"/safety-plan/shared/{share.pk}/")
    thread = page(tess_client, f"/care/messages/{care.pk}/")
    assert f'href="/safety-plan/shared/{share.pk}/"' in thread
    assert client_for(theo.user).get(f"/safety-plan/shared/{share.pk}/").status_code == 404
    # Sharing twice keeps one share.
    share_with_tess(alice_client, care)
    assert SafetyPlanShare.objects.filter(revoked_at__isnull=True).count() == 1

    alice_client.post(f"/safety-plan/shares/{share.pk}/revoke/")
    assert tess_client.get(f"/safety-plan/shared/{share.pk}/").status_code == 404
    assert "safety-plan/shared" not in page(tess_client, f"/care/messages/{care.pk}/")


def test_a_therapist_share_ends_with_the_care_relationship(care, alice, tess):
    alice_client, tess_client = client_for(alice), client_for(tess.user)
    fill_plan(alice_client)
    share_with_tess(alice_client, care)
    share = SafetyPlanShare.objects.get()
    assert tess_client.get(f"/safety-plan/shared/{share.pk}/").status_code == 200

    care.status, care.ended_at = CareRelationship.Status.ENDED, timezone.now()
    care.save()
    assert tess_client.get(f"/safety-plan/shared/{share.pk}/").status_code == 404
    assert "Dr Therapist_Tess (your therapist)" not in page(alice_client, "/safety-plan/")

    # Working with Tess again later does not bring the old share back.
    again = CareRelationship.objects.create(member=alice, therapist=tess)
    assert tess_client.get(f"/safety-plan/shared/{share.pk}/").status_code == 404
    assert "Let my therapist Dr Therapist_Tess read it" in page(alice_client, "/safety-plan/")
    share_with_tess(alice_client, again)
    fresh = SafetyPlanShare.objects.get(revoked_at__isnull=True)
    assert fresh.pk != share.pk
    assert tess_client.get(f"/safety-plan/shared/{fresh.pk}/").status_code == 200


def test_only_the_member_shares_with_only_their_own_active_therapist(care, alice, bob, tess):
    ended = CareRelationship.objects.create(
        member=bob, therapist=tess, status=CareRelationship.Status.ENDED
    )
    assert share_with_tess(client_for(bob), ended).status_code == 404  # not active
    assert share_with_tess(client_for(bob), care).status_code == 404  # not his
    assert share_with_tess(client_for(tess.user), care).status_code == 404  # not her plan
    assert SafetyPlanShare.objects.count() == 0


def test_a_shared_hand_off_reaches_the_therapist_the_member_then_books(alice, guidelines):
    therapist = make_therapist("therapist_new", guidelines)
    handoff = Handoff.objects.create(
        member=alice, summary=SUMMARY, consented_at=timezone.now(), therapist=None
    )
    slot = next_free_slot(therapist)
    do_book(member=alice, therapist=therapist, starts_at=slot.starts_at)
    handoff.refresh_from_db()
    assert handoff.therapist == therapist
    assert Notification.objects.filter(recipient=therapist.user, kind="care").count() == 2
