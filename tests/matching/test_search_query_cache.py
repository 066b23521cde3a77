"""The query-vector cache of hybrid search belongs to one member: how fast a search answers
must never tell anyone what somebody else just searched for."""

from collections.abc import Iterator
from unittest import mock

import pytest
from django.test import Client

from haven.accounts.actions import do_create_api_token
from haven.matching.vectors import current_embedder, forget_query_vectors
from tests.conftest import client_for

QUERY = "cannot stop thinking about the hospital appointment"


@pytest.fixture(autouse=True)
def _no_query_vectors_from_other_tests():
    forget_query_vectors()


@pytest.fixture
def embed_calls() -> Iterator[mock.Mock]:
    embedder = current_embedder()
    with mock.patch.object(embedder, "embed", wraps=embedder.embed) as spy:
        yield spy


def searched_texts(spy: mock.Mock) -> list[str]:
    return [text for call in spy.call_args_list for text in call.args[0]]


def test_another_members_search_does_not_hit_the_first_members_cache(alice, bob, embed_calls):
    assert client_for(alice).get("/api/search", {"q": QUERY}).status_code == 200
    assert client_for(bob).get("/api/search", {"q": QUERY}).status_code == 200
    assert searched_texts(embed_calls) == [QUERY, QUERY]


def test_a_members_own_repeated_search_is_still_served_from_their_cache(alice, embed_calls):
    client = client_for(alice)
    client.get("/search/", {"q": QUERY})
    client.get("/search/", {"q": QUERY, "page": 2})
    client.get("/api/search", {"q": QUERY, "mode": "semantic"})
    assert searched_texts(embed_calls) == [QUERY]


def test_the_page_and_a_token_app_of_different_members_do_not_share_the_cache(
    alice, bob, embed_calls
):
    client_for(alice).get("/search/", {"q": QUERY})
    app = Client(headers={"Authorization": f"Bearer {do_create_api_token(bob)}"})
    assert app.get("/api/search", {"q": QUERY, "mode": "semantic"}).status_code == 200
    assert searched_texts(embed_calls) == [QUERY, QUERY]
