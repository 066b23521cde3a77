"""Members who may message each other: alice (trusted, here a while) asks bob, who follows her
(the default choice: only people I follow may ask me). carol is a third member."""

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.models import TrustLevel, User
from haven.direct_messages.actions import do_accept_request, do_request_direct
from haven.direct_messages.models import DirectThread
from haven.updates.models import Follow, FollowStatus

CRISIS_WORDS = "I've been saving my pills. I want to end it tonight."
FIRST_WORDS = "Hi bob, your post about night shifts really helped. Could we talk?"


def settle(user: User, level: int = TrustLevel.MEMBER, days: int = 30) -> User:
    """A member at this trust level who joined `days` ago."""
    user.trust_level = level
    user.date_joined = timezone.now() - timedelta(days=days)
    user.save(update_fields=["trust_level", "date_joined"])
    return user


def follow(follower: User, followed: User) -> None:
    Follow.objects.create(follower=follower, followed=followed, status=FollowStatus.ACCEPTED)


@pytest.fixture
def trusted(alice, bob, carol):
    """alice, bob and carol are settled members; bob follows alice, so she may ask him."""
    for member in (alice, bob, carol):
        settle(member)
    follow(bob, alice)
    return alice, bob, carol


@pytest.fixture
def request_thread(trusted, django_capture_on_commit_callbacks) -> DirectThread:
    alice, bob, _ = trusted
    with django_capture_on_commit_callbacks(execute=True):
        thread, _ = do_request_direct(alice, bob, body=FIRST_WORDS, client_id="first")
    return thread


@pytest.fixture
def accepted_thread(request_thread, django_capture_on_commit_callbacks) -> DirectThread:
    with django_capture_on_commit_callbacks(execute=True):
        do_accept_request(request_thread)
    request_thread.refresh_from_db()
    return request_thread
