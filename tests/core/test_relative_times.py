"""`ago` ("5 minutes ago") takes a shortcut under 28 days: it must say exactly what Django's
timesince says, in the active language, at every boundary."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.timesince import timesince

from haven.core.templatetags.haven import ago

DELTAS = [
    timedelta(seconds=59),
    timedelta(seconds=60),
    timedelta(minutes=1, seconds=59),
    timedelta(minutes=59, seconds=59),
    timedelta(hours=1),
    timedelta(hours=23, minutes=59),
    timedelta(days=1),
    timedelta(days=6, hours=23),
    timedelta(days=7),
    timedelta(days=13, hours=23, minutes=59),
    timedelta(days=14),
    timedelta(days=27, hours=23, minutes=59),
    timedelta(days=28),
    timedelta(days=45),
    timedelta(days=400),
]


@pytest.mark.parametrize("delta", DELTAS, ids=str)
def test_ago_says_what_timesince_says(delta):
    now = timezone.now()
    moment = now - delta
    expected = (
        "just now" if delta < timedelta(minutes=1) else f"{timesince(moment, now, depth=1)} ago"
    )
    assert ago(moment) == expected


def test_a_moment_in_the_future_is_just_now():
    assert ago(timezone.now() + timedelta(minutes=5)) == "just now"


def test_the_words_follow_the_active_language():
    moment = timezone.now() - timedelta(hours=3)
    english = ago(moment)
    with translation.override("es"):
        spanish = ago(moment)
        assert spanish == f"hace {timesince(moment, depth=1)}"  # the whole phrase, translated
    assert spanish == "hace 3\xa0horas"
    assert english == "3\xa0hours ago"
    assert spanish != english  # not the English text cached for every language
