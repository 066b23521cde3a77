"""A request's live events go out together when it ends (haven.core.realtime.batched_pushes):
a reply that tells three members makes one trip to the event loop with every member's event in
it; what rolled back is never sent. Outside a request each event goes at once. (That events
reach sockets through the channel layer is tested with the consumers.)"""

import pytest
from django.db import transaction

from haven.core import realtime
from haven.forums.actions import do_create_thread, do_set_subscription
from haven.notifications.realtime import user_group
from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trips(monkeypatch):
    """Every call of send_events: one trip to the event loop each, with its events."""
    calls: list[list] = []
    send_events = realtime.send_events

    def counted(events):
        calls.append(list(events))
        send_events(events)

    monkeypatch.setattr(realtime, "send_events", counted)
    return calls


def groups_told(calls: list[list]) -> set[str]:
    return {group for call in calls for group, _event in call}


def test_a_reply_tells_every_subscriber_in_one_trip(guidelines, anxiety, trips):
    from haven.communities.actions import do_join_community

    author, *readers = (make_member(name, guidelines) for name in ("ash", "bea", "cy", "dee"))
    for member in (author, *readers):
        do_join_community(member, anxiety)
    thread = do_create_thread(anxiety, title="A long week", body="Tired.", acting_user=author)
    for reader in readers[:2]:
        do_set_subscription(thread, True, acting_user=reader)
    trips.clear()

    response = client_for(readers[2]).post(
        f"{thread.get_absolute_url()}reply/", {"body": "Sending you a warm cup of tea."}
    )
    assert response.status_code == 302
    assert len(trips) == 1  # the whole request's events, in one trip
    # The author and both subscribers hear of the reply; its writer does not.
    members = (author, *readers)
    told = {m.pseudonym for m in members if user_group(m.pk) in groups_told(trips)}
    assert told == {"ash", "bea", "cy"}


def test_outside_a_request_each_committed_event_goes_at_once(trips):
    with transaction.atomic():
        realtime.send_event_on_commit("batch-test", {"type": "test.event", "n": 1})
        realtime.send_event_on_commit("batch-test", {"type": "test.event", "n": 2})
        assert trips == []  # nothing before the commit
    assert [[event["n"] for _group, event in call] for call in trips] == [[1], [2]]


def test_a_batch_sends_in_order_and_drops_what_rolled_back(trips):
    with realtime.batched_pushes():
        with transaction.atomic():
            realtime.send_event_on_commit("batch-test", {"type": "test.event", "n": 1})
            try:
                with transaction.atomic():
                    realtime.send_event_on_commit("batch-test", {"type": "test.event", "n": 2})
                    raise RuntimeError("the inner write failed")
            except RuntimeError:
                pass
            realtime.send_event_on_commit("batch-test", {"type": "test.event", "n": 3})
        assert trips == []  # held until the end of the request
    assert [[event["n"] for _group, event in call] for call in trips] == [[1, 3]]
