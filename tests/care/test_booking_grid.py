"""The booking page as a week grid: seven days (a fieldset each), one row per start time, in the
member's time zone (or one they pick, or their browser's); weeks from this one to the booking
horizon through `?week=`; the same booking as before; a query count that no number of slots
changes."""

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from haven.care.booking import queries
from haven.care.booking.actions import do_book
from haven.care.booking.queries import free_slots
from haven.care.booking.slots import (
    Slot,
    WeekRange,
    choose_week,
    monday_of,
    parse_week,
    week_grid,
)
from haven.care.models import Appointment, AvailabilityException, WeeklyAvailability
from haven.wellness.models import WellnessSettings
from tests.care.conftest import make_therapist
from tests.conftest import client_for
from tests.support.queries import page_queries

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def in_zone(member, name: str) -> None:
    WellnessSettings.objects.update_or_create(member=member, defaults={"time_zone": name})


def every_day(therapist, start: time = time(0), end: time = time(23, 59)) -> None:
    """Hours on all seven days, so what a test sees does not hang on the day it runs."""
    WeeklyAvailability.objects.filter(therapist=therapist).delete()
    for weekday in range(7):
        WeeklyAvailability.objects.create(
            therapist=therapist, weekday=weekday, start_time=start, end_time=end
        )


def columns(page: str) -> list[tuple[str, str]]:
    """(legend, inside) of each day's fieldset, in order."""
    return [
        (f"{weekday} {day}", inside)
        for weekday, day, inside in re.findall(
            r'<fieldset class="slot-day[^"]*">\s*<legend><span>(\w+)</span> <span>([^<]+)</span>'
            r"</legend>(.*?)</fieldset>",
            page,
            re.S,
        )
    ]


def radios(page: str) -> list[tuple[str, str]]:
    """(UTC value, accessible name) of each slot's radio button."""
    return re.findall(r'name="starts_at" value="([^"]+)" aria-label="([^"]+)"', page)


def heading(page: str) -> str:
    return re.search(r'id="booking-week-heading">([^<]+)<', page).group(1)


def week_links(page: str) -> dict[str, str]:
    return dict(
        (rel, href) for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)">', page)
    )


def this_monday(zone: zoneinfo.ZoneInfo) -> date:
    return monday_of(timezone.now().astimezone(zone).date())


def name_of(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"


@pytest.fixture
def member_in_new_york(alice):
    in_zone(alice, "America/New_York")
    return alice


def book_url(therapist) -> str:
    return f"/care/therapists/{therapist.pk}/book/"


# --- The page


def test_the_page_shows_seven_days_each_a_fieldset_with_slots_named_in_the_members_zone(
    therapist_tess, member_in_new_york
):
    page = client_for(member_in_new_york).get(book_url(therapist_tess)).content.decode()
    assert "Times shown in <strong>United States — New York</strong>" in page
    assert "(change)" in page
    days = columns(page)
    assert [legend.split()[0] for legend, _ in days] == WEEKDAY_NAMES
    shown = radios(page)
    assert shown, "the first week with a free time is shown"
    for value, name in shown:
        starts_at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        assert name == name_of(starts_at, NEW_YORK)  # "Tuesday 8 December, 04:00"
        assert 9 <= starts_at.astimezone(LONDON).hour < 17  # the therapist's own hours
    # The week is the one of the first free time, and the rest of that week is all there.
    first = free_slots(therapist_tess, days=queries.horizon_days())[0]
    monday = monday_of(first.starts_at.astimezone(NEW_YORK).date())
    assert days[0][0] == f"Monday {monday.day} {monday:%B}"
    expected = [
        s.value
        for s in free_slots(therapist_tess, days=queries.horizon_days())
        if monday_of(s.starts_at.astimezone(NEW_YORK).date()) == monday
    ]
    assert [value for value, _ in shown] == expected


def test_times_sit_on_one_row_across_days_and_days_without_slots_say_so(therapist_tess, alice):
    # Thursdays a longer day: its two extra hours are rows the other days leave empty.
    WeeklyAvailability.objects.create(
        therapist=therapist_tess, weekday=3, start_time=time(18), end_time=time(20)
    )
    in_zone(alice, "Europe/London")
    client = client_for(alice)
    week = this_monday(LONDON) + timedelta(days=14)
    page = client.get(book_url(therapist_tess), {"week": week.isoformat()}).content.decode()
    days = dict(columns(page))
    for day in (week + timedelta(days=5), week + timedelta(days=6)):
        inside = days[f"{day:%A} {day.day} {day:%B}"]
        assert "No free times this day" in inside and "<li" not in inside
    working = [inside for inside in days.values() if "<li" in inside]
    assert len(working) == 5
    assert {inside.count("<li") for inside in working} == {10}, "a cell for each start time"
    monday = days[f"Monday {week.day} {week:%B}"]
    assert monday.count('class="slot-gap" aria-hidden="true"') == 2
    assert re.findall(r'aria-label="Monday [^"]+, (\d\d:\d\d)"', monday) == [
        f"{hour:02d}:00" for hour in range(9, 17)
    ]


def shown_week(page: str) -> date:
    """The Monday of the week a page shows (the zone picker keeps it)."""
    return date.fromisoformat(re.search(r'name="week" value="([\d-]+)"', page).group(1))


def test_weeks_go_from_this_one_to_the_horizon_and_a_week_out_of_range_is_kept_in_it(
    therapist_tess, member_in_new_york, settings
):
    settings.HAVEN_BOOKING_HORIZON_DAYS = 21
    every_day(therapist_tess)
    client = client_for(member_in_new_york)
    url = book_url(therapist_tess)
    first = this_monday(NEW_YORK)
    last = monday_of(timezone.now().astimezone(NEW_YORK).date() + timedelta(days=21))
    soonest = free_slots(therapist_tess, days=21)[0].starts_at.astimezone(NEW_YORK)

    def shown(week: str) -> date:
        return shown_week(client.get(url, {"week": week}).content.decode())

    assert shown(first.isoformat()) == first
    assert shown((first - timedelta(days=30)).isoformat()) == first
    assert shown((first + timedelta(days=200)).isoformat()) == last
    # Any day of a week stands for its Monday; what is not a date: the first free week.
    assert shown((first + timedelta(days=9)).isoformat()) == first + timedelta(days=7)
    for nonsense in ("next-week", "2026-13-40", "", "1"):
        assert shown(nonsense) == monday_of(soonest.date())

    page = client.get(url, {"week": first.isoformat()}).content.decode()
    assert week_links(page) == {"next": f"?week={first + timedelta(days=7)}"}
    page = client.get(url, {"week": last.isoformat()}).content.decode()
    assert week_links(page) == {"prev": f"?week={last - timedelta(days=7)}"}
    middle = first + timedelta(days=7)
    page = client.get(url, {"week": middle.isoformat()}).content.decode()
    assert set(week_links(page)) == {"prev", "next"}
    sunday = middle + timedelta(days=6)
    assert heading(page).endswith(f"{sunday.day} {sunday:%B %Y}")
    assert [legend for legend, _ in columns(page)] == [
        f"{day:%A} {day.day} {day:%B}" for day in (middle + timedelta(days=n) for n in range(7))
    ]


def test_a_zone_picked_on_the_page_is_used_and_carried_to_the_other_weeks(
    therapist_tess, member_in_new_york
):
    client = client_for(member_in_new_york)
    page = client.get(book_url(therapist_tess), {"tz": "Asia/Tokyo"}).content.decode()
    assert "Times shown in <strong>Japan — Tokyo</strong>" in page
    for value, name in radios(page):
        assert name == name_of(datetime.fromisoformat(value.replace("Z", "+00:00")), TOKYO)
    assert "tz=Asia%2FTokyo" in week_links(page)["next"]
    assert '<option value="Asia/Tokyo" selected>Japan — Tokyo</option>' in page
    assert "This zone is used on this page only." in page
    # Any zone the machine knows is accepted, and joins the short list while in use.
    page = client.get(book_url(therapist_tess), {"tz": "Asia/Kathmandu"}).content.decode()
    assert '<option value="Asia/Kathmandu" selected>Nepal — Kathmandu</option>' in page
    # One it doesn't know is ignored: the member's own zone again.
    page = client.get(book_url(therapist_tess), {"tz": "Mars/Olympus_Mons"}).content.decode()
    assert "Times shown in <strong>United States — New York</strong>" in page
    assert "This is the time zone in your settings." in page
    assert "Mars" not in page


def test_the_zone_list_is_short_and_grouped_by_region_in_order(therapist_tess, alice):
    page = client_for(alice).get(book_url(therapist_tess)).content.decode()
    regions = re.findall(r'<optgroup label="([^"]+)">', page)
    assert (
        regions == [*sorted(regions[:-1]), "Other"] and "Europe" in regions and "America" in regions
    )
    assert 20 < len(re.findall(r"<option value=", page)) < 80


def test_without_a_zone_of_their_own_the_site_zone_is_shown_and_the_browser_is_asked(
    therapist_tess, member_in_new_york, bob
):
    page = client_for(bob).get(book_url(therapist_tess)).content.decode()
    assert "Times shown in <strong>UTC</strong>" in page
    assert "You haven't chosen a time zone yet" in page
    assert "Intl.DateTimeFormat().resolvedOptions().timeZone" in page
    script = re.search(r"<script nonce=\"([^\"]*)\">", page)
    assert script and script.group(1), "the script carries the page's CSP nonce"
    # A member with a zone, or a page that already says which, is not redirected.
    own = client_for(member_in_new_york).get(book_url(therapist_tess)).content.decode()
    assert "resolvedOptions" not in own
    asked = client_for(bob).get(book_url(therapist_tess), {"tz": "Europe/Paris"})
    assert "resolvedOptions" not in asked.content.decode()


def test_a_week_without_free_times_points_to_the_next_one(therapist_tess, alice, settings):
    settings.HAVEN_BOOKING_HORIZON_DAYS = 28
    WeeklyAvailability.objects.filter(therapist=therapist_tess).delete()
    # Only one day open, three weeks ahead.
    later = timezone.now().astimezone(LONDON).date() + timedelta(days=20)
    AvailabilityException.objects.create(
        therapist=therapist_tess, date=later, available=True, start_time=time(9), end_time=time(10)
    )
    in_zone(alice, "Europe/London")
    client = client_for(alice)
    page = client.get(book_url(therapist_tess), {"week": this_monday(LONDON)}).content.decode()
    assert "There are no free times this week. The next one is on" in page
    assert f"{later:%A} {later.day} {later:%B} at 09:00" in page
    assert "Book this time" not in page
    # Without a week asked for, the page opens on that week.
    page = client.get(book_url(therapist_tess)).content.decode()
    assert radios(page) == [
        (free_slots(therapist_tess, days=28)[0].value, f"{later:%A} {later.day} {later:%B}, 09:00")
    ]


def test_a_therapist_with_no_free_times_at_all(therapist_tess, alice):
    WeeklyAvailability.objects.filter(therapist=therapist_tess).delete()
    page = client_for(alice).get(book_url(therapist_tess)).content.decode()
    assert f"There are no free times in the next {queries.horizon_days()} days." in page
    assert "Book this time" not in page and not radios(page)


# --- Booking, as before


def test_booking_from_another_week_in_a_picked_zone_posts_and_books_as_before(
    therapist_tess, member_in_new_york
):
    client = client_for(member_in_new_york)
    url = book_url(therapist_tess)
    next_week = this_monday(NEW_YORK) + timedelta(days=14)
    params = {"week": next_week.isoformat(), "tz": "Asia/Tokyo"}
    page = client.get(url, params).content.decode()
    value, name = radios(page)[3]
    starts_at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert monday_of(starts_at.astimezone(TOKYO).date()) == next_week
    # The form has no action: it posts to the page's own address, week and zone included.
    assert '<form method="post" class="form" novalidate>' in page
    response = client.post(
        f"{url}?week={next_week}&tz=Asia/Tokyo", {"starts_at": value, "format": "messaging"}
    )
    appointment = Appointment.objects.get(member=member_in_new_york)
    assert response.status_code == 302
    assert response["Location"] == f"/care/appointments/{appointment.pk}/"
    assert appointment.starts_at == starts_at and appointment.format == "messaging"
    # The booked time has left the grid.
    page = client.get(url, params).content.decode()
    assert value not in page and name not in page


def test_a_form_shown_again_stays_on_the_chosen_week_with_the_time_still_chosen(
    therapist_tess, member_in_new_york
):
    client = client_for(member_in_new_york)
    later = this_monday(NEW_YORK) + timedelta(days=14)
    page = client.get(book_url(therapist_tess), {"week": later}).content.decode()
    value, _ = radios(page)[0]
    # Posted to the page without ?week=: the chosen time says which week to show.
    response = client.post(book_url(therapist_tess), {"starts_at": value, "format": "sofa"})
    assert response.status_code == 400
    again = response.content.decode()
    assert columns(again)[0][0] == f"Monday {later.day} {later:%B}"
    assert f'value="{value}" aria-label="' in again
    assert re.search(rf'value="{value}" aria-label="[^"]+" checked', again)
    assert "resolvedOptions" not in again
    assert not Appointment.objects.exists()


def test_a_time_taken_meanwhile_answers_409_and_shows_its_week_without_it(
    therapist_tess, alice, bob
):
    in_zone(alice, "Europe/London")
    every_day(therapist_tess, time(9), time(17))
    slot = free_slots(therapist_tess, days=queries.horizon_days())[5]
    do_book(member=bob, therapist=therapist_tess, starts_at=slot.starts_at)
    response = client_for(alice).post(
        book_url(therapist_tess), {"starts_at": slot.value, "format": "video"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "This time was just taken. Please choose another." in page
    monday = monday_of(slot.starts_at.astimezone(LONDON).date())
    assert columns(page)[0][0] == f"Monday {monday.day} {monday:%B}"
    assert slot.value not in [value for value, _ in radios(page)]
    assert Appointment.objects.filter(member=alice).count() == 0


def test_moving_a_session_uses_the_same_grid(therapist_tess, member_in_new_york):
    every_day(therapist_tess, time(9), time(17))
    first, *_ = free_slots(therapist_tess, days=queries.horizon_days())
    session = do_book(
        member=member_in_new_york, therapist=therapist_tess, starts_at=first.starts_at
    )
    client = client_for(member_in_new_york)
    url = f"/care/appointments/{session.pk}/reschedule/"
    later = this_monday(NEW_YORK) + timedelta(days=7)
    page = client.get(url, {"week": later}).content.decode()
    assert (
        len(columns(page)) == 7
        and "Times shown in <strong>United States — New York</strong>" in page
    )
    value, _ = radios(page)[0]
    response = client.post(f"{url}?week={later}", {"starts_at": value})
    assert response.status_code == 302
    moved = Appointment.objects.get(rescheduled_from=session)
    assert moved.starts_at == datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- Queries


def test_the_page_makes_the_same_queries_for_one_slot_as_for_hundreds(guidelines, alice, bob):
    in_zone(alice, "Europe/London")
    quiet = make_therapist("therapist_quiet", guidelines, hours=None)
    WeeklyAvailability.objects.create(
        therapist=quiet, weekday=2, start_time=time(10), end_time=time(11)
    )
    busy = make_therapist("therapist_busy", guidelines, hours=None)
    every_day(busy)
    today = timezone.now().astimezone(LONDON).date()
    for offset in range(1, 8):
        AvailabilityException.objects.create(
            therapist=busy,
            date=today + timedelta(days=offset),
            available=True,
            start_time=time(6),
            end_time=time(22),
        )
    for slot in free_slots(busy, days=queries.horizon_days())[::7][:12]:
        do_book(member=bob, therapist=busy, starts_at=slot.starts_at)

    client = client_for(alice)
    client.get(book_url(quiet))  # the session's first request settles what it stores

    def queries_for(therapist, week: date) -> tuple[int, int]:
        with page_queries() as captured:
            response = client.get(book_url(therapist), {"week": week.isoformat()})
        assert response.status_code == 200
        return len(captured), len(radios(response.content.decode()))

    next_week = this_monday(LONDON) + timedelta(days=7)
    quiet_count, quiet_slots = queries_for(quiet, next_week)
    busy_count, busy_slots = queries_for(busy, next_week)
    # About a hundred, however the bookings and the 16-hour days of the exceptions fall in the
    # week shown (on a Sunday all seven days are exceptions and all twelve bookings are in it).
    assert quiet_slots == 1 and busy_slots >= 90
    assert busy_count == quiet_count
    assert quiet_count <= 15


# --- The week arithmetic


def slot_at(moment: datetime) -> Slot:
    return Slot(moment, moment + timedelta(minutes=50))


def test_a_week_value_is_a_date_and_stands_for_its_monday():
    assert parse_week("2026-12-10") == date(2026, 12, 7)
    assert parse_week("2026-12-07") == date(2026, 12, 7)
    for nonsense in (None, "", "20261210", "2026-02-30", "tomorrow", "2026-12-10T00:00"):
        assert parse_week(nonsense) is None, nonsense


def test_the_week_range_keeps_weeks_between_this_one_and_the_horizon():
    weeks = WeekRange.of(date(2026, 12, 10), horizon_days=28)  # a Thursday
    assert (weeks.first, weeks.last) == (date(2026, 12, 7), date(2027, 1, 4))
    assert weeks.clamp(date(2026, 11, 2)) == date(2026, 12, 7)
    assert weeks.clamp(date(2027, 3, 1)) == date(2027, 1, 4)
    slots = [slot_at(datetime(2026, 12, 21, 9, tzinfo=UTC))]
    assert choose_week(None, slots, LONDON, weeks) == date(2026, 12, 21)
    assert choose_week(None, [], LONDON, weeks) == date(2026, 12, 7)
    assert choose_week(date(2026, 12, 31), slots, LONDON, weeks) == date(2026, 12, 28)


def test_the_grid_uses_the_viewers_dates_and_keeps_the_two_hours_of_the_autumn_night_apart():
    # 23:30 UTC on Sunday is already Monday in Tokyo.
    late = slot_at(datetime(2026, 12, 13, 23, 30, tzinfo=UTC))
    weeks = WeekRange(date(2026, 12, 7), date(2027, 1, 4))
    assert week_grid([late], TOKYO, date(2026, 12, 14), weeks).days[0].cells[0].slot == late
    assert not week_grid([late], TOKYO, date(2026, 12, 7), weeks).has_slots
    assert week_grid([late], TOKYO, date(2026, 12, 7), weeks).later.slot == late
    # London's clocks go back at 02:00 BST on 25 October 2026: 01:00 happens twice.
    first = slot_at(datetime(2026, 10, 25, 0, 0, tzinfo=UTC))
    second = slot_at(datetime(2026, 10, 25, 1, 0, tzinfo=UTC))
    grid = week_grid(
        [first, second],
        LONDON,
        date(2026, 10, 19),
        WeekRange(date(2026, 10, 19), date(2026, 11, 16)),
    )
    sunday = grid.days[6]
    assert [cell.slot for cell in sunday.cells] == [first, second]
    assert grid.previous is None and grid.next == date(2026, 10, 26)


def test_times_and_weeks_at_the_ends_of_the_calendar_are_refused_plainly(
    therapist_tess, member_in_new_york
):
    client = client_for(member_in_new_york)
    url = book_url(therapist_tess)
    for week in ("0001-01-01", "9999-12-31"):
        assert client.get(url, {"week": week}).status_code == 200
    for starts_at in ("0001-01-01T00:00:00Z", "9999-12-31T23:00:00Z"):
        response = client.post(url, {"starts_at": starts_at, "format": "video"})
        assert response.status_code == 400, starts_at
        assert len(columns(response.content.decode())) == 7
    assert not Appointment.objects.exists()
