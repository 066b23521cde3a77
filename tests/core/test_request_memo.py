"""Answers shared by the layers of one request are computed once (haven.core.request_memo):
which communities a member moderates is asked by the second-factor gate, the menu and the page.
A membership change inside the request forgets them; outside a request nothing is kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.communities.actions import do_join_community, do_set_community_moderator
from haven.communities.permissions import is_community_moderator, moderated_community_ids
from haven.core.request_memo import memoising
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def moderator_lookups(queries, member) -> int:
    """Queries for the communities this member moderates (not a page's list of moderators)."""
    return sum(
        1
        for query in queries
        if "'moderator'" in query["sql"]
        and f'"communities_membership"."user_id" = {member.pk}' in query["sql"]
    )


def test_a_page_asks_once_which_communities_the_member_moderates(alice, anxiety, grief):
    do_join_community(alice, grief)
    do_set_community_moderator(alice, anxiety, is_moderator=True, acting_user=None)
    client = client_for(alice)
    for url in ("/home/", anxiety.get_absolute_url(), grief.get_absolute_url()):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200, url
        assert moderator_lookups(queries.captured_queries, alice) == 1, url


def test_a_membership_change_in_the_request_is_seen_by_what_follows(alice, anxiety):
    with memoising():
        assert moderated_community_ids(alice) == []
        assert not is_community_moderator(alice, anxiety)
        do_set_community_moderator(alice, anxiety, is_moderator=True, acting_user=None)
        assert moderated_community_ids(alice) == [anxiety.pk]
        assert is_community_moderator(alice, anxiety)
        do_set_community_moderator(alice, anxiety, is_moderator=False, acting_user=None)
        assert moderated_community_ids(alice) == []


def test_outside_a_request_every_call_asks_the_database(alice, anxiety, django_assert_num_queries):
    with django_assert_num_queries(2):
        moderated_community_ids(alice)
        moderated_community_ids(alice)
