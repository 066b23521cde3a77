"""The listener training in Spanish: the same lessons, quiz and crisis protocol, written for a
Spanish reader, with the same slugs, question ids and answers, so progress and a passed quiz
count the same whichever language they were read in."""

from html import escape

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import translation

from haven.accounts.language import SocketLanguageMiddleware
from haven.chat.models import ListenerProfile, QuizAttempt
from haven.chat.training import (
    crisis_protocol,
    grade_quiz,
    lesson_by_slug,
    lessons,
    quiz_questions,
    training_content,
)
from haven.core.text import render_markdown
from haven.routing import websocket_urlpatterns
from tests.conftest import client_for

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def in_language(language: str | None, read, *args):
    with translation.override(language):
        return read(*args)


def shape(value):
    """The structure of the content with every text left out."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


NOT_READ = {"slug", "id", "lesson", "url"}  # keys, the same in every language


def texts(value) -> list[str]:
    """Every text a person reads."""
    if isinstance(value, dict):
        return [text for key, item in value.items() if key not in NOT_READ for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return [value] if isinstance(value, str) else []


def correct_answers() -> dict:
    return {q["id"]: q["answer"] for q in quiz_questions()}


def test_the_spanish_training_has_the_english_structure_slugs_ids_and_answers():
    english = in_language("en", training_content)
    spanish = in_language("es", training_content)
    assert spanish is not english
    assert shape(spanish) == shape(english)
    assert [(item["slug"], item["minutes"]) for item in spanish["lessons"]] == [
        (item["slug"], item["minutes"]) for item in english["lessons"]
    ]
    assert [(q["id"], q["lesson"], q["answer"]) for q in spanish["quiz"]["questions"]] == [
        (q["id"], q["lesson"], q["answer"]) for q in english["quiz"]["questions"]
    ]
    assert spanish["quiz"]["pass_mark"] == english["quiz"]["pass_mark"]
    assert spanish["crisis_protocol"]["professional"]["url"] == "/care/"


def test_under_spanish_the_lessons_quiz_and_protocol_are_in_spanish():
    with translation.override("es"):
        spanish_lessons, questions, protocol = lessons(), quiz_questions(), crisis_protocol()
        assert lesson_by_slug("active-listening")["title"].startswith("Escuchar bien")
    english = in_language("en", training_content)
    assert spanish_lessons[0]["title"] == "Escuchar bien: el corazón de cada chat"
    assert "**Oyente:**" in spanish_lessons[0]["body"]
    assert "**Persona que busca apoyo:**" in spanish_lessons[0]["body"]
    assert "¿Cuál es la respuesta más útil?" in questions[0]["text"]
    assert protocol["title"] == "Si alguien puede estar en crisis"
    assert protocol["professional"]["link_text"] == "Busca un profesional"
    crisis_lesson = spanish_lessons[-1]["body"]
    assert "024" in crisis_lesson and "800 911 2000" in crisis_lesson
    # Every text a person reads is translated.
    english_texts = set(texts(english))
    left_in_english = [
        text for text in texts(in_language("es", training_content)) if text in english_texts
    ]
    assert texts(english) and not left_in_english


def test_a_regional_spanish_reads_the_spanish_training_and_other_languages_read_english():
    assert in_language("es-mx", lessons)[0]["title"].startswith("Escuchar bien")
    assert in_language("fr", lessons)[0]["title"].startswith("Listening well")
    assert in_language(None, lessons)[0]["title"].startswith("Listening well")


def test_the_spanish_lessons_render_the_same_markup_as_the_english():
    for english, spanish in zip(
        in_language("en", lessons), in_language("es", lessons), strict=True
    ):
        english_html, spanish_html = (
            render_markdown(english["body"]),
            render_markdown(spanish["body"]),
        )
        for tag in ("<h3>", "<li>", "<blockquote>", "<strong>", "<p>"):
            assert spanish_html.count(tag) == english_html.count(tag), (english["slug"], tag)


def test_grading_is_the_same_in_every_language():
    answers = in_language("en", correct_answers)
    wrong = {key: (value + 1) % 4 for key, value in answers.items()}
    half = {
        key: value if index % 2 else wrong[key]
        for index, (key, value) in enumerate(answers.items())
    }
    for given in (answers, wrong, half):
        assert in_language("es", grade_quiz, given) == in_language("en", grade_quiz, given)
    assert in_language("es", grade_quiz, answers).passed
    assert not in_language("es", grade_quiz, half).passed


def test_a_spanish_reader_sees_the_quiz_and_lessons_in_spanish(alice):
    client = client_for(alice)
    page = client.get("/listen/quiz/", **SPANISH).content.decode()
    for question in in_language("es", quiz_questions):
        assert escape(question["text"]) in page
        assert all(escape(choice) in page for choice in question["choices"])
    for question in in_language("en", quiz_questions):
        assert escape(question["text"]) not in page
    lesson = in_language("es", lesson_by_slug, "crisis-protocol")
    page = client.get("/listen/lessons/crisis-protocol/", **SPANISH).content.decode()
    assert escape(lesson["title"]) in page and "Línea de la Vida" in page
    # The same member reading in English still gets the English quiz.
    english_page = client.get("/listen/quiz/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert escape(in_language("en", quiz_questions)[0]["text"]) in english_page


def test_a_member_who_chose_spanish_sees_the_spanish_quiz_whatever_the_browser_says(alice):
    alice.language = "es"
    alice.save(update_fields=["language"])
    page = client_for(alice).get("/listen/quiz/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert escape(in_language("es", quiz_questions)[0]["text"]) in page


def test_passing_the_quiz_in_spanish_counts_the_same(alice):
    client = client_for(alice)
    client.post("/listen/start/", **SPANISH)
    # Lessons read in Spanish count as read: progress is kept by slug.
    for lesson in in_language("es", lessons):
        client.post(f"/listen/lessons/{lesson['slug']}/", **SPANISH)
    profile = ListenerProfile.objects.get(user=alice)
    assert set(profile.lessons_completed) == {item["slug"] for item in in_language("en", lessons)}
    answers = in_language("es", correct_answers)
    wrong = {key: (value + 1) % 4 for key, value in answers.items()}
    failed = client.post("/listen/quiz/", wrong, **SPANISH).content.decode()
    # What to look at again is explained in Spanish.
    first = in_language("es", quiz_questions)[0]
    assert escape(first["explanation"]) in failed
    alice.refresh_from_db()
    assert alice.role == "member"
    client.post("/listen/quiz/", answers, **SPANISH)
    attempt = QuizAttempt.objects.filter(user=alice).latest("pk")
    assert attempt.passed and attempt.score == 1
    assert attempt.answers == in_language("en", correct_answers)
    alice.refresh_from_db()
    assert alice.role == "listener"
    assert ListenerProfile.objects.get(user=alice).status == "listener"


@pytest.mark.django_db(transaction=True)
async def test_a_spanish_speaking_listener_gets_the_crisis_protocol_in_spanish(
    conversation, alice, listener_lee
):
    listener = listener_lee.user
    listener.language = "es"
    await listener.asave(update_fields=["language"])
    application = SocketLanguageMiddleware(URLRouter(websocket_urlpatterns))
    sockets = {}
    for name, user in (("seeker", alice), ("listener", listener)):
        socket = WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/")
        socket.scope["user"] = user
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from(timeout=5))["type"] == "history"
        sockets[name] = socket
    words = "I've been saving my pills and I want to end my life tonight."
    await sockets["seeker"].send_json_to({"type": "message", "client_id": "x", "body": words})
    frames = [await sockets["listener"].receive_json_from(timeout=5) for _ in range(2)]
    protocol = next(frame for frame in frames if frame["type"] == "crisis_protocol")
    spanish = in_language("es", crisis_protocol)
    assert protocol["title"] == spanish["title"] and protocol["steps"] == spanish["steps"]
    for socket in sockets.values():
        await socket.disconnect()
