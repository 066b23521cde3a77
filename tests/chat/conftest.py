import pytest

from haven.chat.actions import do_request_chat, do_start_training, do_take_request
from haven.chat.models import ChatRequest, ListenerProfile
from haven.notifications import presence
from tests.conftest import make_member


def make_listener(pseudonym: str, guidelines, **profile) -> ListenerProfile:
    """A trained listener with their switch on and, unless present=False, Haven open in a tab
    (a live notification socket, as haven.notifications.presence records it)."""
    user = make_member(pseudonym, guidelines, role="listener")
    listener = do_start_training(user)
    listener.status = ListenerProfile.Status.LISTENER
    listener.is_online = profile.pop("is_online", True)
    listener.languages = profile.pop("languages", ["en"])
    if profile.pop("present", True):
        presence.beat(user.pk, f"tab-of-{pseudonym}")
    for key, value in profile.items():
        setattr(listener, key, value)
    listener.save()
    return listener


def accept_offer(chat_request: ChatRequest, capture) -> ChatRequest:
    """The listener the request was offered to accepts it (as the Accept button does)."""
    chat_request.refresh_from_db()
    assert chat_request.status == ChatRequest.Status.OFFERED
    listener = ListenerProfile.objects.get(user_id=chat_request.offered_to_id)
    with capture(execute=True):
        do_take_request(listener, chat_request)
    chat_request.refresh_from_db()
    return chat_request


@pytest.fixture
def listener_lee(guidelines) -> ListenerProfile:
    return make_listener("listener_lee", guidelines, topics=["anxiety", "sleep"])


@pytest.fixture
def conversation(alice, listener_lee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        # No opening words: the chat starts empty (tests/chat/test_presence.py covers them).
        chat_request = do_request_chat(alice, topics=["anxiety"], language="en", message="")
    return accept_offer(chat_request, django_capture_on_commit_callbacks).conversation
