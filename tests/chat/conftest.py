import pytest

from haven.chat.actions import do_request_chat, do_start_training
from haven.chat.models import ListenerProfile
from tests.conftest import make_member


def make_listener(pseudonym: str, guidelines, **profile) -> ListenerProfile:
    user = make_member(pseudonym, guidelines, role="listener")
    listener = do_start_training(user)
    listener.status = ListenerProfile.Status.LISTENER
    listener.is_online = profile.pop("is_online", True)
    listener.languages = profile.pop("languages", ["en"])
    for key, value in profile.items():
        setattr(listener, key, value)
    listener.save()
    return listener


@pytest.fixture
def listener_lee(guidelines) -> ListenerProfile:
    return make_listener("listener_lee", guidelines, topics=["anxiety", "sleep"])


@pytest.fixture
def conversation(alice, listener_lee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        chat_request = do_request_chat(
            alice, topics=["anxiety"], language="en", message="I can't sleep and I'm scared."
        )
    chat_request.refresh_from_db()
    return chat_request.conversation
