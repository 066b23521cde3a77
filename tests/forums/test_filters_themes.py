"""Themes (haven.core.themes): what the detector finds and what it leaves alone, and the
themes threads and updates carry once written, edited or backfilled."""

import time
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from haven.core.themes import THEMES, detect_themes, theme_label
from haven.forums.actions import do_create_thread, do_edit_post
from haven.forums.models import Thread
from haven.updates.actions import do_create_update
from haven.updates.models import Update


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("I have been self-harming again", "self_harm_detail"),
        ("The urge to cut myself came back", "self_harm_detail"),
        ("I keep having suicidal thoughts", "suicide"),
        ("Some days I want to die", "suicide"),
        ("Recovering from anorexia is slow", "eating"),
        ("I binge every night and hate my body", "eating"),
        ("Counting calories all day", "eating"),
        ("My dad died last spring", "grief"),
        ("The funeral was on Friday", "grief"),
        ("Since my grandma passed away", "grief"),
        ("He abused me for years", "abuse"),
        ("Flashbacks from the assault", "abuse"),
        ("Six months sober today", "substance"),
        ("Alcohol withdrawal is frightening", "substance"),
        ("We had a miscarriage in May", "pregnancy_loss"),
        ("Our baby was stillborn", "pregnancy_loss"),
        ("SELF HARM", "self_harm_detail"),  # case and a space for the hyphen
        ("Grieving my mum’s death", "grief"),  # a curly apostrophe
    ],
)
def test_the_detector_finds_each_theme_in_plain_words(text, theme):
    assert theme in detect_themes(text)


@pytest.mark.parametrize(
    "text",
    [
        "My phone died during the call",  # not a person
        "I lost my job and my keys",
        "Dog grooming calms me down",  # grooming a dog is not abuse
        "Binge-watching a series all weekend",  # not eating
        "Social withdrawal is part of my depression",  # not substance use
        "I made a cash withdrawal",
        "Suicide Squad was a fun film",
        "The bingo hall was busy",  # whole words only: no "bing"
        "Drapes and grapes",  # whole words only: no "rape"
        "The battery died, so she charged it",
    ],
)
def test_the_detector_leaves_innocent_uses_alone(text):
    assert detect_themes(text) == []


def test_drug_abuse_is_substance_use_not_abuse():
    assert detect_themes("There was drug abuse in my family") == ["substance"]


def test_every_theme_has_a_plain_label_and_description():
    assert len(THEMES) >= 7
    for theme in THEMES:
        assert theme.label and theme.description.endswith(".")
    assert theme_label("grief") == "Grief and loss"


def test_detection_is_fast_on_a_long_post():
    text = "I went for a walk and thought about things. " * 2000
    started = time.perf_counter()
    assert detect_themes(text) == []
    assert time.perf_counter() - started < 0.5


def test_a_thread_carries_the_themes_of_its_title_warning_tags_and_opening_post(
    members_of_anxiety, alice
):
    thread = do_create_thread(
        members_of_anxiety, title="A hard week", body="The funeral is on Friday.",
        content_warning="eating disorder", tags=["sober-life"], acting_user=alice,
    )  # fmt: skip
    thread.refresh_from_db()
    assert thread.themes == ["eating", "grief", "substance"]


def test_editing_the_opening_post_works_the_themes_out_again(members_of_anxiety, alice):
    thread = do_create_thread(
        members_of_anxiety, title="Tired", body="The funeral was hard.", tags=["sleep"],
        acting_user=alice,
    )  # fmt: skip
    do_edit_post(thread.first_post, body="Just tired from work.", acting_user=alice)
    thread.refresh_from_db()
    assert thread.themes == []
    do_edit_post(
        thread.first_post, body="Just tired.", title="After the miscarriage", acting_user=alice
    )
    thread.refresh_from_db()
    assert thread.themes == ["pregnancy_loss"]
    assert list(thread.tags.values_list("slug", flat=True)) == ["sleep"]  # tags kept


def test_an_update_carries_its_themes(alice):
    update = do_create_update(body="Missing my dad since he died.", visibility="public",
                              acting_user=alice)  # fmt: skip
    assert Update.objects.get(pk=update.pk).themes == ["grief"]


def test_backfill_themes_fills_threads_written_before_themes_existed(members_of_anxiety, alice):
    thread = do_create_thread(
        members_of_anxiety, title="Grief", body="Mourning my cat.", acting_user=alice
    )
    Thread.objects.filter(pk=thread.pk).update(themes=[])
    output = StringIO()
    call_command("backfill_themes", stdout=output)
    assert "1 thread(s) updated" in output.getvalue()
    thread.refresh_from_db()
    assert thread.themes == ["grief"]


def test_the_updates_migration_backfills_updates(alice):
    update = do_create_update(body="Six months sober!", visibility="public", acting_user=alice)
    Update.objects.filter(pk=update.pk).update(themes=[])
    migration = import_module("haven.updates.migrations.0008_backfill_update_themes")
    migration.backfill(django_apps, None)
    assert Update.objects.get(pk=update.pk).themes == ["substance"]
