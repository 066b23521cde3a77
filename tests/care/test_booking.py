"""Booking: slots in the therapist's and the member's time zones (daylight saving included),
exceptions and notice, cancelling and moving sessions, reminders, the .ics feed, the pages and
the API, and who may see what."""

import re
import zoneinfo
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from haven.accounts.models import Role, hash_token
from haven.care.booking import actions, calendar, queries, tasks
from haven.care.booking.actions import (
    JUST_TAKEN,
    NOT_OFFERED,
    BookingRefused,
    SlotTaken,
    do_book,
    do_cancel,
    do_reschedule,
)
from haven.care.booking.permissions import (
    access_appointment,
    check_can_book,
    check_can_cancel,
    check_can_reschedule,
)
from haven.care.booking.queries import free_slots
from haven.care.booking.slots import (
    Slot,
    describe_when_translated,
    monday_of,
    parse_slot_value,
    slots_by_day,
)
from haven.care.models import (
    Appointment,
    AvailabilityException,
    CalendarFeed,
    TherapistProfile,
    WeeklyAvailability,
)
from haven.notifications.models import Notification
from haven.wellness.models import WellnessSettings
from tests.care.conftest import make_therapist
from tests.conftest import client_for, make_member

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Sunday 7 June 2026: London on BST (UTC+1), New York on EDT (UTC-4).
SUNDAY_IN_JUNE = datetime(2026, 6, 7, 0, 0, tzinfo=UTC)


def hours(local_datetimes) -> list[str]:
    return [moment.strftime("%H:%M") for moment in local_datetimes]


def day_hours(slots, zone, day: date) -> list[str]:
    groups = {group.day: group for group in slots_by_day(slots, zone)}
    return hours(s.starts for s in groups[day].slots) if day in groups else []


def in_zone(member, name: str) -> None:
    WellnessSettings.objects.update_or_create(member=member, defaults={"time_zone": name})


def appointment_for(member, therapist, starts_at: datetime, **fields) -> Appointment:
    """An appointment written directly, at any time, without the booking rules."""
    return Appointment.objects.create(
        therapist=therapist,
        member=member,
        relationship=actions.relationship_for(member, therapist),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=therapist.session_minutes),
        format="video",
        **fields,
    )


def care_notifications(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind=Notification.Kind.CARE)
        .order_by("pk")
        .values_list("message", flat=True)
    )


def whole_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


# --- Slots and time zones


def test_a_london_nine_to_five_is_four_to_twelve_for_a_member_in_new_york(therapist_tess):
    slots = free_slots(therapist_tess, days=1, now=SUNDAY_IN_JUNE)
    monday = date(2026, 6, 8)
    expected_london = [f"{h:02d}:00" for h in range(9, 17)]
    assert day_hours(slots, LONDON, monday) == expected_london
    assert day_hours(slots, NEW_YORK, monday) == [f"{h:02d}:00" for h in range(4, 12)]
    last = slots_by_day(slots, NEW_YORK)[-1].slots[-1]
    assert last.ends.strftime("%H:%M") == "11:50"  # within the member's 04:00–12:00
    # Stored and compared in UTC.
    assert slots[0].starts_at == datetime(2026, 6, 8, 8, 0, tzinfo=UTC)
    assert all(s.starts_at.tzinfo == UTC for s in slots)


def test_nine_in_london_stays_nine_in_london_when_the_clocks_go_back(therapist_tess):
    """The clocks go back on Sunday 25 October 2026: 09:00 in London is 08:00 UTC the week
    before and 09:00 UTC the week after."""
    slots = free_slots(therapist_tess, days=13, now=datetime(2026, 10, 18, 0, 0, tzinfo=UTC))
    for day in [date(2026, 10, d) for d in (19, 20, 21, 22, 23, 26, 27, 28, 29, 30)]:
        assert day_hours(slots, LONDON, day) == [f"{h:02d}:00" for h in range(9, 17)], day
    utc_hours = defaultdict(list)
    for slot in slots:
        utc_hours[slot.starts_at.date()].append(slot.starts_at.hour)
    assert utc_hours[date(2026, 10, 23)] == list(range(8, 16))  # Friday, on BST
    assert utc_hours[date(2026, 10, 26)] == list(range(9, 17))  # Monday, on GMT
    assert date(2026, 10, 24) not in utc_hours and date(2026, 10, 25) not in utc_hours


def test_a_window_across_the_spring_forward_gap_skips_the_missing_hour(guidelines):
    """On Sunday 29 March 2026 London goes from 01:00 GMT straight to 02:00 BST."""
    therapist = make_therapist("therapist_nora", guidelines, hours=None)
    WeeklyAvailability.objects.create(
        therapist=therapist, weekday=6, start_time=time(0), end_time=time(4)
    )
    slots = free_slots(therapist, days=10, now=datetime(2026, 3, 20, 0, 0, tzinfo=UTC))
    # An ordinary Sunday: four sessions.
    assert day_hours(slots, LONDON, date(2026, 3, 22)) == ["00:00", "01:00", "02:00", "03:00"]
    # The day the clocks go forward: 01:00 does not exist there, and the window is an hour
    # shorter in real time, so three sessions, still an hour apart.
    gap_day = [s for s in slots if s.starts_at.astimezone(LONDON).date() == date(2026, 3, 29)]
    assert hours(s.starts_at.astimezone(LONDON) for s in gap_day) == ["00:00", "02:00", "03:00"]
    assert [s.starts_at.hour for s in gap_day] == [0, 1, 2]  # UTC, an hour apart


def test_a_window_starting_inside_the_skipped_hour_keeps_its_real_hours(guidelines):
    """01:30 does not exist on 29 March 2026 in London; read as RFC 5545 reads it (the offset
    from before the change) it is 02:30 BST. The window is not dropped."""
    therapist = make_therapist("therapist_nora", guidelines, hours=None)
    AvailabilityException.objects.create(
        therapist=therapist,
        date=date(2026, 3, 29),
        available=True,
        start_time=time(1, 30),
        end_time=time(4),
    )
    slots = free_slots(therapist, days=3, now=datetime(2026, 3, 27, 0, 0, tzinfo=UTC))
    assert hours(s.starts_at.astimezone(LONDON) for s in slots) == ["02:30"]


def test_a_member_sees_a_daylight_saving_change_of_the_therapist_in_their_own_zone(
    therapist_tess,
):
    """Europe changes on 25 October, the United States on 1 November 2026: for a week the two
    are only four hours apart, and the New York member sees 05:00, not 04:00."""
    slots = free_slots(therapist_tess, days=13, now=datetime(2026, 10, 19, 0, 0, tzinfo=UTC))
    assert day_hours(slots, NEW_YORK, date(2026, 10, 23))[0] == "04:00"
    assert day_hours(slots, NEW_YORK, date(2026, 10, 26))[0] == "05:00"


def test_exceptions_and_several_windows_a_day(therapist_tess):
    WeeklyAvailability.objects.create(
        therapist=therapist_tess, weekday=3, start_time=time(18), end_time=time(20)
    )
    AvailabilityException.objects.create(therapist=therapist_tess, date=date(2026, 6, 9))
    AvailabilityException.objects.create(
        therapist=therapist_tess,
        date=date(2026, 6, 10),
        available=True,
        start_time=time(13),
        end_time=time(15),
    )
    slots = free_slots(therapist_tess, days=7, now=SUNDAY_IN_JUNE)
    nine_to_five = [f"{h:02d}:00" for h in range(9, 17)]
    assert day_hours(slots, LONDON, date(2026, 6, 8)) == nine_to_five
    assert day_hours(slots, LONDON, date(2026, 6, 9)) == []  # a day off
    assert day_hours(slots, LONDON, date(2026, 6, 10)) == ["13:00", "14:00"]  # other hours
    assert day_hours(slots, LONDON, date(2026, 6, 11)) == [*nine_to_five, "18:00", "19:00"]
    assert day_hours(slots, LONDON, date(2026, 6, 13)) == []  # Saturday


def test_the_notice_period_hides_and_refuses_slots_too_soon(therapist_tess, alice, settings):
    settings.HAVEN_BOOKING_MIN_NOTICE_HOURS = 12
    monday_morning = datetime(2026, 6, 8, 6, 0, tzinfo=UTC)  # 07:00 in London
    slots = free_slots(therapist_tess, days=2, now=monday_morning)
    assert day_hours(slots, LONDON, date(2026, 6, 8)) == []
    assert slots[0].starts_at == datetime(2026, 6, 9, 8, 0, tzinfo=UTC)
    with pytest.raises(BookingRefused, match="at least 12 hours ahead"):
        do_book(
            member=alice,
            therapist=therapist_tess,
            starts_at=datetime(2026, 6, 8, 15, 0, tzinfo=UTC),
            now=monday_morning,
        )
    settings.HAVEN_BOOKING_MIN_NOTICE_HOURS = 2
    shorter = free_slots(therapist_tess, days=0, now=monday_morning)
    assert shorter[0].starts_at == datetime(2026, 6, 8, 8, 0, tzinfo=UTC)
    assert not Appointment.objects.exists()


def test_booked_slots_disappear_and_the_horizon_is_kept(therapist_tess, alice, settings):
    settings.HAVEN_BOOKING_HORIZON_DAYS = 7
    first, *others = free_slots(therapist_tess, days=3, now=SUNDAY_IN_JUNE)
    do_book(member=alice, therapist=therapist_tess, starts_at=first.starts_at, now=SUNDAY_IN_JUNE)
    assert free_slots(therapist_tess, days=3, now=SUNDAY_IN_JUNE) == others
    with pytest.raises(BookingRefused, match="up to 7 days ahead"):
        do_book(
            member=alice,
            therapist=therapist_tess,
            starts_at=datetime(2026, 6, 22, 8, 0, tzinfo=UTC),
            now=SUNDAY_IN_JUNE,
        )


# --- Booking rules


def test_booking_refuses_what_is_not_offered_and_tells_the_therapist_of_a_new_session(
    therapist_tess, alice, bob, guidelines
):
    monday_nine = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)

    def book(member=alice, **kwargs):
        fields = {"therapist": therapist_tess, "starts_at": monday_nine, **kwargs}
        return do_book(member=member, now=SUNDAY_IN_JUNE, **fields)

    with pytest.raises(SlotTaken) as not_offered:
        book(starts_at=datetime(2026, 6, 8, 8, 30, tzinfo=UTC))  # not on the hour grid
    assert str(not_offered.value) == NOT_OFFERED
    with pytest.raises(SlotTaken):
        book(starts_at=datetime(2026, 6, 13, 9, 0, tzinfo=UTC))  # a Saturday
    therapist_tess.formats = ["video"]
    therapist_tess.save()
    with pytest.raises(BookingRefused, match="does not offer"):
        book(format="messaging")
    with pytest.raises(PermissionDenied, match="yourself"):
        check_can_book(therapist_tess.user, therapist_tess)
    appointment = book()
    assert (appointment.member, appointment.format) == (alice, "video")
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=50)
    assert care_notifications(therapist_tess.user) == [
        "A new session was booked for Monday 8 June at 09:00 (United Kingdom — London)."
    ]
    with pytest.raises(SlotTaken) as taken:
        book(member=bob)
    assert str(taken.value) == JUST_TAKEN
    # A member cannot be in two sessions at once, with different therapists either.
    other = make_therapist("therapist_omar", guidelines)
    with pytest.raises(BookingRefused, match="already have a session"):
        book(therapist=other)
    assert Appointment.objects.count() == 1


def test_a_therapist_who_is_not_practising_cannot_be_booked(guidelines, alice):
    paused = make_therapist("therapist_pat", guidelines, status=TherapistProfile.Status.PAUSED)
    with pytest.raises(PermissionDenied, match="not taking bookings"):
        check_can_book(alice, paused)
    assert not Appointment.objects.exists()


# --- Cancelling and moving sessions

# Wednesday 10 June 2026, 09:00 in London.
WEDNESDAY_NINE = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)


@pytest.fixture
def booked(therapist_tess, alice) -> Appointment:
    in_zone(alice, "America/New_York")
    appointment = do_book(
        member=alice, therapist=therapist_tess, starts_at=WEDNESDAY_NINE, now=SUNDAY_IN_JUNE
    )
    Notification.objects.all().delete()
    return appointment


def test_a_member_cancelling_in_good_time_is_not_late_and_the_therapist_is_told(
    booked, alice, therapist_tess
):
    two_days_before = WEDNESDAY_NINE - timedelta(hours=48)
    assert not queries.cancel_would_be_late(alice, booked, two_days_before)
    do_cancel(booked, acting_user=alice, reason="Work came up.", now=two_days_before)
    booked.refresh_from_db()
    assert (booked.status, booked.cancelled_by, booked.cancel_reason) == (
        "cancelled", alice, "Work came up."
    )  # fmt: skip
    assert not queries.is_late_cancellation(booked)
    assert care_notifications(therapist_tess.user) == [
        "alice cancelled the session on Wednesday 10 June at 09:00 (United Kingdom — London)."
    ]
    assert care_notifications(alice) == []
    assert WEDNESDAY_NINE in {s.starts_at for s in free_slots(therapist_tess, now=SUNDAY_IN_JUNE)}


def test_a_member_cancelling_inside_the_notice_period_is_allowed_but_marked_late(
    booked, alice, therapist_tess, settings
):
    settings.HAVEN_CANCEL_NOTICE_HOURS = 24
    three_hours_before = WEDNESDAY_NINE - timedelta(hours=3)
    assert queries.cancel_would_be_late(alice, booked, three_hours_before)
    do_cancel(booked, acting_user=alice, now=three_hours_before)
    booked.refresh_from_db()
    assert booked.status == "cancelled"
    assert queries.is_late_cancellation(booked)
    assert care_notifications(therapist_tess.user) == [
        "alice cancelled at short notice the session on Wednesday 10 June at 09:00 "
        "(United Kingdom — London)."
    ]


def test_a_therapist_cancelling_late_is_never_late_for_the_member_who_is_told_in_their_zone(
    booked, alice, therapist_tess
):
    an_hour_before = WEDNESDAY_NINE - timedelta(hours=1)
    assert not queries.cancel_would_be_late(therapist_tess.user, booked, an_hour_before)
    do_cancel(booked, acting_user=therapist_tess.user, now=an_hour_before)
    booked.refresh_from_db()
    assert booked.cancelled_by == therapist_tess.user
    assert not queries.is_late_cancellation(booked)
    [message] = care_notifications(alice)
    assert message.startswith(
        "Dr Therapist_Tess had to cancel your session on Wednesday 10 June at 04:00 "
        "(United States — New York)."
    )
    assert care_notifications(therapist_tess.user) == []


def test_each_side_is_told_in_their_own_language(booked, alice, therapist_tess):
    """Whoever acts, and in whatever language their page is, the notice is written for its
    reader: here a Spanish-speaking member and an English-speaking therapist."""
    alice.language = "es"
    alice.save(update_fields=["language"])
    an_hour_before = WEDNESDAY_NINE - timedelta(hours=1)
    with translation.override("en"):  # the therapist's page
        do_cancel(booked, acting_user=therapist_tess.user, now=an_hour_before)
    [message] = care_notifications(alice)
    assert message.startswith(
        "Dr Therapist_Tess tuvo que cancelar tu sesión del miércoles 10 de junio a las 04:00 "
        "(Estados Unidos — Nueva York). Lo sentimos."
    ), message
    page = client_for(alice).get("/notifications/").content.decode()
    assert "tuvo que cancelar tu sesión" in page


def test_sessions_already_cancelled_or_started_cannot_be_cancelled(booked, alice, bob):
    with pytest.raises(PermissionDenied, match="already started"):
        check_can_cancel(alice, booked, WEDNESDAY_NINE + timedelta(minutes=5))
    with pytest.raises(Http404):
        access_appointment(bob, booked.pk)
    do_cancel(booked, acting_user=alice, now=SUNDAY_IN_JUNE)
    with pytest.raises(PermissionDenied, match="already cancelled"):
        do_cancel(booked, acting_user=alice, now=SUNDAY_IN_JUNE)
    assert Notification.objects.count() == 1  # told once


def test_moving_a_session_books_the_new_time_links_it_and_cancels_the_old(
    booked, alice, therapist_tess
):
    thursday_ten = datetime(2026, 6, 11, 9, 0, tzinfo=UTC)
    new = do_reschedule(booked, acting_user=alice, starts_at=thursday_ten, now=SUNDAY_IN_JUNE)
    booked.refresh_from_db()
    assert (new.starts_at, new.status, new.rescheduled_from) == (thursday_ten, "booked", booked)
    assert booked.status == "cancelled" and booked.cancelled_by == alice
    assert booked.rescheduled_to == new
    assert not queries.is_late_cancellation(booked)
    assert care_notifications(therapist_tess.user) == [
        "alice moved the session on Wednesday 10 June at 09:00 (United Kingdom — London) to "
        "Thursday 11 June at 10:00 (United Kingdom — London)."
    ]
    with pytest.raises(PermissionDenied):  # the old one is gone; it cannot be moved again
        check_can_reschedule(alice, booked, SUNDAY_IN_JUNE)


def test_a_moved_session_says_so_in_the_readers_language(booked, alice, therapist_tess):
    """Haven's own reason for a moved session is stored once and read in each reader's
    language; a person's own reason is shown as they wrote it."""
    thursday_ten = datetime(2026, 6, 11, 9, 0, tzinfo=UTC)
    do_reschedule(booked, acting_user=alice, starts_at=thursday_ten, now=SUNDAY_IN_JUNE)
    member = client_for(alice)
    page = member.get(f"/care/appointments/{booked.pk}/").content.decode()
    assert "Moved to a new time." in page
    alice.language = "es"
    alice.save(update_fields=["language"])
    page = member.get(f"/care/appointments/{booked.pk}/").content.decode()
    assert "Se cambió a otra hora." in page and "Moved to a new time." not in page
    answer = member.get(f"/api/care/appointments/{booked.pk}").json()
    assert answer["cancel_reason"] == "Se cambió a otra hora."


def test_moving_a_session_inside_the_notice_period_counts_as_late(
    booked, alice, therapist_tess, settings
):
    settings.HAVEN_CANCEL_NOTICE_HOURS = 24
    three_hours_before = WEDNESDAY_NINE - timedelta(hours=3)
    thursday_ten = datetime(2026, 6, 11, 9, 0, tzinfo=UTC)
    do_reschedule(booked, acting_user=alice, starts_at=thursday_ten, now=three_hours_before)
    booked.refresh_from_db()
    assert queries.is_late_cancellation(booked)
    [message] = care_notifications(therapist_tess.user)
    assert message.startswith("alice moved at short notice the session on Wednesday 10 June")


def test_a_move_to_a_time_just_taken_keeps_the_old_session(booked, alice, bob, therapist_tess):
    thursday_ten = datetime(2026, 6, 11, 9, 0, tzinfo=UTC)
    do_book(member=bob, therapist=therapist_tess, starts_at=thursday_ten, now=SUNDAY_IN_JUNE)
    with pytest.raises(SlotTaken, match="just taken"):
        do_reschedule(booked, acting_user=alice, starts_at=thursday_ten, now=SUNDAY_IN_JUNE)
    booked.refresh_from_db()
    assert booked.status == "booked"
    assert Appointment.objects.filter(member=alice).count() == 1


def test_a_move_whose_old_session_was_cancelled_meanwhile_books_nothing(
    booked, alice, therapist_tess
):
    """The old session is cancelled after the new one is booked, in one transaction: if that
    fails, the new booking is undone too."""
    stale = Appointment.objects.get(pk=booked.pk)  # still "booked" in memory
    do_cancel(booked, acting_user=therapist_tess.user, now=SUNDAY_IN_JUNE)
    thursday_ten = datetime(2026, 6, 11, 9, 0, tzinfo=UTC)
    with pytest.raises(PermissionDenied, match="already cancelled"):
        do_reschedule(stale, acting_user=alice, starts_at=thursday_ten, now=SUNDAY_IN_JUNE)
    assert not Appointment.objects.filter(starts_at=thursday_ten).exists()


def test_only_the_member_moves_a_session(booked, therapist_tess):
    with pytest.raises(PermissionDenied, match="Only your client"):
        check_can_reschedule(therapist_tess.user, booked, SUNDAY_IN_JUNE)


# --- Pages


def first_slot(therapist) -> Slot:
    return free_slots(therapist, days=queries.horizon_days())[0]


def slot_labels(page: str) -> list[tuple[str, str]]:
    """(UTC value, shown start) of each slot radio button on a page (the week it shows)."""
    return re.findall(r'value="([0-9T:\-]+Z)" aria-label="[^"]*, (\d\d:\d\d)"', page)


def test_the_booking_page_shows_slots_in_the_members_zone_and_books_one(therapist_tess, alice):
    in_zone(alice, "America/New_York")
    client = client_for(alice)
    page = client.get(f"/care/therapists/{therapist_tess.pk}/book/").content.decode()
    assert "America/New_York" in page
    labels = slot_labels(page)
    assert labels, "the page shows free times"
    for value, shown in labels:
        moment = parse_slot_value(value)
        assert shown == moment.astimezone(NEW_YORK).strftime("%H:%M")
        assert 9 <= moment.astimezone(LONDON).hour < 17  # the therapist's own hours
    formats = re.findall(r'<input type="radio" name="format" value="(\w+)"', page)
    assert formats == ["video", "messaging"]
    value = labels[0][0]
    response = client.post(
        f"/care/therapists/{therapist_tess.pk}/book/", {"starts_at": value, "format": "video"}
    )
    appointment = Appointment.objects.get(member=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/care/appointments/{appointment.pk}/"
    assert appointment.starts_at == parse_slot_value(value)
    shown = client.get(response["Location"]).content.decode()
    assert "Session with Dr Therapist_Tess" in shown and "(United States — New York)" in shown


def test_a_slot_taken_a_moment_ago_answers_409_with_fresh_slots(therapist_tess, alice, bob):
    slot = first_slot(therapist_tess)
    do_book(member=bob, therapist=therapist_tess, starts_at=slot.starts_at)
    response = client_for(alice).post(
        f"/care/therapists/{therapist_tess.pk}/book/",
        {"starts_at": slot.value, "format": "video"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "This time was just taken. Please choose another." in page
    values = [value for value, _ in slot_labels(page)]
    assert slot.value not in values
    # The page stays on the week of the time chosen (alice has no zone: the site's, UTC) and
    # shows what is free there now.
    week = monday_of(slot.starts_at.date())
    fresh = free_slots(therapist_tess, days=queries.horizon_days())
    assert values == [s.value for s in fresh if monday_of(s.starts_at.date()) == week]
    assert not Appointment.objects.filter(member=alice).exists()


def test_booking_form_errors_and_booking_oneself(therapist_tess, alice):
    client = client_for(alice)
    url = f"/care/therapists/{therapist_tess.pk}/book/"
    response = client.post(url, {"starts_at": "next tuesday", "format": "video"})
    assert response.status_code == 400
    assert "Please choose one of the times shown." in response.content.decode()
    response = client.post(url, {"starts_at": first_slot(therapist_tess).value, "format": "x"})
    assert response.status_code == 400
    assert client_for(therapist_tess.user).get(url).status_code == 403
    assert client.get("/care/therapists/999999/book/").status_code == 404
    assert not Appointment.objects.exists()


def test_the_list_shows_upcoming_and_past_sessions_to_member_and_therapist(
    therapist_tess, alice, bob
):
    now = timezone.now()
    ahead = appointment_for(alice, therapist_tess, whole_hour(now) + timedelta(days=2))
    past = appointment_for(alice, therapist_tess, whole_hour(now) - timedelta(days=2))
    appointment_for(bob, therapist_tess, whole_hour(now) + timedelta(days=3))
    page = client_for(alice).get("/care/appointments/").content.decode()
    upcoming_part, past_part = page.split("Past and cancelled")
    assert f"/care/appointments/{ahead.pk}/" in upcoming_part
    assert f"/care/appointments/{past.pk}/" in past_part
    assert "bob" not in page
    therapist_page = client_for(therapist_tess.user).get("/care/appointments/").content.decode()
    assert "alice (your client)" in therapist_page and "bob (your client)" in therapist_page


def test_cancelling_late_through_the_page_says_so_plainly_before_and_after(
    therapist_tess, alice, settings
):
    settings.HAVEN_CANCEL_NOTICE_HOURS = 24
    soon = appointment_for(alice, therapist_tess, whole_hour(timezone.now()) + timedelta(hours=5))
    client = client_for(alice)
    url = f"/care/appointments/{soon.pk}/cancel/"
    before = client.get(url).content.decode()
    assert "This would be a late cancellation." in before
    assert "less than 24 hours away" in before
    response = client.post(url, {"reason": ""}, follow=True)
    soon.refresh_from_db()
    assert soon.status == "cancelled" and queries.is_late_cancellation(soon)
    assert "counts as a late cancellation" in response.content.decode()
    assert "(a late cancellation)" in response.content.decode()
    assert client.post(url).status_code == 403  # already cancelled


def test_the_therapist_cancelling_through_the_page_is_not_warned_of_lateness(therapist_tess, alice):
    soon = appointment_for(alice, therapist_tess, whole_hour(timezone.now()) + timedelta(hours=5))
    client = client_for(therapist_tess.user)
    page = client.get(f"/care/appointments/{soon.pk}/cancel/").content.decode()
    assert "late cancellation" not in page
    client.post(f"/care/appointments/{soon.pk}/cancel/", {"reason": "I'm unwell, sorry."})
    soon.refresh_from_db()
    assert soon.status == "cancelled" and not queries.is_late_cancellation(soon)
    assert soon.cancel_reason == "I'm unwell, sorry."
    assert len(care_notifications(alice)) == 1


def test_moving_a_session_through_the_page(therapist_tess, alice):
    old_slot, new_slot = free_slots(therapist_tess, days=queries.horizon_days())[:2]
    old = do_book(member=alice, therapist=therapist_tess, starts_at=old_slot.starts_at)
    client = client_for(alice)
    url = f"/care/appointments/{old.pk}/reschedule/"
    page = client.get(url).content.decode()
    assert old_slot.value not in page and new_slot.value in page
    response = client.post(url, {"starts_at": new_slot.value})
    new = Appointment.objects.get(rescheduled_from=old)
    assert response.status_code == 302 and response["Location"] == f"/care/appointments/{new.pk}/"
    old.refresh_from_db()
    assert old.status == "cancelled"
    assert (
        client_for(therapist_tess.user).get(f"/care/appointments/{new.pk}/reschedule/").status_code
        == 403
    )


def test_a_page_move_to_a_taken_time_answers_409_and_keeps_the_session(therapist_tess, alice, bob):
    old_slot, new_slot = free_slots(therapist_tess, days=queries.horizon_days())[:2]
    old = do_book(member=alice, therapist=therapist_tess, starts_at=old_slot.starts_at)
    do_book(member=bob, therapist=therapist_tess, starts_at=new_slot.starts_at)
    response = client_for(alice).post(
        f"/care/appointments/{old.pk}/reschedule/", {"starts_at": new_slot.value}
    )
    assert response.status_code == 409
    assert JUST_TAKEN in response.content.decode()
    old.refresh_from_db()
    assert old.status == "booked"


@pytest.mark.parametrize("outsider", ["bob", "other_therapist", "moderator", "admin"])
def test_other_peoples_appointments_are_404_everywhere(
    therapist_tess, alice, bob, moderator_kim, guidelines, outsider
):
    appointment = appointment_for(
        alice, therapist_tess, whole_hour(timezone.now()) + timedelta(days=3)
    )
    user = {
        "bob": lambda: bob,
        "other_therapist": lambda: make_therapist("therapist_omar", guidelines).user,
        "moderator": lambda: moderator_kim,
        "admin": lambda: make_member("admin_ada", guidelines, role=Role.ADMIN),
    }[outsider]()
    client = client_for(user)
    base = f"/care/appointments/{appointment.pk}/"
    for url in (base, base + "cancel/", base + "reschedule/"):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    api = f"/api/care/appointments/{appointment.pk}"
    assert client.get(api).status_code == 404
    assert client.post(api + "/cancel", {}, content_type="application/json").status_code == 404
    assert (
        client.post(
            api + "/reschedule",
            {"starts_at": "2030-01-07T09:00:00Z"},
            content_type="application/json",
        ).status_code
        == 404
    )
    listed = client.get("/care/appointments/").content.decode()
    assert base not in listed
    appointment.refresh_from_db()
    assert appointment.status == "booked"


# --- The therapist's hours


def test_a_therapist_edits_weekly_hours_in_their_own_zone(guidelines):
    therapist = make_therapist("therapist_nora", guidelines, hours=None, time_zone="Asia/Tokyo")
    client = client_for(therapist.user)
    page = client.get("/care/therapist/availability/").content.decode()
    assert "Japan — Tokyo" in page
    url = "/care/therapist/availability/"
    for start, end in (("09:00", "12:00"), ("14:00", "18:00")):
        response = client.post(
            url, {"window-weekday": "1", "window-start_time": start, "window-end_time": end}
        )
        assert response.status_code == 302
    overlapping = client.post(
        url, {"window-weekday": "1", "window-start_time": "11:00", "window-end_time": "15:00"}
    )
    assert overlapping.status_code == 400
    assert "overlap hours you already have on Tuesdays" in overlapping.content.decode()
    backwards = client.post(
        url, {"window-weekday": "2", "window-start_time": "15:00", "window-end_time": "09:00"}
    )
    assert backwards.status_code == 400
    assert "The end time needs to be after the start time." in backwards.content.decode()
    windows = list(therapist.weekly_availability.values_list("weekday", "start_time", "end_time"))
    assert windows == [(1, time(9), time(12)), (1, time(14), time(18))]
    page = client.get(url).content.decode()
    assert "09:00–12:00" in page and "14:00–18:00" in page
    # The slots of a Tuesday in Tokyo, whatever the member's zone.
    tuesday = date(2026, 6, 9)
    slots = free_slots(therapist, days=3, now=SUNDAY_IN_JUNE)
    assert day_hours(slots, zoneinfo.ZoneInfo("Asia/Tokyo"), tuesday) == [
        "09:00", "10:00", "11:00", "14:00", "15:00", "16:00", "17:00"
    ]  # fmt: skip


def test_a_therapist_adds_a_day_off_and_different_hours_and_removes_them(guidelines):
    therapist = make_therapist("therapist_nora", guidelines)
    client = client_for(therapist.user)
    url = "/care/therapist/availability/"
    day_off = queries.therapist_today(therapist) + timedelta(days=3)
    other_day = day_off + timedelta(days=1)
    assert client.post(url, {"exception-day": day_off.isoformat(), "exception-kind": "off",
                             "exception-note": "conference"}).status_code == 302  # fmt: skip
    missing = client.post(url, {"exception-day": other_day.isoformat(), "exception-kind": "hours"})
    assert missing.status_code == 400
    assert "Please give the hours you will work that day." in missing.content.decode()
    assert client.post(url, {"exception-day": other_day.isoformat(), "exception-kind": "hours",
                             "exception-start_time": "13:00",
                             "exception-end_time": "15:00"}).status_code == 302  # fmt: skip
    past = client.post(url, {"exception-day": "2020-01-01", "exception-kind": "off"})
    assert past.status_code == 400
    assert queries.working_windows(therapist, day_off) == []
    assert queries.working_windows(therapist, other_day) == [(time(13), time(15))]
    page = client.get(url).content.decode()
    assert "a day off" in page and "conference" in page and "13:00–15:00" in page
    # Hours on a day off replace the day off.
    actions.do_add_exception(
        therapist, day=day_off, available=True, start_time=time(10), end_time=time(11)
    )
    assert queries.working_windows(therapist, day_off) == [(time(10), time(11))]
    exception = therapist.availability_exceptions.get(date=other_day)
    client.post(f"/care/therapist/availability/changes/{exception.pk}/delete/")
    assert not therapist.availability_exceptions.filter(date=other_day).exists()
    window = therapist.weekly_availability.first()
    client.post(f"/care/therapist/availability/hours/{window.pk}/delete/")
    assert not WeeklyAvailability.objects.filter(pk=window.pk).exists()


def test_only_the_owner_edits_a_therapists_hours(therapist_tess, guidelines, alice):
    other = make_therapist("therapist_omar", guidelines)
    window = therapist_tess.weekly_availability.first()
    exception = AvailabilityException.objects.create(
        therapist=therapist_tess, date=date.today() + timedelta(days=5)
    )
    omar = client_for(other.user)
    assert omar.post(f"/care/therapist/availability/hours/{window.pk}/delete/").status_code == 404
    assert (
        omar.post(f"/care/therapist/availability/changes/{exception.pk}/delete/").status_code == 404
    )
    assert WeeklyAvailability.objects.filter(pk=window.pk).exists()
    assert AvailabilityException.objects.filter(pk=exception.pk).exists()
    assert client_for(alice).get("/care/therapist/availability/").status_code == 404
    assert Client().get("/care/therapist/availability/").status_code == 302  # to log in
    with pytest.raises(ValidationError):
        actions.do_add_weekly_window(
            therapist_tess, weekday=0, start_time=time(10), end_time=time(11)
        )


# --- The API


def test_the_api_lists_slots_books_and_answers_409_when_just_taken(therapist_tess, alice, bob):
    in_zone(alice, "America/New_York")
    client = client_for(alice)
    answer = client.get(f"/api/care/therapists/{therapist_tess.pk}/slots?days=7").json()
    assert answer["time_zone"] == "America/New_York"
    assert answer["session_minutes"] == 50
    first = answer["slots"][0]
    starts_at = datetime.fromisoformat(first["starts_at"])
    assert starts_at == free_slots(therapist_tess, days=7)[0].starts_at
    local = datetime.fromisoformat(first["local_starts_at"])
    assert local == starts_at and local.utcoffset() == starts_at.astimezone(NEW_YORK).utcoffset()
    response = client.post(
        "/api/care/appointments",
        {"therapist_id": therapist_tess.pk, "starts_at": first["starts_at"], "format": "video"},
        content_type="application/json",
    )
    assert response.status_code == 201
    created = response.json()
    assert (created["role"], created["status"], created["client"]) == ("member", "booked", None)
    taken = client_for(bob).post(
        "/api/care/appointments",
        {"therapist_id": therapist_tess.pk, "starts_at": first["starts_at"]},
        content_type="application/json",
    )
    assert taken.status_code == 409
    assert taken.json() == {"detail": "This time was just taken. Please choose another."}
    naive = client_for(bob).post(
        "/api/care/appointments",
        {"therapist_id": therapist_tess.pk, "starts_at": "2030-01-07T09:00:00"},
        content_type="application/json",
    )
    assert naive.status_code == 422 and "UTC offset" in naive.json()["detail"]
    assert Appointment.objects.count() == 1


def test_the_api_lists_cancels_and_moves_sessions(therapist_tess, alice):
    first, second, third = free_slots(therapist_tess, days=queries.horizon_days())[:3]
    one = do_book(member=alice, therapist=therapist_tess, starts_at=first.starts_at)
    two = do_book(member=alice, therapist=therapist_tess, starts_at=second.starts_at)
    client = client_for(alice)
    listed = client.get("/api/care/appointments").json()
    assert [a["id"] for a in listed["upcoming"]] == [one.pk, two.pk]
    assert listed["past"] == []
    therapist_view = client_for(therapist_tess.user).get("/api/care/appointments").json()
    assert [(a["role"], a["client"]) for a in therapist_view["upcoming"]] == [
        ("therapist", "alice"), ("therapist", "alice")
    ]  # fmt: skip
    cancelled = client.post(
        f"/api/care/appointments/{one.pk}/cancel",
        {"reason": "Feeling better this week."},
        content_type="application/json",
    ).json()
    assert (cancelled["status"], cancelled["cancelled_by_me"]) == ("cancelled", True)
    assert cancelled["cancel_reason"] == "Feeling better this week."
    moved = client.post(
        f"/api/care/appointments/{two.pk}/reschedule",
        {"starts_at": third.value},
        content_type="application/json",
    )
    assert moved.status_code == 201
    assert moved.json()["rescheduled_from_id"] == two.pk
    assert datetime.fromisoformat(moved.json()["starts_at"]) == third.starts_at
    again = client.post(f"/api/care/appointments/{one.pk}/cancel", content_type="application/json")
    assert again.status_code == 403 and "already cancelled" in again.json()["detail"]
    assert Appointment.objects.filter(status="booked").count() == 1


def test_the_api_shows_one_appointment_to_each_side(therapist_tess, alice):
    slot = free_slots(therapist_tess, days=queries.horizon_days())[0]
    booked = do_book(member=alice, therapist=therapist_tess, starts_at=slot.starts_at)
    url = f"/api/care/appointments/{booked.pk}"
    mine = client_for(alice).get(url).json()
    assert (mine["id"], mine["role"], mine["client"], mine["status"]) == (
        booked.pk, "member", None, "booked",
    )  # fmt: skip
    assert (mine["therapist_id"], mine["therapist_name"]) == (
        therapist_tess.pk, therapist_tess.professional_name,
    )  # fmt: skip
    assert datetime.fromisoformat(mine["starts_at"]) == slot.starts_at
    assert datetime.fromisoformat(mine["ends_at"]) == booked.ends_at
    assert (mine["cancelled_at"], mine["rescheduled_from_id"]) == (None, None)
    assert (mine["can_cancel"], mine["can_reschedule"]) == (True, True)
    # The therapist sees the same session, named by the client's pseudonym; only the client
    # may move it.
    theirs = client_for(therapist_tess.user).get(url).json()
    # A therapist cancelling is never late for the member; the first free slot may be inside
    # the member's notice period (the day before), where the member's cancelling would be.
    own_view = ("role", "client", "can_reschedule", "cancel_would_be_late")
    assert [theirs[key] for key in own_view] == ["therapist", "alice", False, False]
    assert mine["cancel_would_be_late"] == (
        slot.starts_at - queries.cancel_notice() < timezone.now()
    )
    assert {k: v for k, v in theirs.items() if k not in own_view} == {
        k: v for k, v in mine.items() if k not in own_view
    }


# --- Calendar feeds


def parse_feed(response) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_members_feed_has_their_sessions_only_and_says_nothing_sensitive(
    therapist_tess, alice, bob
):
    now = whole_hour(timezone.now())
    booked = appointment_for(alice, therapist_tess, now + timedelta(days=2))
    cancelled = appointment_for(
        alice, therapist_tess, now + timedelta(days=4), status="cancelled", cancelled_at=now
    )
    bobs = appointment_for(bob, therapist_tess, now + timedelta(days=3))
    client = client_for(alice)
    page = client.post("/care/calendar/").content.decode()
    token = re.search(r"/care/calendar/([A-Za-z0-9_\-]+)\.ics", page).group(1)
    feed = CalendarFeed.objects.get(user=alice)
    assert feed.token_hash == hash_token(token) and token not in feed.token_hash
    assert token not in client.get("/care/calendar/").content.decode()  # shown once only

    response = Client().get(f"/care/calendar/{token}.ics")  # no login: a calendar app
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    events = {str(e["UID"]): e for e in parse_feed(response)}
    uids = {calendar.appointment_uid(booked), calendar.appointment_uid(cancelled)}
    assert set(events) == uids
    assert calendar.appointment_uid(bobs) not in events
    event = events[calendar.appointment_uid(booked)]
    assert event.decoded("DTSTART") == booked.starts_at
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == booked.ends_at
    assert str(event["SUMMARY"]) == "Therapy session"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(events[calendar.appointment_uid(cancelled)]["STATUS"]) == "CANCELLED"
    text = response.content.decode()
    assert "Tess" not in text and "alice" not in text and "bob" not in text
    assert b"DTSTART:" in response.content and "Z\r\n" in text  # UTC form
    # The UID is stable from one fetch to the next.
    again = {str(e["UID"]) for e in parse_feed(Client().get(f"/care/calendar/{token}.ics"))}
    assert again == uids


def test_a_therapists_feed_names_no_client(therapist_tess, alice):
    appointment = appointment_for(
        alice, therapist_tess, whole_hour(timezone.now()) + timedelta(days=2)
    )
    token = calendar.do_create_calendar_feed(therapist_tess.user)
    response = Client().get(f"/care/calendar/{token}.ics")
    [event] = parse_feed(response)
    assert str(event["UID"]) == calendar.appointment_uid(appointment)
    assert str(event["SUMMARY"]) == "Session with a client"
    assert "alice" not in response.content.decode()


def test_revoked_replaced_and_unknown_feeds_are_404(alice):
    client = client_for(alice)
    first = calendar.do_create_calendar_feed(alice)
    assert Client().get(f"/care/calendar/{first}.ics").status_code == 200
    second = calendar.do_create_calendar_feed(alice)  # a new address retires the old
    assert Client().get(f"/care/calendar/{first}.ics").status_code == 404
    assert Client().get(f"/care/calendar/{second}.ics").status_code == 200
    assert client.post("/care/calendar/revoke/").status_code == 302
    assert Client().get(f"/care/calendar/{second}.ics").status_code == 404
    assert Client().get("/care/calendar/not-a-real-token.ics").status_code == 404
    assert CalendarFeed.objects.filter(user=alice, revoked_at__isnull=True).count() == 0
    third = calendar.do_create_calendar_feed(alice)
    alice.is_active = False
    alice.save()
    assert Client().get(f"/care/calendar/{third}.ics").status_code == 404


# --- Reminders


def test_the_day_and_hour_reminders_are_sent_once_each_even_when_the_job_runs_twice(
    therapist_tess, alice, settings
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    alice.email = "alice@example.org"
    alice.save()
    in_zone(alice, "America/New_York")
    now = whole_hour(timezone.now())
    starts = now + timedelta(days=3)
    appointment = appointment_for(alice, therapist_tess, starts)
    assert tasks.do_send_appointment_reminders(starts - timedelta(hours=25)) == 0  # not yet
    day_before = starts - timedelta(hours=23)
    assert tasks.do_send_appointment_reminders(day_before) == 1
    assert tasks.do_send_appointment_reminders(day_before) == 0
    assert tasks.do_send_appointment_reminders(day_before + timedelta(hours=5)) == 0
    appointment.refresh_from_db()
    assert appointment.day_reminder_sent_at == day_before
    assert appointment.hour_reminder_sent_at is None
    [to_member] = care_notifications(alice)
    when = describe_when_translated(starts, NEW_YORK)
    assert to_member == f"A reminder: your session with Dr Therapist_Tess is on {when}."
    [to_therapist] = care_notifications(therapist_tess.user)
    assert "with alice" in to_therapist and "(United Kingdom — London)" in to_therapist

    hour_before = starts - timedelta(minutes=50)
    assert tasks.do_send_appointment_reminders(hour_before) == 1
    assert tasks.do_send_appointment_reminders(hour_before) == 0
    assert len(care_notifications(alice)) == 2
    assert "starts within the hour" in care_notifications(alice)[-1]
    assert len(care_notifications(therapist_tess.user)) == 2

    # One e-mail job per reminder, for the member who gave an address.
    jobs = DBTaskResult.objects.filter(
        task_path="haven.care.booking.tasks.send_appointment_reminder_email"
    )
    assert jobs.count() == 2
    for job in jobs:
        job.task_result.task.call(*job.task_result.args)
    assert [m.to for m in mail.outbox] == [["alice@example.org"], ["alice@example.org"]]
    assert all("Tess" not in m.body and f"/care/appointments/{appointment.pk}/" in m.body
               for m in mail.outbox)  # fmt: skip


def test_no_reminders_for_cancelled_sessions_nor_a_day_reminder_for_one_booked_today(
    therapist_tess, alice, bob
):
    now = whole_hour(timezone.now())
    cancelled = appointment_for(
        alice, therapist_tess, now + timedelta(days=3), status="cancelled", cancelled_at=now
    )
    just_booked = appointment_for(bob, therapist_tess, now + timedelta(hours=14))
    assert tasks.do_send_appointment_reminders(now + timedelta(hours=2)) == 0
    assert tasks.do_send_appointment_reminders(cancelled.starts_at - timedelta(minutes=30)) == 0
    assert care_notifications(alice) == []
    # Booked 14 hours ahead: no "coming up" now, only the hour-before reminder later.
    assert tasks.do_send_appointment_reminders(just_booked.starts_at - timedelta(minutes=40)) == 1
    just_booked.refresh_from_db()
    assert just_booked.day_reminder_sent_at is None
    assert just_booked.hour_reminder_sent_at == just_booked.starts_at - timedelta(minutes=40)
    assert len(care_notifications(bob)) == 1


def test_a_reminder_email_is_not_sent_for_a_session_cancelled_since(therapist_tess, alice):
    alice.email = "alice@example.org"
    alice.save()
    appointment = appointment_for(
        alice, therapist_tess, whole_hour(timezone.now()) + timedelta(hours=3)
    )
    appointment.status = "cancelled"
    appointment.save()
    assert tasks.do_email_appointment_reminder(appointment.pk, tasks.DAY) is False
    assert mail.outbox == []
