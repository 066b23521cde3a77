"""The pipeline in each language: a text's language picks its detectors (both when unsure), and
a Spanish text gets Spanish detection with the same policy: crisis brings the support panel,
abuse is caught, idioms and support for others are not."""

import pytest

from haven.safety.detectors.personal_data import find_personal_data
from haven.safety.language import detect_languages
from haven.safety.pipeline import ScreenContext, screen
from tests.conftest import client_for

FAST = ScreenContext(surface="reply", use_embeddings=False)


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("I can't sleep and everything feels heavy tonight", ("en",)),
        ("Llevo semanas sin dormir y todo me pesa muchísimo", ("es",)),
        ("ok", ("en", "es")),  # a few words: both languages' detectors
    ],
)
def test_the_language_chooses_the_detectors(text, languages):
    assert detect_languages(text) == languages
    assert screen(text, FAST).languages == languages


@pytest.mark.parametrize(
    "text",
    [
        "Ya tengo las pastillas guardadas. Esta noche quiero acabar con todo.",
        "no quiero despertar mañana, ya les escribí una carta de despedida a mis papás",
        "me corté otra vez hace un rato y no para de sangrar",
    ],
)
def test_spanish_crisis_is_caught(text):
    verdict = screen(text, FAST)
    assert "crisis" in verdict.labels and verdict.languages == ("es",)


@pytest.mark.parametrize(
    "text",
    [
        "jajaja me muero de risa con este meme",
        "me mata el trabajo esta semana, pero el finde descanso",
        "Si estás pensando en quitarte la vida, llama al 024. No estás sola.",
    ],
)
def test_spanish_idioms_the_past_and_support_are_not_crisis(text):
    assert "crisis" not in screen(text, FAST).labels


def test_spanish_abuse_and_personal_data_are_caught():
    assert "toxic" in screen("eres un inútil, nadie te quiere, mátate", FAST).labels
    verdict = screen("escríbeme al +52 55 1234 5678 o ven a Calle Mayor 12, 3ºB", FAST)
    assert "personal_data" in verdict.labels
    assert {finding.kind for finding in verdict.findings} >= {"phone", "address"}


@pytest.mark.django_db
def test_a_spanish_crisis_post_brings_the_spanish_support_panel(alice, anxiety):
    from haven.communities.actions import do_join_community
    from haven.safety.resources import load_crisis_resources

    load_crisis_resources()
    alice.country, alice.language = "ES", "es"
    alice.save()
    do_join_community(alice, anxiety)
    member = client_for(alice)
    response = member.post(
        f"/c/{anxiety.slug}/new/",
        {"title": "No puedo más", "body": "Esta noche quiero acabar con todo, ya lo decidí."},
        follow=True,
    )
    page = response.content.decode()
    assert "No tienes que enfrentar esto a solas" in page
    assert "024 Línea de atención a la conducta suicida" in page
    assert 'href="tel:024"' in page


def test_spanish_name_rules_follow_the_detected_language():
    """A given name and a surname read as a person in a Spanish sentence; in an English one the
    English rules decide (a full name with a place): the pipeline hands over the language."""
    spanish = screen("Mi padrastro es Héctor Morales Díaz y hoy me volvió a gritar", FAST)
    english_text = "Our book club read Gabriel García Márquez this month and I loved it"
    english = screen(english_text, FAST)
    assert spanish.languages == ("es",) and "personal_data" in spanish.labels
    assert english.languages == ("en",) and "personal_data" not in english.labels
    assert find_personal_data(english_text, ("es",))  # the gate, not the words, kept it out
