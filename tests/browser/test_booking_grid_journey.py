"""The booking grid in a real browser: a member signs in, opens a therapist's booking page on a
phone (390 px) and on a desktop (1280 px), sees a week of free times in their own time zone,
moves to the next week, picks a time and books it. On the phone the days stack, with no sideways
scroll of the page; on the desktop they stand side by side, one row per time. A member without
a zone of their own sees their browser's, and can change it."""

import re
import zoneinfo
from datetime import date, time, timedelta
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.care.booking import queries
from haven.care.booking.queries import free_slots
from haven.care.booking.slots import Slot, monday_of
from haven.care.models import TherapistProfile, WeeklyAvailability
from haven.wellness.models import WellnessSettings
from tests.browser.conftest import log_in
from tests.care.conftest import make_therapist

pytestmark = pytest.mark.browser

PASSWORD = "rowan-by-the-slow-river-8"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def guidelines(transactional_db):
    return do_publish_guidelines("# Be kind\n\nTreat each other gently.")


@pytest.fixture
def therapist(guidelines) -> TherapistProfile:
    """London hours every day, so the weeks shown do not hang on the day the test runs."""
    therapist = make_therapist("therapist_tess", guidelines, hours=None)
    for weekday in range(7):
        WeeklyAvailability.objects.create(
            therapist=therapist, weekday=weekday, start_time=time(9), end_time=time(17)
        )
    return therapist


def member(guidelines, pseudonym: str, zone: str | None = None):
    user = do_create_user(pseudonym, PASSWORD, guidelines_version=guidelines.version)
    if zone:
        WellnessSettings.objects.create(member=user, time_zone=zone)
    return user


def name_of(slot: Slot, zone: zoneinfo.ZoneInfo) -> str:
    local = slot.starts_at.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"


def slots_of_week(therapist, zone, monday) -> list[Slot]:
    return [
        slot
        for slot in free_slots(therapist, days=queries.horizon_days())
        if monday_of(slot.starts_at.astimezone(zone).date()) == monday
    ]


def day_name(day) -> str:
    return f"{day:%A} {day.day} {day:%B}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_booking_grid_from_a_week_in_the_members_zone_to_a_booked_session(
    new_context, shot, guidelines, therapist, viewport
):
    member(guidelines, "rowan", "America/New_York")
    size = "phone" if viewport is PHONE else "desktop"
    # The browser's own zone differs from the member's: the member's setting wins.
    page = new_context(viewport=viewport, timezone_id="Asia/Tokyo").new_page()
    log_in(page, "rowan", PASSWORD)
    page.goto(f"/care/therapists/{therapist.pk}/book/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Book a session with Dr Therapist_Tess"
    )
    expect(page.get_by_text("Times shown in United States — New York (change)")).to_be_visible()

    first = free_slots(therapist, days=queries.horizon_days())[0]
    monday = monday_of(first.starts_at.astimezone(NEW_YORK).date())
    days = [monday + timedelta(days=n) for n in range(7)]
    for day in days:
        expect(page.get_by_role("group", name=day_name(day))).to_be_visible()
    first_radio = page.get_by_role("radio", name=name_of(first, NEW_YORK))
    expect(first_radio).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    boxes = [page.get_by_role("group", name=day_name(day)).bounding_box() for day in days]
    if viewport is PHONE:
        # A day after another, each the width of the screen's column.
        assert all(a["y"] < b["y"] for a, b in pairwise(boxes))
    else:
        # Seven columns side by side, and a time sits on the same row in each of them.
        assert len({round(box["y"]) for box in boxes}) == 1
        assert all(a["x"] < b["x"] for a, b in pairwise(boxes))
    shot(page, f"{size}-week")

    page.get_by_role("link", name="Next week").click()
    next_monday = monday + timedelta(days=7)
    expect(page).to_have_url(re.compile(rf"\?week={next_monday.isoformat()}$"))
    expect(page.get_by_role("group", name=day_name(next_monday))).to_be_visible()
    expect(page.get_by_role("link", name="Previous week")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    week = slots_of_week(therapist, NEW_YORK, next_monday)
    if viewport is DESKTOP:
        # One row per time: each time sits level on every day that has it, left to right.
        for row in {s.starts_at.astimezone(NEW_YORK).time() for s in week}:
            boxes = [
                page.get_by_role("radio", name=name_of(s, NEW_YORK)).bounding_box()
                for s in week
                if s.starts_at.astimezone(NEW_YORK).time() == row
            ]
            assert len({round(box["y"]) for box in boxes}) == 1, row
            assert all(a["x"] < b["x"] for a, b in pairwise(boxes))
    chosen = week[3]
    radio = page.get_by_role("radio", name=name_of(chosen, NEW_YORK))
    radio.check()
    expect(radio).to_be_checked()
    page.get_by_label("Messaging").check()
    shot(page, f"{size}-next-week-chosen")

    page.get_by_role("button", name="Book this time").click()
    expect(page).to_have_url(re.compile(r"/care/appointments/\d+/$"))
    expect(page.get_by_text("Your session is booked.")).to_be_visible()
    local = chosen.starts_at.astimezone(NEW_YORK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Session with Dr Therapist_Tess")
    expect(page.get_by_text(f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}")).to_be_visible()
    shot(page, f"{size}-booked")


def test_the_booking_grid_shows_the_browsers_zone_to_a_member_without_one_and_it_can_change(
    new_context, shot, guidelines, therapist
):
    member(guidelines, "sage")
    page = new_context(viewport=PHONE, timezone_id="Asia/Tokyo").new_page()
    log_in(page, "sage", PASSWORD)
    page.goto(f"/care/therapists/{therapist.pk}/book/")
    expect(page.get_by_text("Times shown in Japan — Tokyo (change)")).to_be_visible()
    expect(page).to_have_url(re.compile(r"tz=Asia%2FTokyo"))

    page.get_by_text("(change)").click()
    page.get_by_label("Show times in").select_option("Europe/London")
    page.get_by_role("button", name="Show these times").click()
    expect(page.get_by_text("Times shown in United Kingdom — London (change)")).to_be_visible()
    # The week shown is the one it was in Tokyo (late on a Sunday in London it is Monday
    # there): the first free time of that week, in London's words.
    london = zoneinfo.ZoneInfo("Europe/London")
    shown = re.search(r"week=(\d{4}-\d{2}-\d{2})", page.url)
    monday = date.fromisoformat(shown.group(1)) if shown else date.min
    first = next(
        slot
        for slot in free_slots(therapist, days=queries.horizon_days())
        if slot.starts_at.astimezone(london).date() >= monday
    )
    expect(page.get_by_role("radio", name=name_of(first, london))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-zone-changed")
    # Moving on a week keeps the zone picked.
    page.get_by_role("link", name="Next week").click()
    expect(page.get_by_text("Times shown in United Kingdom — London (change)")).to_be_visible()
