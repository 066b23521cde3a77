"""`haven match_eval` on the demo data, and resources found for private texts."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from haven.matching.models import Vector
from haven.wellness.journal import do_create_journal_entry
from haven.wellness.models import JournalEntry
from tests.conftest import client_for
from tests.matching.conftest import run_jobs


def test_match_eval_hybrid_beats_full_text_with_both_models(db):
    call_command("load_demo_data", stdout=StringIO())
    out = StringIO()
    call_command("match_eval", "--check", "--models", "minilm,hashing", stdout=out)
    lines = out.getvalue().strip().splitlines()
    report = json.loads(lines[-1])  # the JSON line comes last
    assert report["queries"] >= 100
    results = report["results"]
    assert set(results) == {
        "fulltext", "embeddings-minilm", "hybrid-minilm", "embeddings-hashing", "hybrid-hashing",
        "hybrid-by-language",
    }  # fmt: skip
    for model in ("minilm", "hashing"):
        for figure in ("recall@5", "ndcg@10"):
            assert results[f"hybrid-{model}"][figure] > results["fulltext"][figure]
    assert report["hybrid_beats_fulltext"] is True
    assert any(line.startswith("fulltext") for line in lines)

    # Spanish queries for the Spanish demo content (issue 19). MiniLM learned from English, yet
    # here it ranks Spanish content better than the hashing fallback: hence the default of
    # HAVEN_HASHING_LANGUAGES (none). Both stay better than words alone.
    out = StringIO()
    call_command("match_eval", "--check", "--language", "es", stdout=out)
    spanish = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (spanish["language"], spanish["queries"]) == ("es", 37)
    results = spanish["results"]
    for method in ("hybrid-minilm", "hybrid-hashing", "hybrid-by-language"):
        for figure in ("recall@5", "ndcg@10"):
            assert results[method][figure] > results["fulltext"][figure], method
    assert results["hybrid-minilm"]["ndcg@10"] > results["hybrid-hashing"]["ndcg@10"]
    assert results["hybrid-by-language"] == results["hybrid-minilm"]  # the default routing


def test_match_eval_says_what_to_do_without_demo_data(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_demo_data"):
        call_command("match_eval", "--models", "hashing", stdout=StringIO())


def test_a_journal_entry_gets_resources_for_its_writer_alone(alice, bob, library):
    saved = do_create_journal_entry(
        title="Another sleepless night", body="Awake until 4am again, my mind wouldn't switch off.",
        tags=[], mood=3, acting_user=alice,
    )  # fmt: skip
    run_jobs()
    entry = JournalEntry.objects.get(pk=saved.entry.pk)
    assert entry.suggested_resources
    # Stored encrypted, like the entry; and no vector of the entry is kept anywhere.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT suggested_resources FROM wellness_journalentry WHERE id = %s", [entry.pk]
        )
        raw = cursor.fetchone()[0]
    assert raw.startswith("gAAAA")  # a Fernet token
    assert not Vector.objects.exclude(namespace__in=["resource", "community"]).exists()
    page = client_for(alice).get(f"/journal/{entry.pk}/")
    assert b"Resources that may help" in page.content
    api = client_for(alice).get(f"/api/journal/{entry.pk}").json()
    assert api["resources"] and api["resources"][0]["url"].startswith("/")
    assert client_for(bob).get(f"/journal/{entry.pk}/").status_code == 404
    assert client_for(bob).get(f"/api/journal/{entry.pk}").status_code == 404
