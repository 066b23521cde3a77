"""A chat through the JSON API alone, as an app has it: asking, waiting, cancelling, a listener
going online, the chat ending and the seeker's feedback."""

from haven.chat.models import ChatFeedback, ChatRequest, Conversation, ListenerProfile
from tests.chat.conftest import make_listener
from tests.conftest import token_client_for

ASK = {"topics": ["sleep"], "language": "en", "message": "I can't sleep again."}


def test_a_seeker_asks_waits_and_cancels(alice, django_capture_on_commit_callbacks):
    app = token_client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        asked = app.post("/api/chat/requests", ASK, content_type="application/json")
    assert asked.status_code == 201, asked.content
    stored = ChatRequest.objects.get(seeker=alice)
    assert (stored.topics, stored.language, stored.message, stored.status) == (
        ["sleep"], "en", "I can't sleep again.", ChatRequest.Status.WAITING,
    )  # fmt: skip
    # Nobody is listening: first in the queue, not offered to anyone.
    waiting = asked.json()
    assert (waiting["id"], waiting["status"], waiting["position"]) == (stored.pk, "waiting", 1)
    assert waiting["offer_expires_in"] is None and waiting["conversation_id"] is None

    cancelled = app.delete(f"/api/chat/requests/{stored.pk}")
    assert (cancelled.status_code, cancelled.content) == (204, b"")
    stored.refresh_from_db()
    assert stored.status == ChatRequest.Status.CANCELLED
    assert app.get(f"/api/chat/requests/{stored.pk}").json()["status"] == "cancelled"
    # With nothing open any more, she may ask again.
    again = app.post("/api/chat/requests", ASK, content_type="application/json")
    assert again.status_code == 201
    assert ChatRequest.objects.filter(seeker=alice, status="waiting").count() == 1


def test_a_listener_goes_online_and_the_chat_runs_to_the_seekers_feedback(
    alice, guidelines, django_capture_on_commit_callbacks
):
    lee = make_listener("listener_lee", guidelines, is_online=False, topics=[], max_chats=1)
    seeker, listener = token_client_for(alice), token_client_for(lee.user)
    with django_capture_on_commit_callbacks(execute=True):
        asked = seeker.post("/api/chat/requests", ASK, content_type="application/json").json()
    assert asked["status"] == "waiting"

    with django_capture_on_commit_callbacks(execute=True):
        online = listener.put(
            "/api/chat/listener",
            {"is_online": True, "topics": ["Sleep", "Grief"], "languages": ["en", "fr"],
             "max_chats": 3, "experience": "  Years of insomnia myself.  "},
            content_type="application/json",
        )  # fmt: skip
    assert online.status_code == 200, online.content
    lee.refresh_from_db()
    assert (lee.is_online, lee.topics, lee.languages, lee.max_chats, lee.experience) == (
        True, ["sleep", "grief"], ["en", "fr"], 3, "Years of insomnia myself.",
    )  # fmt: skip
    # Going online matched the seeker who was waiting: it is offered to Lee.
    assert seeker.get(f"/api/chat/requests/{asked['id']}").json()["status"] == "offered"
    assert [offer["id"] for offer in listener.get("/api/chat/offers").json()] == [asked["id"]]
    taken = listener.post(f"/api/chat/requests/{asked['id']}/take").json()
    conversation = Conversation.objects.get(pk=taken["id"])

    ended = seeker.post(f"/api/chat/conversations/{conversation.pk}/end")
    assert ended.status_code == 200
    conversation.refresh_from_db()
    assert (conversation.status, conversation.ended_by) == (Conversation.Status.ENDED, alice)
    answer = ended.json()
    assert (answer["id"], answer["role"], answer["status"]) == (conversation.pk, "seeker", "ended")
    assert answer["ended_at"].replace("Z", "+00:00") == conversation.ended_at.isoformat(
        timespec="milliseconds"
    )

    feedback = {"rating": 4, "feedback": "It helped to be heard."}
    url = f"/api/chat/conversations/{conversation.pk}/feedback"
    # Feedback is the seeker's to give, not the listener's.
    assert listener.post(url, feedback, content_type="application/json").status_code == 403
    given = seeker.post(url, feedback, content_type="application/json")
    assert (given.status_code, given.content) == (201, b"")
    stored = ChatFeedback.objects.get(conversation=conversation)
    assert (stored.rating, stored.feedback) == (4, "It helped to be heard.")


def test_a_listener_going_offline_through_the_api_is_offered_nothing(
    alice, guidelines, django_capture_on_commit_callbacks
):
    lee = make_listener("listener_lee", guidelines, topics=["sleep"])
    off = {"is_online": False, "topics": ["sleep"], "languages": ["en"], "max_chats": 2}
    response = token_client_for(lee.user).put(
        "/api/chat/listener", off, content_type="application/json"
    )
    assert response.status_code == 200
    assert ListenerProfile.objects.get(pk=lee.pk).is_online is False
    # Leaving experience out keeps what was written before.
    assert ListenerProfile.objects.get(pk=lee.pk).experience == lee.experience
    with django_capture_on_commit_callbacks(execute=True):
        token_client_for(alice).post("/api/chat/requests", ASK, content_type="application/json")
    assert ChatRequest.objects.get(seeker=alice).status == ChatRequest.Status.WAITING
