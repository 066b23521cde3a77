"""The private journal: the writer's alone, through every way in, and encrypted at rest."""

import json

import pytest
from django.db import connection

from haven.core import fulltext
from haven.core.api_schemas import PageOf  # noqa: F401 - the API is importable with the journal in it
from haven.moderation.models import AuditEntry, QueueItem
from haven.notifications.models import Notification
from haven.wellness.journal import do_create_journal_entry
from haven.wellness.models import JournalEntry
from tests.conftest import client_for, crisis_line_names

SECRET = "Zephyrine the lighthouse keeper knows about my brother"
CRISIS = "I can't do this anymore. I want to end my life tonight, I have the pills ready."


@pytest.fixture
def entry(alice) -> JournalEntry:
    return do_create_journal_entry(
        title="Sunday", body=SECRET, tags=["family"], mood=4, acting_user=alice
    ).entry


def test_writing_reading_editing_and_deleting_an_entry(alice_client):
    response = alice_client.post(
        "/journal/new/",
        {"title": "First", "body": "Today was **long**.", "tags": "work, Sleep", "mood": "5"},
    )
    entry = JournalEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/journal/{entry.pk}/"
    assert entry.tags == ["work", "sleep"] and entry.mood == 5
    page = alice_client.get(f"/journal/{entry.pk}/").content.decode()
    assert "<strong>long</strong>" in page and "First" in page

    alice_client.post(
        f"/journal/{entry.pk}/edit/", {"title": "First, edited", "body": "Better now.", "tags": ""}
    )
    entry.refresh_from_db()
    assert (entry.title, entry.body, entry.tags, entry.mood) == (
        "First, edited",
        "Better now.",
        [],
        None,
    )

    alice_client.post(f"/journal/{entry.pk}/delete/")
    assert not JournalEntry.objects.exists()


def test_editing_and_deleting_an_entry_through_the_api(alice_client, entry):
    url = f"/api/journal/{entry.pk}"
    edited = alice_client.put(
        url,
        {"title": "Sunday, later", "body": "Calmer now.", "tags": ["Sleep"], "mood": 6},
        content_type="application/json",
    )
    assert edited.status_code == 200, edited.content
    answer = edited.json()
    assert (answer["id"], answer["title"], answer["body"], answer["tags"], answer["mood"]) == (
        entry.pk, "Sunday, later", "Calmer now.", ["sleep"], 6,
    )  # fmt: skip
    assert answer["support"] is None
    stored = JournalEntry.objects.get(pk=entry.pk)
    assert (stored.title, stored.body, stored.tags, stored.mood) == (
        "Sunday, later", "Calmer now.", ["sleep"], 6,
    )  # fmt: skip
    assert stored.updated_at > stored.created_at
    # PUT replaces: what is left out is emptied.
    alice_client.put(url, {"body": "Just this."}, content_type="application/json")
    stored.refresh_from_db()
    assert (stored.title, stored.body, stored.tags, stored.mood) == ("", "Just this.", [], None)

    deleted = alice_client.delete(url)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert not JournalEntry.objects.exists()
    assert alice_client.get(url).status_code == 404


def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_stored(alice_client):
    response = alice_client.post("/journal/new/", {"title": "x", "body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = alice_client.post("/journal/new/", {"body": "ok", "mood": "11"})
    assert response.status_code == 400
    response = alice_client.post("/journal/new/", {"body": "x" * 20_001})
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode().replace(",", "")
    assert not JournalEntry.objects.exists()


def test_search_finds_the_owners_entries_only(alice, bob, alice_client, bob_client):
    do_create_journal_entry(title="Rain", body="The rain made me calm", tags=[], mood=None,
                            acting_user=alice)  # fmt: skip
    do_create_journal_entry(title="Exam", body="Worried about the exam", tags=["study"], mood=None,
                            acting_user=alice)  # fmt: skip
    do_create_journal_entry(title="Rain too", body="rain for bob", tags=[], mood=None,
                            acting_user=bob)  # fmt: skip
    found = alice_client.get("/journal/?q=rain").content.decode()
    assert "The rain made me calm" in found and "Worried" not in found and "bob" not in found
    by_tag = alice_client.get("/journal/?tag=study").content.decode()
    assert "Worried about the exam" in by_tag and "The rain" not in by_tag
    api = alice_client.get("/api/journal", {"q": "rain"}).json()
    assert [item["title"] for item in api["items"]] == ["Rain"]
    assert "The rain made me calm" not in bob_client.get("/journal/?q=calm").content.decode()


def test_the_database_row_holds_no_plaintext(entry):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, body, tags FROM wellness_journalentry WHERE id = %s", [entry.pk]
        )
        raw = " ".join(cursor.fetchone())
    assert "Zephyrine" not in raw and "Sunday" not in raw and "family" not in raw
    assert raw.startswith("gAAAAA")  # Fernet tokens
    # Nor does the site-wide search index hold it, under any kind.
    kinds = tuple(
        {"post", "update", "resource", "journal"} | {row[0] for row in _search_index_kinds()}
    )
    assert fulltext.search("Zephyrine lighthouse", kinds) == []


def _search_index_kinds() -> list[tuple[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT kind FROM search_index")
        return cursor.fetchall()


@pytest.mark.parametrize("who", ["bob", "moderator_kim", "site_admin"])
def test_nobody_else_reads_an_entry_through_any_page_or_the_api(who, entry, request):
    viewer = request.getfixturevalue(who)
    client = client_for(viewer)
    for url in (f"/journal/{entry.pk}/", f"/journal/{entry.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/journal/{entry.pk}/delete/").status_code == 404
    assert client.post(f"/journal/{entry.pk}/edit/", {"body": "hijack"}).status_code == 404
    assert SECRET not in client.get("/journal/").content.decode()
    assert SECRET not in client.get("/journal/?q=Zephyrine").content.decode()
    assert client.get(f"/api/journal/{entry.pk}").status_code == 404
    assert (
        client.put(
            f"/api/journal/{entry.pk}", {"body": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/journal/{entry.pk}").status_code == 404
    assert client.get("/api/journal").json()["items"] == []
    # Site search, notifications and the viewer's own export never carry it.
    assert "lighthouse keeper" not in client.get("/search/?q=Zephyrine").content.decode()
    assert "Zephyrine" not in json.dumps(client.post("/accounts/export/").json())
    assert not Notification.objects.filter(recipient=viewer).exists()
    entry.refresh_from_db()
    assert entry.body == SECRET


def test_the_admin_site_has_no_way_to_the_journal(site_admin, entry):
    client = client_for(site_admin)
    assert client.get("/admin/").status_code == 200
    for url in (
        "/admin/wellness/journalentry/",
        f"/admin/wellness/journalentry/{entry.pk}/change/",
        "/admin/wellness/moodcheckin/",
        "/admin/wellness/safetyplan/",
    ):
        assert client.get(url).status_code == 404, url
    user_page = client.get(f"/admin/accounts/user/{entry.author_id}/change/").content.decode()
    assert "Zephyrine" not in user_page


def test_the_writer_exports_their_own_journal(alice_client, entry):
    exported = alice_client.post("/accounts/export/").json()
    assert exported["journal"][0]["body"] == SECRET
    assert exported["journal"][0]["tags"] == ["family"]


def test_a_crisis_entry_shows_the_private_panel_and_tells_nobody(alice, alice_client, crisis_lines):
    response = alice_client.post("/journal/new/", {"title": "tonight", "body": CRISIS}, follow=True)
    page = response.content.decode()
    assert "You don't have to face this alone" in page
    assert "Our moderators have been told" not in page
    assert 'href="/safety-plan/"' in page
    assert QueueItem.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert Notification.objects.exclude(recipient=alice).count() == 0
    assert "crisis" not in json.dumps(
        list(JournalEntry.objects.values("mood", "created_at")), default=str
    )
    # The API gives the same private panel and stores no label either.
    api = alice_client.post(
        "/api/journal", {"body": CRISIS}, content_type="application/json"
    ).json()
    assert api["support"]["moderators_told"] is False
    assert [line["name"] for line in api["support"]["resources"]] == crisis_line_names(alice)
    assert QueueItem.objects.count() == 0


def test_an_ordinary_entry_shows_no_panel(alice_client):
    page = alice_client.post(
        "/journal/new/", {"body": "Had a nice lunch with my sister."}, follow=True
    ).content.decode()
    assert "You don't have to face this alone" not in page


def test_personal_data_is_fine_in_a_private_journal(alice_client):
    """A journal is for the writer alone: names and numbers are theirs to keep there."""
    response = alice_client.post(
        "/journal/new/", {"body": "Call Dr Patel on 020 7946 0018 about the referral."}
    )
    assert response.status_code == 302
    assert "020 7946 0018" in JournalEntry.objects.get().body


def test_signed_out_visitors_are_sent_to_log_in(client, entry):
    response = client.get(f"/journal/{entry.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/api/journal").status_code == 401
