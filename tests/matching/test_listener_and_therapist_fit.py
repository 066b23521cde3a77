"""Listener and therapist matching add how close the seeker's own words are to the helper's
topics, experience and statement, to the rules they already had."""

from datetime import UTC, datetime

from haven.care.intake import fit as care_matching
from haven.chat.actions import do_request_chat, do_set_availability
from haven.chat.models import ChatRequest
from haven.chat.queue import best_listener_for
from haven.matching.indexing import do_embed
from haven.matching.models import Namespace, Vector
from haven.safety.support import SUPPORT_MESSAGE
from tests.care.conftest import make_therapist
from tests.chat.conftest import make_listener
from tests.conftest import client_for, crisis_line_names
from tests.matching.conftest import run_jobs

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def listeners(guidelines):
    """Same topics, languages and load: only their experience tells them apart."""
    grief = make_listener("listener_gwen", guidelines, topics=["family"])
    work = make_listener("listener_wes", guidelines, topics=["family"])
    for profile, experience in (
        (grief, "I lost my brother to cancer and know how heavy grief and bereavement are."),
        (work, "I have been through burnout and stress at work, and a difficult boss."),
    ):
        do_set_availability(
            profile, is_online=True, topics=profile.topics, languages=["en"], max_chats=2,
            experience=experience,
        )  # fmt: skip
    run_jobs()
    return grief, work


def test_a_listener_whose_experience_fits_the_request_is_chosen(guidelines, alice):
    grief, work = listeners(guidelines)
    assert Vector.objects.filter(namespace=Namespace.LISTENER).count() == 2
    request = ChatRequest(
        seeker=alice, topics=["family"], language="en",
        message="My sister died last month and I can't stop crying",
    )  # fmt: skip
    assert best_listener_for(request) == grief
    request.message = "My manager keeps piling on work and I'm exhausted"
    assert best_listener_for(request) == work


def test_without_a_message_topics_load_and_fairness_decide_as_before(guidelines, alice):
    grief, work = listeners(guidelines)
    request = ChatRequest(seeker=alice, topics=["family"], language="en", message="")
    assert best_listener_for(request) in (grief, work)
    work.max_chats = 0  # busy
    work.save()
    assert best_listener_for(request) == grief


def test_shared_topics_still_count(guidelines, alice):
    listeners(guidelines)
    sleepy = make_listener("listener_sam", guidelines, topics=["sleep", "insomnia"])
    do_embed(Namespace.LISTENER, [sleepy.pk])
    request = ChatRequest(
        seeker=alice, topics=["sleep", "insomnia"], language="en", message="I can't sleep"
    )
    assert best_listener_for(request) == sleepy


def test_a_revoked_listener_loses_their_vector(guidelines, moderator_kim):
    from haven.chat.actions import do_revoke_listener

    grief, _ = listeners(guidelines)
    do_revoke_listener(grief, reason="Left the programme", acting_user=moderator_kim)
    assert not Vector.objects.filter(namespace=Namespace.LISTENER, object_id=grief.pk).exists()


def test_the_listener_dashboard_saves_experience(guidelines):
    lee = make_listener("listener_lee2", guidelines, topics=["anxiety"])
    response = client_for(lee.user).post(
        "/listen/dashboard/",
        {"topics": "anxiety", "languages": ["en"], "max_chats": 2,
         "experience": "Panic attacks through university."},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/listen/dashboard/"
    lee.refresh_from_db()
    assert lee.experience == "Panic attacks through university."


def therapists(guidelines):
    panic = make_therapist(
        "therapist_pat", guidelines,
        statement="Most of my clients come with panic attacks, phobias and health anxiety.",
    )  # fmt: skip
    grief = make_therapist(
        "therapist_gail", guidelines,
        statement="I walk alongside people through bereavement, loss and complicated grief.",
    )  # fmt: skip
    do_embed(Namespace.THERAPIST, [panic.pk, grief.pk])
    return panic, grief


def test_what_brings_you_here_ranks_the_therapist_who_knows_it_first(guidelines, alice):
    panic, grief = therapists(guidelines)
    story = "Since my father died I feel lost and the grief comes in waves."
    ranked = care_matching.rank_therapists(alice, {"story": story}, now=NOW)
    assert [m.therapist for m in ranked] == [grief, panic]
    assert any("grief" in reason or "close to what you wrote" in reason
               for reason in ranked[0].reasons)  # fmt: skip
    ranked = care_matching.rank_therapists(
        alice, {"story": "My heart pounds and I'm sure I'm dying in the supermarket"}, now=NOW
    )
    assert ranked[0].therapist == panic
    # Without a story the two are tied, as before.
    plain = care_matching.rank_therapists(alice, {}, now=NOW)
    assert plain[0].score == plain[1].score


def test_the_story_is_kept_encrypted_and_crisis_words_bring_support(
    guidelines, alice, crisis_lines
):
    from django.db import connection

    from haven.care.intake import questionnaire

    client = client_for(alice)
    response = client.post(
        "/care/match/topics/", {"story": "I want to end my life, nothing helps anymore"}
    )
    assert response.status_code == 302
    assert questionnaire.answers_of(alice)["story"].startswith("I want to end my life")
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM care_matchinganswers")
        raw = cursor.fetchone()[0]
    assert "end my life" not in str(raw)
    page = client.get(response["Location"])
    assert b"support" in page.content.lower()
    api = client.put(
        "/api/care/questionnaire", {"story": "I don't want to be alive"},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 200
    support = api.json()["support"]
    assert support["message"] == SUPPORT_MESSAGE
    assert [line["name"] for line in support["resources"]] == crisis_line_names(alice)
    assert api.json()["answers"]["story"] == "I don't want to be alive"


def test_chat_request_resources_reach_the_seeker_alone(
    alice, bob, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = do_request_chat(
            alice, topics=[], language="en", message="I can't sleep, I lie awake all night"
        )
    run_jobs()
    request.refresh_from_db()
    assert request.suggested_resource_ids
    url = f"/talk/requests/{request.pk}/resources/"
    mine = client_for(alice).get(url)
    assert mine.status_code == 286 and b"While you wait" in mine.content
    assert client_for(bob).get(url).status_code == 404
