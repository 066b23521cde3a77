"""The personal-data rules find contact details and identifying facts, and leave help alone."""

import pytest

from haven.safety.detectors.personal_data import find_personal_data


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("call me on +44 7700 900123 tonight", "phone"),
        ("my number is (555) 123-4567", "phone"),
        ("text 555.123.4567 if you want", "phone"),
        ("ring me oh seven seven oh oh nine oh oh one two three", "phone"),
        ("email me at jane.doe@example.com", "email"),
        ("it's jane dot doe at gmail dot com", "email"),
        ("I live at 42 Elm Street, Springfield", "address"),
        ("add me on insta @sunny.days", "handle"),
        ("my snap is xyz_22", "handle"),
        ("discord: moonlight#1234", "handle"),
        ("here's my page tiktok.com/@someone_real", "handle"),
        ("I'm Sarah Jenkins from Leeds", "name"),
        ("my name is tom baker and I'm scared", "name"),
    ],
)
def test_finds_personal_data(text, kind):
    assert kind in {finding.kind for finding in find_personal_data(text)}


@pytest.mark.parametrize(
    "text",
    [
        "I slept 4 hours last night",
        "please call 988 or text HOME to 741741",
        "Samaritans are on 116 123, any time",
        "day 30 without self-harm",
        "it was 2019-2023, the worst years",
        "@QuietHarbor thank you for your reply",
        "my friend Sam was there for me",
        "I am so tired from work",
        "I'm in London this week",
        "I scored 14 on the PHQ-9 at 10:30",
        "I sent an email to my boss",
    ],
)
def test_leaves_ordinary_numbers_names_and_crisis_lines_alone(text):
    assert find_personal_data(text) == []
