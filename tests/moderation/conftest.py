import pytest

from haven.forums.actions import do_create_thread

CRISIS = "I can't do this anymore. I've been saving my pills and tonight I want to end my life."
TOXIC = "You're pathetic and nobody wants you here, just leave."
MISINFORMATION = "Just stop taking your antidepressants cold turkey, therapy is a scam anyway."
PHONE = "I'd love to talk more, text me on 555-123-4567 any time."


@pytest.fixture
def thread(members_of_anxiety, alice):
    return do_create_thread(
        members_of_anxiety, title="Rough week", body="It has been a long week.", acting_user=alice
    )
