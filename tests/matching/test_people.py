"""People who have been through this: only those who opted in, only from what they chose to
share, gone the moment they opt out."""

import pytest

from haven.accounts.models import MemberBlock as Block
from haven.chat.actions import do_request_chat
from haven.forums.actions import do_create_reply, do_create_thread
from haven.matching import suggestions
from haven.matching.models import Namespace, PeerProfile, Vector
from haven.matching.people import do_join_peer_matching, do_leave_peer_matching
from haven.wellness.journal import do_create_journal_entry
from tests.conftest import client_for, make_member
from tests.matching.conftest import run_jobs

# A phrase no one would write by chance: if it ever leads to a person, private or anonymous
# text has reached person matching.
PLANTED = "quokka lighthouse marmalade on the ferry to Tromsø"


def people_for(viewer, text):
    return [s.item for s in suggestions.people_who_have_been_through_this(viewer, text, limit=10)]


@pytest.fixture
def dana(guidelines):
    """Opted in, with a profile about caring for a parent with dementia."""
    dana = make_member("dana", guidelines)
    dana.bio = "Carer for my dad."
    dana.topics = ["caring", "dementia"]
    dana.save()
    do_join_peer_matching(
        dana, experience="Five years caring for my father through dementia; the guilt and the "
        "exhaustion of being a full-time carer while working."
    )  # fmt: skip
    run_jobs()
    return dana


@pytest.fixture
def evan(guidelines, anxiety):
    """Writes about the same thing in public, but never opted in."""
    evan = make_member("evan", guidelines)
    evan.bio = "Looking after my mum who has dementia."
    evan.save()
    do_create_thread(
        anxiety, title="Caring for mum with dementia is wearing me down",
        body="She doesn't recognise me some days. I'm her carer and I'm exhausted.",
        acting_user=evan,
    )  # fmt: skip
    run_jobs()
    return evan


QUERY = "My father has dementia and I'm exhausted from caring for him"


def test_only_members_who_opted_in_are_suggested(dana, evan, bob):
    found = suggestions.people_who_have_been_through_this(bob, QUERY)
    assert [s.item for s in found] == [dana]
    # From the topics Dana chose to list, never from anything else she wrote.
    assert found[0].reason == "Lists “caring” and “dementia” among what they have been through"


def test_the_page_and_the_api_show_only_opted_in_people(dana, evan, bob):
    page = client_for(bob).post("/connect/", {"action": "look", "about": QUERY})
    html = page.content.decode()
    assert page.status_code == 200
    assert "dana" in html and "evan" not in html
    api = client_for(bob).post(
        "/api/matching/people", {"about": QUERY}, content_type="application/json"
    )
    assert [p["pseudonym"] for p in api.json()["people"]] == ["dana"]
    assert all(p["reason"] for p in api.json()["people"])


def test_you_are_never_suggested_to_yourself(dana):
    assert dana not in people_for(dana, QUERY)


def test_opting_out_deletes_the_vector_at_once_and_hides_the_member(dana, bob):
    assert Vector.objects.filter(namespace=Namespace.PERSON, object_id=dana.pk).exists()
    response = client_for(dana).post("/connect/leave/")
    assert response.status_code == 302
    # No job has run: the opt-out itself deleted the vector.
    assert not Vector.objects.filter(namespace=Namespace.PERSON, object_id=dana.pk).exists()
    assert not PeerProfile.objects.filter(member=dana).exists()
    assert dana not in people_for(bob, QUERY)


def test_opting_out_through_the_api(dana, bob):
    client = client_for(dana)
    assert client.get("/api/matching/peer-profile").json()["findable"] is True
    assert client.delete("/api/matching/peer-profile").status_code == 204
    assert client.get("/api/matching/peer-profile").json() == {"findable": False, "experience": ""}
    assert not Vector.objects.filter(namespace=Namespace.PERSON).exists()


def test_opting_in_through_the_page(bob, carol):
    response = client_for(bob).post(
        "/connect/", {"action": "join", "experience": "I survived a house fire last year."}
    )
    assert response.status_code == 302
    run_jobs()
    assert people_for(carol, "we lost our home in a fire") == [bob]


def test_opting_in_through_the_api(bob, carol):
    client = client_for(bob)
    response = client.put(
        "/api/matching/peer-profile",
        {"experience": "  I survived a house fire last year.  "},
        content_type="application/json",
    )
    assert response.json() == {"findable": True, "experience": "I survived a house fire last year."}
    assert PeerProfile.objects.get(member=bob).experience == "I survived a house fire last year."
    run_jobs()
    assert people_for(carol, "we lost our home in a fire") == [bob]
    # Writing again changes what was shared; it is still one profile.
    client.put("/api/matching/peer-profile", {"experience": ""}, content_type="application/json")
    assert client.get("/api/matching/peer-profile").json() == {"findable": True, "experience": ""}
    assert PeerProfile.objects.filter(member=bob).count() == 1


def test_deleting_the_account_deletes_the_person_vector(dana):
    from haven.accounts.actions import do_delete_account

    do_delete_account(dana, erase_content=False)
    assert not Vector.objects.filter(namespace=Namespace.PERSON).exists()


def test_public_posts_under_the_pseudonym_describe_a_member_who_opted_in(guidelines, anxiety):
    fern = make_member("fern", guidelines)
    do_join_peer_matching(fern)  # nothing written in the profile
    do_create_thread(
        anxiety, title="Stage fright before my violin recital",
        body="My bow hand shakes so much on stage that the strings squeak.", acting_user=fern,
    )  # fmt: skip
    run_jobs()
    viewer = make_member("gus", guidelines)
    found = suggestions.people_who_have_been_through_this(
        viewer, "performance anxiety playing music on stage"
    )
    assert [s.item for s in found] == [fern]
    assert found[0].reason == "Wrote “Stage fright before my violin recital”"


def test_anonymous_posts_journals_and_chats_never_reach_person_matching(
    dana, anxiety, bob, django_capture_on_commit_callbacks
):
    before = bytes(Vector.objects.get(namespace=Namespace.PERSON, object_id=dana.pk).vector)
    thread = do_create_thread(
        anxiety, title=f"About the {PLANTED}", body=f"I keep dreaming of the {PLANTED}.",
        is_anonymous=True, acting_user=dana,
    )  # fmt: skip
    do_create_reply(thread, body=f"Again: {PLANTED}", is_anonymous=True, acting_user=dana)
    do_create_journal_entry(
        title=PLANTED, body=f"Private: {PLANTED}", tags=[], mood=None, acting_user=dana
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_request_chat(dana, topics=[], language="en", message=f"Can we talk about {PLANTED}?")
    run_jobs()
    # The anonymous posts are searchable as posts, but say nothing about dana as a person.
    after = bytes(Vector.objects.get(namespace=Namespace.PERSON, object_id=dana.pk).vector)
    assert after == before
    assert dana not in people_for(bob, PLANTED)
    # The same phrase in a public post under her name does describe her: the test can fail.
    do_create_thread(anxiety, title=f"The {PLANTED}", body=PLANTED * 2, acting_user=dana)
    run_jobs()
    assert dana in people_for(bob, PLANTED)


def test_blocked_members_are_not_suggested(dana, bob):
    Block.objects.create(blocker=dana, blocked=bob)
    assert dana not in people_for(bob, QUERY)


def test_a_suspended_member_is_not_suggested(dana, bob):
    dana.is_active = False
    dana.save()
    assert dana not in people_for(bob, QUERY)


def test_a_profile_with_contact_details_is_refused(bob):
    response = client_for(bob).post(
        "/connect/", {"action": "join", "experience": "Text me on 07700 900123 any time"}
    )
    assert response.status_code == 422
    assert not PeerProfile.objects.filter(member=bob).exists()


def test_leaving_is_idempotent(bob):
    assert do_leave_peer_matching(bob) is False


def test_the_export_holds_what_the_member_shared_for_matching(dana, bob):
    from haven.accounts.personal_data import export_user_data

    assert export_user_data(dana)["peer_matching"]["findable_by_peers"] is True
    assert "dementia" in export_user_data(dana)["peer_matching"]["what_you_have_been_through"]
    assert export_user_data(bob)["peer_matching"] == {
        "findable_by_peers": False, "what_you_have_been_through": "", "listener_experience": "",
        "threads_offered_to_you": [],
    }  # fmt: skip
