"""Avatars drawn from the pseudonym: the same everywhere for one member, one neutral avatar for
every anonymous author (it must not give the author away), no uploads."""

import pytest

from haven.core.avatars import NEUTRAL, PALETTE, avatar
from haven.forums.actions import do_create_thread
from tests.conftest import client_for


def test_the_same_pseudonym_always_draws_the_same_avatar():
    assert avatar("river") == avatar("River")
    assert ">R</text>" in avatar("river")
    assert any(f'fill="{colour}"' in avatar("river") for colour in PALETTE)
    # A different name may share a colour, but not every name does.
    assert len({avatar(name) for name in ("river", "fern", "oak", "tide", "kettle")}) > 1
    assert ">?</text>" in avatar("___")


def test_anonymous_authors_share_one_neutral_avatar():
    assert f'fill="{NEUTRAL}"' in avatar(None) and "<text" not in avatar(None)


@pytest.mark.django_db
def test_posts_show_the_authors_avatar_and_anonymous_ones_the_neutral(
    alice, bob, members_of_anxiety
):
    anxiety = members_of_anxiety
    named = do_create_thread(
        anxiety, title="Hello all", body="First time here, hi.", acting_user=alice
    )
    hidden = do_create_thread(
        anxiety, title="A hard week", body="Something I can't say with my name.",
        is_anonymous=True, acting_user=alice,
    )  # fmt: skip
    reader = client_for(bob)
    page = reader.get(named.get_absolute_url()).content.decode()
    assert str(avatar("alice")) in page
    anonymous = reader.get(hidden.get_absolute_url()).content.decode()
    assert str(avatar(None)) in anonymous and str(avatar("alice")) not in anonymous
    profile = reader.get("/members/alice/").content.decode()
    assert str(avatar("alice", 48)) in profile
