"""Mood check-ins end to end: checking in, bad input, charts, exports, deletion, privacy."""

import csv
import datetime
import html
import io
import json
import re
from decimal import Decimal
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.wellness.models import JournalEntry, MoodCheckIn, WellnessSettings
from tests.conftest import client_for

UTC = datetime.UTC
# 13:00 UTC on Tuesday 10 March 2026 is already 02:00 on Wednesday 11 March in Auckland (NZDT,
# UTC+13) and still 06:00 on Tuesday 10 March in Los Angeles (PDT, UTC-7).
FROZEN_NOW = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
AUCKLAND_TODAY = datetime.date(2026, 3, 11)
UTC_TODAY = datetime.date(2026, 3, 10)
# 03:00 UTC on 10 March is still 20:00 on Monday 9 March in Los Angeles.
LA_EVENING = datetime.datetime(2026, 3, 10, 3, 0, tzinfo=UTC)

# The month of check-ins: day i (0 = 29 days ago, 29 = today) has mood MOOD_CYCLE[i % 4], so
# even days (moods 9 and 7) slept 8 hours and felt calm, odd days (moods 5 and 3) slept 5.5 and
# felt tired. Worked out by hand: 182 / 30 = 6.07 overall; rested days 121 / 15 = 8.07 and short
# nights 61 / 15 = 4.07.
MOOD_CYCLE = (9, 5, 7, 3)
MONTH_AVERAGE = 6.1
SLEEP_SENTENCE = (
    "Your mood was higher on days you slept 7 or more hours (8.1 on average, against 4.1)."
)
STREAK_30 = "You've checked in 30 days in a row."
CHECKED_IN_TODAY = "You've checked in today."
THANKS = "Thank you for checking in."


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def frozen_now():
    with patch("django.utils.timezone.now", return_value=FROZEN_NOW):
        yield FROZEN_NOW


def set_zone(member, name: str) -> None:
    WellnessSettings.objects.update_or_create(member=member, defaults={"time_zone": name})


def month_mood(i: int) -> int:
    return MOOD_CYCLE[i % 4]


def add_month(member, today: datetime.date, zone: str, *, mood=month_mood) -> None:
    """30 check-ins, one a day, ending on the member's today."""
    tz = ZoneInfo(zone)
    rows = []
    for i in range(30):
        day = today - datetime.timedelta(days=29 - i)
        rested = i % 2 == 0
        rows.append(
            MoodCheckIn(
                member=member,
                mood=mood(i),
                feelings=["calm"] if rested else ["tired"],
                sleep_hours=Decimal("8.0") if rested else Decimal("5.5"),
                note=f"day {i}",
                created_at=datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz),
                local_date=day,
            )
        )
    MoodCheckIn.objects.bulk_create(rows)


@pytest.fixture
def alices_month(alice, frozen_now):
    set_zone(alice, "Pacific/Auckland")
    add_month(alice, AUCKLAND_TODAY, "Pacific/Auckland")


@pytest.fixture
def bobs_month(bob, frozen_now):
    """Bob, in UTC, had a hard month: mood 1 every day, long nights, lonely."""
    rows = []
    for i in range(30):
        day = UTC_TODAY - datetime.timedelta(days=29 - i)
        rows.append(
            MoodCheckIn(
                member=bob,
                mood=1,
                feelings=["lonely"],
                sleep_hours=Decimal("12.0") if i % 2 else Decimal("3.0"),
                note="bob's own note",
                created_at=datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=UTC),
                local_date=day,
            )
        )
    MoodCheckIn.objects.bulk_create(rows)


def page_text(response) -> str:
    """The page as a reader hears it: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def chart_table_rows(response) -> list[tuple[str, ...]]:
    """(label, average mood, check-ins) for each row of the chart's text alternative."""
    page = response.content.decode()
    block = re.search(r'<details class="chart-table">.*?</details>', page, re.S)
    assert block, "the chart has no table alternative"
    body = re.search(r"<tbody>(.*?)</tbody>", block.group(0), re.S)
    assert body, "the chart table has no body"
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append(tuple(html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells))
    return rows


def chart_polylines(response) -> list[list[tuple[float, float]]]:
    page = response.content.decode()
    svg = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert svg, "no <svg> chart on the page"
    return [
        [tuple(float(n) for n in pair.split(",")) for pair in points.split()]
        for points in re.findall(r'<polyline\b[^>]*\bpoints="([^"]*)"', svg.group(0))
    ]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def api_get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response


def check_in(client, **data):
    return client.post("/wellness/check-in/", data)


# --- checking in ---------------------------------------------------------------------------


def test_a_check_in_is_dated_by_the_members_own_day(alice, alice_client, frozen_now):
    set_zone(alice, "Pacific/Auckland")
    response = check_in(
        alice_client,
        mood="7",
        feelings=["tired", "anxious", "tired"],
        sleep_hours="6.5",
        note="  Walked by the sea.  ",
    )
    assert response.status_code == 302
    assert response["Location"] == "/wellness/mood/"

    checkin = MoodCheckIn.objects.get()
    assert checkin.member == alice
    assert checkin.mood == 7
    assert checkin.feelings == ["anxious", "tired"]
    assert checkin.sleep_hours == Decimal("6.5")
    assert checkin.note == "Walked by the sea."
    assert checkin.created_at == FROZEN_NOW
    # Already Wednesday in Auckland, though still Tuesday in UTC.
    assert checkin.local_date == AUCKLAND_TODAY != FROZEN_NOW.date()

    page = alice_client.get(response["Location"])
    assert THANKS in page_text(page)
    # The message is shown once only.
    assert THANKS not in page_text(alice_client.get("/wellness/mood/"))


def test_a_check_in_behind_utc_keeps_the_members_evening(alice, alice_client):
    set_zone(alice, "America/Los_Angeles")
    with patch("django.utils.timezone.now", return_value=LA_EVENING):
        assert check_in(alice_client, mood="4").status_code == 302
    checkin = MoodCheckIn.objects.get()
    assert checkin.local_date == datetime.date(2026, 3, 9)
    assert checkin.feelings == [] and checkin.sleep_hours is None and checkin.note == ""


def test_a_check_in_through_the_api(alice, alice_client, bob_client, frozen_now):
    set_zone(alice, "Pacific/Auckland")
    response = alice_client.post(
        "/api/checkins",
        {"mood": 3, "feelings": ["numb", "lonely", "numb"], "sleep_hours": 4.5, "note": "rough"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mood"] == 3
    assert body["feelings"] == ["lonely", "numb"]
    assert body["sleep_hours"] == 4.5
    assert body["note"] == "rough"
    assert body["local_date"] == "2026-03-11"
    assert MoodCheckIn.objects.get(pk=body["id"]).local_date == AUCKLAND_TODAY

    assert [c["id"] for c in alice_client.get("/api/checkins").json()["items"]] == [body["id"]]
    assert bob_client.get("/api/checkins").json() == {
        "count": 0,
        "page": 1,
        "num_pages": 1,
        "items": [],
    }


@pytest.mark.parametrize(
    "data",
    [
        {"mood": "1"},
        {"mood": "10", "sleep_hours": "0"},
        {"mood": "5", "sleep_hours": "24"},
        {"mood": "5", "note": "n" * 280},
    ],
    ids=["mood-1", "mood-10-sleep-0", "sleep-24", "note-280"],
)
def test_the_edges_of_each_range_are_accepted(alice_client, data):
    assert check_in(alice_client, **data).status_code == 302
    assert MoodCheckIn.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mood": "0"}, "Select a valid choice. 0 is not one of the available choices."),
        ({"mood": "11"}, "Select a valid choice. 11 is not one of the available choices."),
        ({"mood": "abc"}, "Select a valid choice. abc is not one of the available choices."),
        ({"note": "no mood given"}, "This field is required."),
        ({"mood": "5", "sleep_hours": "25"}, "Ensure this value is less than or equal to 24."),
        (
            {"mood": "5", "sleep_hours": "-1"},
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"mood": "5", "sleep_hours": "7.25"},
            "Ensure that there are no more than 1 decimal place.",
        ),
        (
            {"mood": "5", "note": "x" * 281},
            "Ensure this value has at most 280 characters (it has 281).",
        ),
    ],
    ids=[
        "mood-0",
        "mood-11",
        "mood-abc",
        "mood-missing",
        "sleep-25",
        "sleep-negative",
        "sleep-2-decimals",
        "note-281",
    ],
)
def test_bad_check_ins_are_refused_with_a_clear_error(alice_client, data, message):
    response = check_in(alice_client, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page_text(response)
    assert 'role="alert"' in page and "field--error" in page
    assert not MoodCheckIn.objects.exists()


def test_an_unknown_feeling_is_refused_with_a_clear_error(alice_client):
    response = check_in(alice_client, mood="5", feelings=["happy"])
    assert response.status_code == 400
    assert not MoodCheckIn.objects.exists()
    assert "Select a valid choice. happy is not one of the available choices." in page_text(
        response
    )


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"mood": 0}, "mood", "Input should be greater than or equal to 1"),
        ({"mood": 11}, "mood", "Input should be less than or equal to 10"),
        ({"mood": "abc"}, "mood", "Input should be a valid integer"),
        ({"note": "no mood"}, "mood", "This is required."),
        ({"mood": 5, "sleep_hours": 25}, "sleep_hours", "less than or equal to 24"),
        ({"mood": 5, "sleep_hours": 7.25}, "sleep_hours", "no more than 1 decimal place"),
        ({"mood": 5, "note": "x" * 281}, "note", "Please keep this to at most 280 characters."),
        ({"mood": 5, "feelings": ["happy"]}, "feelings.0", "This must be one of:"),
    ],
    ids=[
        "mood-0",
        "mood-11",
        "mood-abc",
        "mood-missing",
        "sleep-25",
        "sleep-2-decimals",
        "note-281",
        "unknown-feeling",
    ],
)
def test_bad_api_check_ins_get_422_with_field_errors(alice_client, payload, field, message):
    response = alice_client.post("/api/checkins", payload, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert message in body["errors"][0]["message"]
    assert body["detail"].startswith("Please check your input.")
    assert not MoodCheckIn.objects.exists()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/wellness/check-in/", {"mood": "5", "sleep_hours": "25", "note": "x" * 281}),
        ("/wellness/settings/", {"time_zone": "Mars/Olympus", "reminder_time": "07:30"}),
    ],
    ids=["check-in", "settings"],
)
def test_an_invalid_field_is_described_by_its_error(alice_client, url, data):
    response = alice_client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    described_by = re.findall(r'aria-describedby="([^"]+)"', page)
    error_ids = [i for ids in described_by for i in ids.split() if i.endswith("_error")]
    assert error_ids, "no invalid field points at its error"
    missing = [i for i in error_ids if f'id="{i}"' not in page]
    assert missing == []


# --- charts and summaries ------------------------------------------------------------------


def test_the_month_page_draws_the_members_own_month(alice_client, alices_month):
    response = alice_client.get("/wellness/mood/?period=month")
    assert response.status_code == 200

    rows = chart_table_rows(response)
    assert len(rows) == 30
    assert rows[0][0] == "Tue 10 Feb" and rows[-1][0] == "Wed 11 Mar"
    assert [row[1] for row in rows] == [f"{month_mood(i)}.0" for i in range(30)]
    assert {row[2] for row in rows} == {"1"}

    # Every day has a check-in, so the line is unbroken: one polyline, 30 points, left to right,
    # and a better mood always sits higher (smaller y) in the SVG.
    lines = chart_polylines(response)
    assert len(lines) == 1 and len(lines[0]) == 30
    xs = [x for x, _ in lines[0]]
    assert xs == sorted(xs) and len(set(xs)) == 30
    for (_, y_a), mood_a in zip(lines[0], map(month_mood, range(30)), strict=True):
        for (_, y_b), mood_b in zip(lines[0], map(month_mood, range(30)), strict=True):
            assert (mood_a > mood_b) == (y_a < y_b)

    text = page_text(response)
    assert f"Your mood, last 30 days · average {MONTH_AVERAGE} out of 10" in text
    assert STREAK_30 in text
    assert "Feelings that came up most: calm (15), tired (15)." in text
    assert SLEEP_SENTENCE in text


def test_the_week_and_year_pages(alice_client, alices_month):
    week = alice_client.get("/wellness/mood/?period=week")
    rows = chart_table_rows(week)
    assert [row[0] for row in rows] == [
        "Thu 5 Mar", "Fri 6 Mar", "Sat 7 Mar", "Sun 8 Mar", "Mon 9 Mar", "Tue 10 Mar", "Wed 11 Mar",
    ]  # fmt: skip
    assert [row[1] for row in rows] == ["3.0", "9.0", "5.0", "7.0", "3.0", "9.0", "5.0"]
    assert "last 7 days · average 5.9 out of 10" in page_text(week)
    assert [len(line) for line in chart_polylines(week)] == [7]

    year = alice_client.get("/wellness/mood/?period=year")
    rows = chart_table_rows(year)
    assert len(rows) == 52
    assert rows[0][0] == "week of 17 Mar" and rows[-1][0] == "week of 9 Mar"
    assert rows[-5:] == [
        ("week of 9 Feb", "6.3", "6"),
        ("week of 16 Feb", "6.1", "7"),
        ("week of 23 Feb", "5.6", "7"),
        ("week of 2 Mar", "6.4", "7"),
        ("week of 9 Mar", "5.7", "3"),
    ]
    assert all(row[1:] == ("No check-in", "0") for row in rows[:-5])
    assert [len(line) for line in chart_polylines(year)] == [5]
    assert f"average {MONTH_AVERAGE} out of 10" in page_text(year)

    # An unknown period falls back to the week.
    odd = alice_client.get("/wellness/mood/?period=decade")
    assert odd.status_code == 200 and len(chart_table_rows(odd)) == 7


def test_a_gap_breaks_the_line_and_an_empty_month_draws_no_svg(alice, alice_client, frozen_now):
    empty = alice_client.get("/wellness/mood/?period=month")
    assert "chart-svg" not in empty.content.decode()  # no chart (the tab bar has icons)
    assert "No check-ins in this period yet." in page_text(empty)
    assert "Your first check-in starts your streak." in page_text(empty)
    assert len(chart_table_rows(empty)) == 30

    add_month(alice, UTC_TODAY, "UTC")
    MoodCheckIn.objects.filter(local_date=UTC_TODAY - datetime.timedelta(days=10)).delete()
    response = alice_client.get("/wellness/mood/?period=month")
    assert [len(line) for line in chart_polylines(response)] == [19, 10]
    assert chart_table_rows(response)[19][1:] == ("No check-in", "0")
    assert "You've checked in 10 days in a row (your longest run is 19)." in page_text(response)


def test_the_chart_uses_only_the_viewers_own_check_ins(
    alice_client, bob_client, alices_month, bobs_month
):
    alice_page = alice_client.get("/wellness/mood/?period=month")
    text = page_text(alice_page)
    assert [row[1] for row in chart_table_rows(alice_page)] == [
        f"{month_mood(i)}.0" for i in range(30)
    ]
    assert f"average {MONTH_AVERAGE} out of 10" in text
    assert SLEEP_SENTENCE in text and STREAK_30 in text
    assert "lonely" not in text.lower() and "bob's own note" not in text

    # And Bob sees his own month, in his own (UTC) days.
    bob_page = bob_client.get("/wellness/mood/?period=month")
    rows = chart_table_rows(bob_page)
    assert rows[-1][0] == "Tue 10 Mar"
    assert {row[1] for row in rows} == {"1.0"}
    assert "average 1.0 out of 10" in page_text(bob_page)
    assert "calm" not in page_text(bob_page).lower()


def test_the_api_summary_gives_the_members_own_numbers(
    alice_client, bob_client, alices_month, bobs_month
):
    month = api_get(alice_client, "/api/checkins/summary?period=month").json()
    assert month["period"] == "month"
    assert len(month["points"]) == 30
    assert month["points"][0]["start"] == "2026-02-10"
    assert month["points"][-1]["start"] == "2026-03-11"
    assert [p["mood"] for p in month["points"]] == [float(month_mood(i)) for i in range(30)]
    assert {p["count"] for p in month["points"]} == {1}
    assert month["average"] == MONTH_AVERAGE
    assert month["current_streak"] == 30 and month["longest_streak"] == 30
    assert month["top_feelings"] == [["calm", 15], ["tired", 15]]
    assert SLEEP_SENTENCE in month["summaries"]

    week = api_get(alice_client, "/api/checkins/summary?period=week").json()
    assert len(week["points"]) == 7 and week["average"] == 5.9
    year = api_get(alice_client, "/api/checkins/summary?period=year").json()
    assert len(year["points"]) == 52
    assert [p["count"] for p in year["points"][-5:]] == [6, 7, 7, 7, 3]
    assert year["average"] == MONTH_AVERAGE

    bob = api_get(bob_client, "/api/checkins/summary?period=month").json()
    assert bob["average"] == 1.0 and bob["top_feelings"] == [["lonely", 30]]

    # A second check-in today is averaged into today's point.
    assert (
        alice_client.post("/api/checkins", {"mood": 8}, content_type="application/json").status_code
        == 201
    )
    again = api_get(alice_client, "/api/checkins/summary?period=month").json()
    today = {"label": "Wed 11 Mar", "start": "2026-03-11", "mood": 6.5, "count": 2}
    assert again["points"][-1] == today
    assert again["current_streak"] == 30


def test_the_api_summary_refuses_an_unknown_period(alice_client):
    response = alice_client.get("/api/checkins/summary?period=decade")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["period"]


def test_the_mood_page_costs_the_same_queries_for_5_or_60_check_ins(alice, alice_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get("/wellness/mood/?period=month")
        assert response.status_code == 200
        return len(queries)

    today = datetime.date.today()
    MoodCheckIn.objects.bulk_create(
        MoodCheckIn(member=alice, mood=5, note="n", local_date=today - datetime.timedelta(days=n))
        for n in range(5)
    )
    alice_client.get("/wellness/mood/?period=month")  # creates the settings row, warms caches
    few = count()
    MoodCheckIn.objects.bulk_create(
        MoodCheckIn(member=alice, mood=6, note="n", local_date=today - datetime.timedelta(days=n))
        for n in range(5, 60)
    )
    many = count()
    print(f"mood page queries: 5 check-ins {few}, 60 check-ins {many}")
    assert many == few
    assert few <= 12


# --- exports -------------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def csv_checkins(alice, bob):
    """Created out of order, so only created_at can put them oldest first."""
    middle = MoodCheckIn.objects.create(
        member=alice,
        mood=4,
        feelings=["anxious", "tired"],
        sleep_hours=Decimal("5.5"),
        note=FORMULA,
        created_at=datetime.datetime(2026, 3, 9, 21, 15, tzinfo=UTC),
        local_date=datetime.date(2026, 3, 10),
    )
    oldest = MoodCheckIn.objects.create(
        member=alice,
        mood=7,
        note="slept badly, woke at 4",
        created_at=datetime.datetime(2026, 3, 8, 8, 0, tzinfo=UTC),
        local_date=datetime.date(2026, 3, 8),
    )
    newest = MoodCheckIn.objects.create(
        member=alice,
        mood=9,
        feelings=["calm"],
        sleep_hours=Decimal("8.0"),
        note="@SUM(A1) café ☕",
        created_at=datetime.datetime(2026, 3, 10, 12, 59, 30, tzinfo=UTC),
        local_date=datetime.date(2026, 3, 11),
    )
    MoodCheckIn.objects.create(
        member=bob,
        mood=2,
        note="bob's own note",
        created_at=datetime.datetime(2026, 3, 9, 0, 0, tzinfo=UTC),
        local_date=datetime.date(2026, 3, 9),
    )
    return oldest, middle, newest


EXPECTED_CSV = [
    ["date", "time_utc", "mood", "feelings", "sleep_hours", "note"],
    ["2026-03-08", "2026-03-08T08:00:00+00:00", "7", "", "", "slept badly, woke at 4"],
    ["2026-03-10", "2026-03-09T21:15:00+00:00", "4", "anxious;tired", "5.5", "'" + FORMULA],
    ["2026-03-11", "2026-03-10T12:59:30+00:00", "9", "calm", "8.0", "'@SUM(A1) café ☕"],
]


def test_the_csv_export_holds_the_members_own_rows_oldest_first(alice_client, csv_checkins):
    response = alice_client.get("/wellness/mood/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="haven-mood-check-ins.csv"'
    assert response["Cache-Control"] == "no-store"
    assert csv_rows(response) == EXPECTED_CSV
    assert "bob" not in response.content.decode()


def test_bobs_csv_holds_only_bobs_row(bob_client, csv_checkins):
    rows = csv_rows(bob_client.get("/wellness/mood/export.csv"))
    assert rows[1:] == [["2026-03-09", "2026-03-09T00:00:00+00:00", "2", "", "", "bob's own note"]]


@pytest.mark.parametrize("note", ["=1+1", "+1 for a walk", "-2 degrees out", "@everyone"])
def test_a_note_that_looks_like_a_formula_stays_text(alice_client, note):
    assert check_in(alice_client, mood="6", note=note).status_code == 302
    assert MoodCheckIn.objects.get().note == note  # stored as written
    assert csv_rows(alice_client.get("/wellness/mood/export.csv"))[1][5] == "'" + note


def test_a_plain_note_is_not_prefixed(alice_client):
    check_in(alice_client, mood="6", note="a quiet day")
    assert csv_rows(alice_client.get("/wellness/mood/export.csv"))[1][5] == "a quiet day"


def test_the_csv_export_needs_a_signed_in_member(client, csv_checkins):
    response = client.get("/wellness/mood/export.csv")
    assert response.status_code == 302
    assert "/wellness/mood/export.csv" in response["Location"]
    assert client.get("/api/checkins").status_code == 401


def test_the_api_csv_export_is_the_same(alice_client, bob_client, csv_checkins):
    response = api_get(alice_client, "/api/checkins/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="haven-mood-check-ins.csv"'
    assert csv_rows(response) == EXPECTED_CSV
    assert len(csv_rows(api_get(bob_client, "/api/checkins/export.csv"))) == 2


@pytest.fixture
def private_writing(alice, bob, alice_client, bob_client, frozen_now):
    set_zone(alice, "Pacific/Auckland")
    check_in(alice_client, mood="6", feelings=["hopeful"], sleep_hours="7", note="alicenote sea")
    check_in(bob_client, mood="2", note="bobnote secret")
    JournalEntry.objects.create(
        author=alice, title="alicetitle rain", body="alicebody I called my sister", tags=["family"]
    )
    JournalEntry.objects.create(author=bob, title="bobtitle", body="bobbody private")


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_the_account_export_holds_own_check_ins_and_journal_decrypted(
    alice_client, private_writing, api
):
    # The page is a POST download; the API reads it with a GET.
    response = alice_client.get("/api/me/export") if api else alice_client.post("/accounts/export/")
    assert response.status_code == 200
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["mood_checkins"] == [
        {
            "date": "2026-03-11",
            "time_utc": "2026-03-10T13:00:00+00:00",
            "mood": 6,
            "feelings": ["hopeful"],
            "sleep_hours": 7.0,
            "note": "alicenote sea",
        }
    ]
    [entry] = data["journal"]
    assert entry["title"] == "alicetitle rain"
    assert entry["body"] == "alicebody I called my sister"
    assert entry["tags"] == ["family"]
    assert "bob" not in raw.replace('"pseudonym": "alice"', "")
    assert "gAAAA" not in raw  # no ciphertext leaks into the export


def test_bobs_account_export_holds_only_his(bob_client, private_writing):
    data = bob_client.get("/api/me/export").json()
    assert [c["note"] for c in data["mood_checkins"]] == ["bobnote secret"]
    assert [e["body"] for e in data["journal"]] == ["bobbody private"]
    assert "alice" not in json.dumps(data)


# --- deleting ------------------------------------------------------------------------------


def test_a_member_deletes_their_own_check_in_and_no_one_elses(alice, alice_client, bob_client):
    check_in(alice_client, mood="6", note="keep or not")
    checkin = MoodCheckIn.objects.get()
    url = f"/wellness/mood/{checkin.pk}/delete/"

    assert bob_client.post(url).status_code == 404
    assert alice_client.get(url).status_code == 405
    assert MoodCheckIn.objects.filter(pk=checkin.pk).exists()

    response = alice_client.post(url, follow=True)
    assert response.redirect_chain == [("/wellness/mood/", 302)]
    assert "The check-in is deleted." in page_text(response)
    assert not MoodCheckIn.objects.exists()
    assert alice_client.post(url).status_code == 404


def test_deleting_through_the_api(alice, bob, alice_client, bob_client):
    alices = MoodCheckIn.objects.create(member=alice, mood=5, local_date=datetime.date.today())
    bobs = MoodCheckIn.objects.create(member=bob, mood=5, local_date=datetime.date.today())

    assert bob_client.delete(f"/api/checkins/{alices.pk}").status_code == 404
    assert alice_client.delete(f"/api/checkins/{bobs.pk}").status_code == 404
    assert MoodCheckIn.objects.count() == 2

    response = alice_client.delete(f"/api/checkins/{alices.pk}")
    assert response.status_code == 204
    assert list(MoodCheckIn.objects.values_list("pk", flat=True)) == [bobs.pk]
    assert alice_client.delete(f"/api/checkins/{alices.pk}").status_code == 404


# --- privacy at rest -----------------------------------------------------------------------


def test_the_note_is_encrypted_at_rest(alice, alice_client, bob_client):
    secret = "I felt the panic ease after lunch"
    assert check_in(alice_client, mood="5", note=secret).status_code == 302
    JournalEntry.objects.create(author=alice, title="t", body="journalsecret words")

    assert MoodCheckIn._meta.db_table == "wellness_moodcheckin"
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM wellness_moodcheckin")
        [(stored,)] = cursor.fetchall()
        cursor.execute("SELECT body FROM wellness_journalentry")
        [(stored_body,)] = cursor.fetchall()
    assert "panic" not in stored and secret not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert "journalsecret" not in stored_body

    # The owner reads it back in plain words; nobody else sees it.
    assert MoodCheckIn.objects.get().note == secret
    assert secret in page_text(alice_client.get("/wellness/mood/"))
    assert secret not in bob_client.get("/wellness/mood/").content.decode()


# --- settings ------------------------------------------------------------------------------


def test_wellness_settings_are_saved_and_used(alice, alice_client):
    response = alice_client.post(
        "/wellness/settings/",
        {"time_zone": "America/Los_Angeles", "reminder_enabled": "on", "reminder_time": "07:30"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/wellness/settings/"
    saved = WellnessSettings.objects.get(member=alice)
    assert saved.time_zone == "America/Los_Angeles"
    assert saved.reminder_enabled is True
    assert saved.reminder_time == datetime.time(7, 30)
    assert saved.reminder_email is False
    assert "Your wellness settings are saved." in page_text(alice_client.get("/wellness/settings/"))

    # The new zone decides the day of the next check-in.
    with patch("django.utils.timezone.now", return_value=LA_EVENING):
        check_in(alice_client, mood="6")
    assert MoodCheckIn.objects.get().local_date == datetime.date(2026, 3, 9)
    # The patched clock also dated the session's expiry (the day's device-signal note saved
    # it), months in the past: sign in again, as the member would.
    alice_client.force_login(alice)

    # Unticking the box turns the reminder off again.
    alice_client.post(
        "/wellness/settings/", {"time_zone": "Europe/Dublin", "reminder_time": "21:00"}
    )
    saved.refresh_from_db()
    assert (saved.time_zone, saved.reminder_enabled) == ("Europe/Dublin", False)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../../etc/passwd"])
def test_an_unknown_time_zone_is_refused(alice, alice_client, zone):
    set_zone(alice, "Europe/Dublin")
    response = alice_client.post(
        "/wellness/settings/",
        {"time_zone": zone, "reminder_enabled": "on", "reminder_time": "07:30"},
    )
    assert response.status_code == 400
    expected = (
        "This field is required."
        if not zone
        else f"Select a valid choice. {zone} is not one of the available choices."
    )
    assert expected in page_text(response)
    saved = WellnessSettings.objects.get(member=alice)
    assert (saved.time_zone, saved.reminder_enabled) == ("Europe/Dublin", False)


# --- the overview --------------------------------------------------------------------------


def test_the_overview_offers_ten_labelled_moods_and_notices_todays_check_in(
    alice, alice_client, frozen_now
):
    set_zone(alice, "Pacific/Auckland")
    response = alice_client.get("/wellness/")
    assert response.status_code == 200
    page = response.content.decode()
    radios = re.findall(r'<input type="radio" name="mood"[^>]*>', page)
    assert len(radios) == 10
    values = [re.search(r'value="([^"]*)"', r).group(1) for r in radios]
    assert values == [str(n) for n in range(1, 11)]
    for radio, value in zip(radios, values, strict=True):
        radio_id = re.search(r'id="([^"]+)"', radio).group(1)
        label = re.search(rf'<label[^>]*for="{radio_id}"[^>]*>(.*?)</label>', page, re.S)
        assert label, f"mood {value} has no label"
        assert re.sub(r"<[^>]+>", "", label.group(1)).strip() == value
    assert "How are you feeling right now? (1 = very low, 10 = very good)" in page_text(response)
    assert CHECKED_IN_TODAY not in page_text(response)

    # Yesterday in Auckland (though today in UTC) is not today.
    MoodCheckIn.objects.create(
        member=alice, mood=5, local_date=AUCKLAND_TODAY - datetime.timedelta(days=1)
    )
    assert CHECKED_IN_TODAY not in page_text(alice_client.get("/wellness/"))

    check_in(alice_client, mood="8")
    assert CHECKED_IN_TODAY in page_text(alice_client.get("/wellness/"))


def test_one_members_check_in_does_not_count_as_anothers(alice_client, bob_client):
    check_in(bob_client, mood="8")
    assert CHECKED_IN_TODAY in page_text(bob_client.get("/wellness/"))
    assert CHECKED_IN_TODAY not in page_text(alice_client.get("/wellness/"))


def test_the_check_in_page_needs_a_signed_in_member(db, client):
    assert client.get("/wellness/").status_code == 302
    response = client.post("/wellness/check-in/", {"mood": "5"})
    assert response.status_code == 302
    assert not MoodCheckIn.objects.exists()


def test_a_member_sees_only_their_own_check_ins_listed(alice, bob, bob_client, frozen_now):
    client_for(alice).post("/wellness/check-in/", {"mood": "9", "note": "alice-only"})
    page = bob_client.get("/wellness/mood/")
    assert "No check-ins yet." in page_text(page)
    assert "alice-only" not in page.content.decode()
