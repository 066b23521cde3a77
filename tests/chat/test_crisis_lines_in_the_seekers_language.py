"""The crisis lines a listener sends are written for the seeker: in the language the seeker
asked to talk in and for their country, whatever language the listener reads Haven in."""

import uuid

import pytest

from haven.chat.actions import do_request_chat
from haven.chat.models import ChatMessage
from haven.safety.resources import load_crisis_resources
from haven.safety.support import crisis_lines_message
from tests.chat.conftest import accept_offer, make_listener
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_chat(alice, guidelines, django_capture_on_commit_callbacks):
    load_crisis_resources()
    alice.country = "ES"
    alice.save(update_fields=["country"])
    make_listener("listener_lucia", guidelines, languages=["es", "en"])
    with django_capture_on_commit_callbacks(execute=True):
        chat_request = do_request_chat(alice, topics=["anxiety"], language="es", message="")
    return accept_offer(chat_request, django_capture_on_commit_callbacks).conversation


def test_an_english_reading_listener_sends_spanish_lines_to_a_spanish_speaking_seeker(
    spanish_chat,
):
    listener = client_for(spanish_chat.listener)
    page = listener.get(f"/chat/{spanish_chat.pk}/", headers={"accept-language": "en"})
    text = page.content.decode()
    assert "Send crisis lines" in text  # the listener's own page stays in English
    protocol = text[text.index("data-crisis-protocol") :]
    preview = protocol[protocol.index("crisis-protocol__preview") :]
    preview = preview[: preview.index("</blockquote>")]
    assert "Estas personas están ahí para ti" in preview
    assert "024 Línea de atención a la conducta suicida: llama al 024" in preview
    assert "Si estás en peligro inmediato, llama ahora al 112." in preview
    assert "Suicidal behaviour line" not in preview and "call" not in preview

    lines = crisis_lines_message(spanish_chat.seeker, spanish_chat.request.language)
    sent = listener.post(
        f"/chat/{spanish_chat.pk}/send/", {"body": lines, "client_id": uuid.uuid4().hex}
    )
    assert sent.status_code == 302, sent.content.decode()[:500]
    stored = ChatMessage.objects.get(conversation=spanish_chat)
    assert stored.sender == spanish_chat.listener and "llama al 024" in stored.body


def test_without_a_chat_language_the_seekers_saved_language_is_used(conversation, alice):
    load_crisis_resources()
    alice.country = "MX"
    alice.language = "es"
    alice.save(update_fields=["country", "language"])
    assert "Línea de la Vida: llama al 800 911 2000" in crisis_lines_message(alice)
    # The chat was asked for in English: that is what the seeker reads here.
    assert "Línea de la Vida: call 800 911 2000" in crisis_lines_message(alice, "en")
