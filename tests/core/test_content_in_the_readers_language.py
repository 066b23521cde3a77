"""Content carries a language (issue 19): communities and resources say which they are written
in; lists and suggestions put the reader's language first without hiding the rest; a resource is
shown once, in the reader's version where one exists; the guidelines are translated as content
and accepting a translation is accepting that version."""

import re

import pytest
from django.utils import translation

from haven.accounts.actions import do_publish_guidelines, do_translate_guidelines
from haven.communities.actions import do_save_community
from haven.matching import suggestions
from haven.safety.resources import load_crisis_resources
from haven.wellness import library
from haven.wellness.models import Resource
from tests.conftest import client_for
from tests.matching.conftest import run_jobs
from tests.support.queries import page_queries
from tests.wellness.test_library import publish

pytestmark = pytest.mark.django_db

ES = {"accept-language": "es"}
EN = {"accept-language": "en"}
CRISIS_ES = "Ya no puedo más. He guardado las pastillas y esta noche quiero quitarme la vida."


@pytest.fixture
def spanish_speaking(alice):
    alice.language = "es"
    alice.save(update_fields=["language"])
    return alice


@pytest.fixture
def apoyo(db):
    return do_save_community(
        slug="apoyo",
        name="Apoyo en español",
        description="Para la ansiedad, la tristeza y los días difíciles.",
        language="es",
    )


def test_communities_in_the_readers_language_come_first_and_the_rest_stay(
    anxiety, grief, apoyo, alice
):
    member = client_for(alice)
    english = member.get("/communities/", headers=EN).content.decode()
    assert english.index(">Anxiety<") < english.index(">Grief<") < english.index("Apoyo en esp")
    # Marked for screen readers, and named for readers who don't read Spanish.
    assert '<a href="/c/apoyo/" lang="es">Apoyo en español</a> <span class="pill">Español</span>'
    assert re.search(r'lang="es">Apoyo en español</a> <span class="pill">Español</span>', english)

    alice.language = "es"
    alice.save(update_fields=["language"])
    spanish = member.get("/communities/").content.decode()
    assert spanish.index("Apoyo en esp") < spanish.index(">Anxiety<") < spanish.index(">Grief<")
    assert re.search(r'lang="en">Anxiety</a> <span class="pill">English</span>', spanish)
    api = member.get("/api/communities").json()["items"]
    assert [(c["slug"], c["language"]) for c in api][:2] == [("apoyo", "es"), ("anxiety", "en")]


def test_a_community_in_a_language_haven_does_not_offer_is_refused(db):
    with pytest.raises(ValueError):
        do_save_community(slug="x", name="X", description="x", language="klingon")


@pytest.fixture
def translated(editor_eve, reviewer_rosa):
    """Box breathing in English with a Spanish translation, and a guide only in English."""
    original = publish(editor_eve, reviewer_rosa)
    spanish = publish(
        editor_eve, reviewer_rosa, slug="respiracion-cuadrada", title="Respiración cuadrada",
        summary="Cuatro tiempos lentos para calmar el cuerpo.",
        body="Inhala en cuatro tiempos, sostén cuatro, exhala cuatro.",
        language="es", translation_of=original,
    )  # fmt: skip
    only_english = publish(
        editor_eve, reviewer_rosa, slug="sleep-basics", title="Sleep basics", category="sleep",
        summary="Small changes for better nights.", body="Keep the same wake-up time.",
        tags=["sleep"],
    )  # fmt: skip
    return original, spanish, only_english


def test_the_library_shows_each_resource_once_in_the_readers_version(translated, alice):
    member = client_for(alice)
    english = member.get("/library/", headers=EN).content.decode()
    assert "Box breathing" in english and "Respiración cuadrada" not in english
    assert "Sleep basics" in english

    alice.language = "es"
    alice.save(update_fields=["language"])
    page = member.get("/library/").content.decode()
    assert "Respiración cuadrada" in page and "Box breathing" not in page
    assert page.index("Respiración cuadrada") < page.index("Sleep basics")  # theirs first
    assert '<p lang="en">Small changes for better nights.</p>' in page  # marked for readers
    api = member.get("/api/resources").json()["items"]
    assert [(r["slug"], r["language"]) for r in api] == [
        ("respiracion-cuadrada", "es"),
        ("sleep-basics", "en"),
    ]
    # Searching in English words still finds the Spanish reader their version.
    found = member.get("/api/resources?q=quietmarigold").json()["items"]
    assert [r["slug"] for r in found] == ["respiracion-cuadrada"]


def test_the_library_page_costs_the_same_queries_with_translations(translated, alice):
    member = client_for(alice)
    member.get("/library/", headers=EN)  # the session's first request writes more
    with page_queries() as before:
        member.get("/library/", headers=EN)
    alice.language = "es"
    alice.save(update_fields=["language"])
    with page_queries() as after:
        member.get("/library/")
    assert len(after) == len(before)


def test_a_resource_page_links_its_other_languages(translated, alice):
    original, spanish, _ = translated
    page = client_for(alice).get(original.get_absolute_url(), headers=EN).content.decode()
    assert (
        'Also in <a href="/library/respiracion-cuadrada/" lang="es" hreflang="es">Español</a>'
        in page
    )
    back = client_for(alice).get(spanish.get_absolute_url(), headers=EN).content.decode()
    assert 'href="/library/box-breathing/" lang="en" hreflang="en">English</a>' in back
    assert '<div class="prose" lang="es">' in back


def test_the_support_panel_links_the_crisis_guide_in_the_readers_language(
    editor_eve,
    reviewer_rosa,
    spanish_speaking,
    members_of_anxiety,
):
    load_crisis_resources()
    tonight = publish(
        editor_eve, reviewer_rosa, slug="getting-through-tonight", title="Getting through tonight",
        category="crisis", kind="crisis", crisis_related=True,
    )  # fmt: skip
    publish(
        editor_eve, reviewer_rosa, slug="pasar-esta-noche", title="Pasar esta noche",
        category="crisis", kind="crisis", crisis_related=True, language="es",
        translation_of=tonight,
    )  # fmt: skip
    member = client_for(spanish_speaking)
    response = member.post(
        "/c/anxiety/new/", {"title": "Esta noche", "body": CRISIS_ES}, follow=True
    )
    panel = re.search(
        r'<section class="support-panel.*?</section>', response.content.decode(), re.S
    )
    assert panel, "no support panel after a crisis post"
    assert 'href="/library/pasar-esta-noche/"' in panel.group(0)
    assert 'href="/library/getting-through-tonight/"' not in panel.group(0)
    # An English reader's panel, cached separately, still links the English guide.
    with translation.override("en"):
        english = library.resources_for_crisis()
    assert [r.slug for r in english] == ["getting-through-tonight"]


def test_a_translation_must_be_in_another_language_than_its_original(translated, editor_eve):
    original, _, _ = translated
    response = client_for(editor_eve).post(
        "/library/new/",
        {
            "title": "Box breathing again", "slug": "box-again", "kind": "coping",
            "category": "breathing", "summary": "Again.", "body": "Again.",
            "language": "en", "translation_of": original.pk,
        },
    )  # fmt: skip
    assert response.status_code == 400  # the form again, with the reason
    assert "A translation is in another language than the original." in response.content.decode()
    assert not Resource.objects.filter(slug="box-again").exists()


def test_suggestions_prefer_the_readers_language(translated, apoyo, anxiety, alice):
    original, spanish, _ = translated
    run_jobs()
    # Words of both languages, as people write who live in both.
    text = "Panic comes, la ansiedad, los días difíciles; I count to four to calm down"
    with translation.override("es"):
        resources = suggestions.resources_that_may_help(text, limit=3)
        communities = suggestions.communities_that_fit(text, limit=2)
    assert spanish in [s.item for s in resources] and original not in [s.item for s in resources]
    assert communities and communities[0].item == apoyo
    with translation.override("en"):
        resources = suggestions.resources_that_may_help(text, limit=3)
    assert original in [s.item for s in resources] and spanish not in [s.item for s in resources]


def test_the_guidelines_are_read_in_the_readers_language_and_accepted_as_one_version(
    guidelines, alice, client
):
    new = do_publish_guidelines("# Be kind\n\nReply as you would want on your hardest day.")
    do_translate_guidelines(new, "es", "# Sé amable\n\nResponde como te gustaría en tu peor día.")
    page = client.get("/accounts/signup/", headers=ES).content.decode()
    assert '<div class="prose" lang="es"><h3>Sé amable</h3>' in page
    member = client_for(alice)
    shown = member.get("/guidelines/", headers=ES).content.decode()
    assert "Sé amable" in shown and "Be kind" not in shown
    api = member.get("/api/guidelines", headers=ES).json()
    assert (api["language"], api["version"]) == ("es", new.version)
    assert api["body"].startswith("# Sé amable")
    member.post("/guidelines/", {"accept": "yes", "next": "/home/"}, headers=ES)
    alice.refresh_from_db()
    assert alice.guidelines_version == new.version
    # Without a translation for the reader, the original.
    assert member.get("/api/guidelines", headers=EN).json()["language"] == "en"
    with pytest.raises(ValueError):
        do_translate_guidelines(new, "en", "x")


def test_a_journal_entry_suggests_its_writers_version_of_a_resource(translated, spanish_speaking):
    from haven.wellness.journal import do_create_journal_entry
    from haven.wellness.models import JournalEntry

    original, spanish, _ = translated
    run_jobs()
    saved = do_create_journal_entry(
        title="Panic again", body="Panic at night; I breathe in for four counts, hold for four.",
        tags=[], mood=3, acting_user=spanish_speaking,
    )  # fmt: skip
    run_jobs()
    suggested = JournalEntry.objects.get(pk=saved.entry.pk).suggested_resources
    assert spanish.pk in suggested and original.pk not in suggested
