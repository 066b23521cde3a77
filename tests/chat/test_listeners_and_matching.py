"""Becoming a listener, asking for a chat, and fair matching by topic, language and load."""

from html import escape

import pytest

from haven.chat.actions import do_request_chat, do_set_availability, match_waiting_requests
from haven.chat.models import ChatRequest, Conversation, ListenerProfile
from haven.chat.training import lessons, quiz_questions
from tests.chat.conftest import accept_offer, make_listener
from tests.conftest import client_for


def correct_answers() -> dict:
    return {q["id"]: q["answer"] for q in quiz_questions()}


def test_a_member_becomes_a_listener_by_reading_the_lessons_and_passing_the_quiz(alice):
    client = client_for(alice)
    client.post("/listen/start/")
    # Passing the quiz before reading every lesson is not enough.
    response = client.post("/listen/quiz/", correct_answers())
    assert "Finish every lesson" in response.content.decode()
    for lesson in lessons():
        page = client.get(f"/listen/lessons/{lesson['slug']}/").content.decode()
        assert escape(lesson["title"]) in page
        client.post(f"/listen/lessons/{lesson['slug']}/")
    wrong = {key: (value + 1) % 4 for key, value in correct_answers().items()}
    failed = client.post("/listen/quiz/", wrong).content.decode()
    assert "Not quite yet" in failed and "Try again" in failed
    alice.refresh_from_db()
    assert alice.role == "member"
    passed = client.post("/listen/quiz/", correct_answers()).content.decode()
    assert "Welcome, listener" in passed
    alice.refresh_from_db()
    assert alice.role == "listener"
    assert ListenerProfile.objects.get(user=alice).status == "listener"
    assert client.get("/listen/dashboard/").status_code == 200


def test_admins_can_revoke_the_listener_role(guidelines, alice):
    from haven.moderation.models import AuditEntry
    from tests.conftest import make_member

    listener = make_listener("listener_max", guidelines)
    admin = make_member("site_admin", guidelines, role="admin")
    response = client_for(admin).post(
        "/admin/chat/listenerprofile/",
        {"action": "revoke_listeners", "_selected_action": [listener.pk]},
    )
    assert response.status_code == 302
    listener.refresh_from_db()
    assert listener.status == "revoked" and not listener.is_online
    assert listener.user.role == "member"
    assert AuditEntry.objects.filter(action="revoke_listener").exists()
    assert client_for(listener.user).get("/listen/dashboard/").status_code == 403


def test_members_who_are_not_listeners_cannot_use_the_dashboard_or_board(alice_client):
    assert alice_client.get("/listen/dashboard/").status_code == 403
    assert alice_client.get("/api/chat/board").status_code == 403


def test_a_request_is_offered_at_once_to_the_best_listener_and_opens_when_they_accept(
    alice, guidelines, django_capture_on_commit_callbacks
):
    sleep = make_listener("sleep_sam", guidelines, topics=["sleep"])
    grief = make_listener("grief_gia", guidelines, topics=["grief", "loneliness"])
    make_listener("spanish_sol", guidelines, topics=["grief"], languages=["es"])
    with django_capture_on_commit_callbacks(execute=True):
        chat_request = do_request_chat(alice, topics=["grief"], language="en", message="")
    chat_request.refresh_from_db()
    assert (chat_request.status, chat_request.offered_to_id) == ("offered", grief.user_id)
    assert not Conversation.objects.exists()  # nobody sits in a chat before the listener joins
    chat_request = accept_offer(chat_request, django_capture_on_commit_callbacks)
    assert chat_request.status == "matched"
    assert chat_request.conversation.listener_id == grief.user_id
    # The online listener without the topic is left free for another request.
    assert not ChatRequest.objects.filter(offered_to=sleep.user).exists()


def test_load_and_fairness_decide_between_equal_listeners(
    guidelines, alice, bob, carol, django_capture_on_commit_callbacks
):
    first = make_listener("first_fay", guidelines, max_chats=1)
    second = make_listener("second_sid", guidelines, max_chats=1)
    with django_capture_on_commit_callbacks(execute=True):
        one = do_request_chat(alice, topics=[], language="en", message="")
        two = do_request_chat(bob, topics=[], language="en", message="")
        three = do_request_chat(carol, topics=[], language="en", message="")
    listeners = {r.pk: r.offered_to_id for r in ChatRequest.objects.all()}
    assert {listeners[one.pk], listeners[two.pk]} == {first.user_id, second.user_id}
    three.refresh_from_db()
    assert three.status == "waiting"  # an offer not yet answered counts towards the limit
    accept_offer(one, django_capture_on_commit_callbacks)
    three.refresh_from_db()
    assert three.status == "waiting"  # and so does the chat it became
    conversation = Conversation.objects.get(request=one)
    from haven.chat.actions import do_end_conversation

    with django_capture_on_commit_callbacks(execute=True):
        do_end_conversation(conversation, ended_by=alice)
    three.refresh_from_db()
    assert (three.status, three.offered_to_id) == ("offered", conversation.listener_id)


def test_the_queue_shows_place_and_wait_and_offers_alternatives_after_a_long_wait(
    alice, bob, carol_client, carol
):
    from datetime import timedelta

    from django.utils import timezone

    do_request_chat(alice, topics=[], language="en", message="")
    do_request_chat(bob, topics=[], language="en", message="")
    response = carol_client.post("/talk/", {"language": "en", "message": "I feel so alone tonight"})
    chat_request = ChatRequest.objects.get(seeker=carol)
    assert response["Location"] == f"/talk/requests/{chat_request.pk}/"
    page = carol_client.get(response["Location"]).content.decode()
    assert "number 3</strong> in line" in page and "about 9 minutes" in page
    data = carol_client.get(f"/api/chat/requests/{chat_request.pk}").json()
    assert (data["position"], data["long_wait"]) == (3, False)
    ChatRequest.objects.filter(pk=chat_request.pk).update(
        created_at=timezone.now() - timedelta(minutes=15)
    )
    data = carol_client.get(f"/api/chat/requests/{chat_request.pk}").json()
    assert data["position"] == 1 and data["long_wait"] is True
    again = carol_client.post("/talk/", {"language": "en"})
    assert again.status_code == 200  # one request at a time: the page says where it is
    assert f'href="/talk/requests/{chat_request.pk}/"' in again.content.decode()
    assert ChatRequest.objects.filter(seeker=carol).count() == 1


def test_listeners_take_requests_from_the_board(alice, listener_lee):
    listener_lee.is_online = False
    listener_lee.save()
    chat_request = do_request_chat(alice, topics=["sleep"], language="en", message="can't sleep")
    client = client_for(listener_lee.user)
    board = client.get("/api/chat/board").json()
    assert board[0]["message"] == "can't sleep"
    response = client.post(f"/listen/requests/{chat_request.pk}/take/")
    conversation = Conversation.objects.get(request=chat_request)
    assert response["Location"] == f"/chat/{conversation.pk}/"
    again = client_for(listener_lee.user).post(f"/api/chat/requests/{chat_request.pk}/take")
    assert again.status_code == 403


def test_going_online_matches_whoever_is_waiting(
    alice, listener_lee, django_capture_on_commit_callbacks
):
    listener_lee.is_online = False
    listener_lee.save()
    chat_request = do_request_chat(alice, topics=[], language="en", message="")
    with django_capture_on_commit_callbacks(execute=True):
        do_set_availability(listener_lee, is_online=True, topics=[], languages=["en"], max_chats=2)
    chat_request.refresh_from_db()
    assert (chat_request.status, chat_request.offered_to_id) == ("offered", listener_lee.user_id)


def test_someone_not_signed_in_starts_anonymously_in_one_click(client, guidelines):
    page = client.get("/talk/").content.decode()
    assert "Start anonymously" in page
    response = client.post("/talk/", {"accept_guidelines": "on"})
    assert response["Location"] == "/talk/"
    assert client.get("/talk/").status_code == 200
    from haven.accounts.models import User

    user = User.objects.get()
    assert not user.has_usable_password() and user.guidelines_version == guidelines.version


@pytest.mark.parametrize("answers", [{}, {"q1": 9}])
def test_an_incomplete_quiz_is_explained_not_graded(alice, answers):
    client = client_for(alice)
    client.post("/listen/start/")
    response = client.post("/listen/quiz/", answers)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not match_waiting_requests()
