"""The mood chart: a plot that stretches to its card with readable labels, a dashed least-squares
trend line said in kind words, and its table alternative; empty and single-point states too."""

import datetime
import html
import re
from decimal import Decimal
from unittest.mock import patch

import pytest

from haven.wellness.insights import CheckInPoint, mood_chart
from haven.wellness.models import MoodCheckIn

UTC = datetime.UTC
TODAY = datetime.date(2026, 11, 25)  # a Wednesday
FROZEN_NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
RISING_MONTH = "Your mood has been gently rising over these 30 days."
STEADY_WEEK = "Your mood has stayed fairly steady over these 7 days."
LOWER_MONTH = (
    "Your mood has drifted a little lower over these 30 days. "
    "Be gentle with yourself; harder stretches are part of being human."
)
TOO_FEW = "Check in on a few more days and a line here will show which way your mood is heading."


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def checkin(days_ago: int, mood: int) -> CheckInPoint:
    return CheckInPoint(day=ago(days_ago), mood=mood)


def month(mood_of_day) -> list[CheckInPoint]:
    """One check-in a day for 30 days; mood_of_day(i) with i = 0 for 29 days ago."""
    return [checkin(29 - i, mood_of_day(i)) for i in range(30)]


# --- the trend line ------------------------------------------------------------------------


def test_the_trend_is_a_least_squares_line_between_the_first_and_last_check_in():
    # Moods 2, 4 and 6 on three days in a row fit exactly: two points a day, four in all.
    chart = mood_chart([checkin(4, 2), checkin(3, 4), checkin(2, 6)], "week", TODAY)
    trend = chart.trend
    assert trend is not None
    assert trend.direction == "rising"
    assert trend.change == 4.0
    # From the first bucket with a check-in (index 2 of 7) to the last (index 4).
    assert (trend.x1, trend.x2) == (round(2 * 100 / 6, 2), round(4 * 100 / 6, 2))
    assert (trend.y1, trend.y2) == (88.89, 44.44)  # moods 2 and 6 on a plot 0 (10) .. 100 (1)


def test_a_rising_month_is_described_gently():
    chart = mood_chart(month(lambda i: 3 + i // 5), "month", TODAY)
    assert chart.trend.direction == "rising"
    assert chart.trend.sentence == RISING_MONTH
    assert chart.trend_note == RISING_MONTH


def test_a_flat_week_with_ups_and_downs_is_steady():
    chart = mood_chart([checkin(n, 5 + n % 2) for n in range(7)], "week", TODAY)
    assert chart.trend.direction == "steady"
    assert chart.trend_note == STEADY_WEEK


def test_a_lower_month_is_described_kindly_never_as_a_warning():
    chart = mood_chart(month(lambda i: 8 - i // 6), "month", TODAY)
    assert chart.trend.direction == "lower"
    assert chart.trend_note == LOWER_MONTH
    assert chart.trend.change < 0
    assert not re.search(r"warning|alarm|worse|declin|danger", chart.trend_note, re.I)


def test_the_year_trend_speaks_of_the_past_year():
    weekly = [checkin(7 * n, 4 + (n < 4) * 3) for n in range(10)]
    chart = mood_chart(weekly, "year", TODAY)
    assert chart.trend_note == "Your mood has been gently rising over this past year."


def test_a_small_change_counts_as_steady():
    # Moods 5, 5, 5, 5, 6, 5, 5: the fitted change over the week is 6/28 of a point.
    chart = mood_chart([checkin(n, 6 if n == 2 else 5) for n in range(7)], "week", TODAY)
    assert chart.trend.change == 0.2
    assert chart.trend.direction == "steady"


def test_the_trend_line_stays_on_the_scale():
    # One very low day then all tens: the fitted line would overshoot 10 at the newest day.
    chart = mood_chart([checkin(10, 1)] + [checkin(n, 10) for n in range(10)], "month", TODAY)
    assert 0.0 <= chart.trend.y2 <= 100.0
    assert chart.trend.y2 == 0.0


def test_two_days_are_too_few_for_a_trend_but_get_a_kind_note():
    chart = mood_chart([checkin(3, 4), checkin(0, 8)], "week", TODAY)
    assert chart.trend is None
    assert chart.trend_note == TOO_FEW


def test_no_check_ins_means_no_trend_and_no_note():
    chart = mood_chart([], "month", TODAY)
    assert chart.trend is None
    assert chart.trend_note == ""


# --- positions and date labels -------------------------------------------------------------


def test_the_first_and_newest_points_sit_at_the_plot_edges():
    chart = mood_chart(month(lambda i: 5), "month", TODAY)
    assert chart.dots[0][:2] == (0.0, 55.56)
    assert chart.dots[-1][:2] == (100.0, 55.56)
    assert chart.dots[-1][2].start == TODAY


def test_a_month_has_seven_dates_for_a_wide_chart_and_three_for_a_phone():
    ticks = mood_chart([], "month", TODAY).x_ticks
    assert ticks[0].x == 0.0 and ticks[-1].x == 100.0
    assert [t.label for t in ticks] == [
        "27 Oct", "1 Nov", "6 Nov", "10 Nov", "15 Nov", "20 Nov", "25 Nov"
    ]  # fmt: skip
    assert len(ticks) == 7
    assert [t.short for t in ticks if t.narrow] == ["27 Oct", "10 Nov", "25 Nov"]
    assert [t.anchor for t in ticks] == ["start"] + ["middle"] * 5 + ["end"]


def test_a_week_labels_every_day_and_a_phone_gets_three():
    ticks = mood_chart([], "week", TODAY).x_ticks
    assert [t.label for t in ticks] == [
        "Thu 19", "Fri 20", "Sat 21", "Sun 22", "Mon 23", "Tue 24", "Wed 25"
    ]  # fmt: skip
    assert [t.short for t in ticks if t.narrow] == ["19 Nov", "22 Nov", "25 Nov"]


def test_the_year_axis_uses_short_dates_and_the_table_keeps_the_full_words():
    chart = mood_chart([], "year", TODAY)
    assert chart.x_ticks[0].label == chart.x_ticks[0].short == "1 Dec"
    assert chart.x_ticks[-1].label == "23 Nov"
    assert chart.points[0].label == "week of 1 Dec"


# --- the page ------------------------------------------------------------------------------


@pytest.fixture
def frozen_now():
    with patch("django.utils.timezone.now", return_value=FROZEN_NOW):
        yield FROZEN_NOW


def add_days(member, moods: dict[int, int]) -> None:
    """One check-in on each of the given days ago, with the given mood (the member is in UTC)."""
    MoodCheckIn.objects.bulk_create(
        MoodCheckIn(
            member=member,
            mood=mood,
            feelings=["calm"],
            sleep_hours=Decimal("7.0"),
            note="",
            created_at=datetime.datetime.combine(ago(days), datetime.time(9), tzinfo=UTC),
            local_date=ago(days),
        )
        for days, mood in moods.items()
    )


def chart_html(response) -> str:
    page = response.content.decode()
    figure = re.search(r'<figure class="mood-chart card".*?</figure>', page, re.S)
    assert figure, "no mood chart on the page"
    return figure.group(0)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_chart_stretches_its_plot_but_not_its_labels(
    alice, alice_client, frozen_now, django_assert_max_num_queries
):
    add_days(alice, {29 - i: 3 + i // 5 for i in range(30)})
    # The day's first request of a session also notes its device signals (a few writes, once
    # a day): make that one first, then count a page as it is usually served.
    alice_client.get("/wellness/")
    # The shell (with the sidebar's communities), the period's check-ins in one query and the
    # list page; nothing per point.
    with django_assert_max_num_queries(18):
        response = alice_client.get("/wellness/mood/?period=month")
    assert response.status_code == 200
    figure = chart_html(response)

    # The outer SVG has no viewBox, so its text keeps its CSS size at any width; only the
    # nested plot layer is stretched, with strokes that do not scale.
    outer = re.search(r"<svg class=\"chart-svg\"[^>]*>", figure).group(0)
    assert "viewBox" not in outer
    assert 'role="img"' in outer and 'aria-describedby="chart-trend-note"' in outer
    assert re.search(r'<svg [^>]*viewBox="0 0 100 100" preserveAspectRatio="none"', figure)
    assert figure.count('vector-effect="non-scaling-stroke"') == 2  # the line and the trend

    # Dots and labels are placed in percent; the newest is the last dot, at the right edge.
    dots = re.findall(r'<circle cx="([\d.]+)%" cy="([\d.]+)%" r="(\d)" class="([^"]*)"', figure)
    assert len(dots) == 30
    assert dots[-1] == ("100.0", "22.22", "6", "chart-dot chart-dot--newest")  # mood 8
    y_labels = re.findall(r'class="chart-label chart-y"[^>]*>(.*?)</text>', figure)
    assert [text_of(label) for label in y_labels] == ["very low 1", "4", "7", "very good 10"]
    assert 'class="chart-label chart-x"' in figure and "chart-x--wide" in figure

    # The trend: a dashed line, the same in words, and how it was drawn.
    assert re.search(
        r'<line x1="0.0" y1="[\d.]+" x2="100.0" y2="[\d.]+" class="chart-trend', figure
    )
    text = text_of(figure)
    assert RISING_MONTH in text
    assert "a straight line fitted through your daily averages (least squares)" in text
    assert "Moods run from 1, very low, to 10, very good." in text

    # The table alternative is in the same card, labelled.
    assert '<details class="chart-table">' in figure
    assert "Show as a table : your mood by day" in text
    assert len(re.findall(r"<tr><th scope=\"row\">", figure)) == 30


def test_an_empty_period_has_no_chart_but_keeps_the_table(alice, alice_client, frozen_now):
    figure = chart_html(alice_client.get("/wellness/mood/?period=month"))
    assert "<svg" not in figure and "chart-trend" not in figure
    assert "No check-ins in this period yet. Each check-in adds a point here." in text_of(figure)
    assert len(re.findall(r"<tr><th scope=\"row\">", figure)) == 30


def test_a_single_check_in_is_one_dot_with_no_trend_line(alice, alice_client, frozen_now):
    add_days(alice, {0: 7})
    figure = chart_html(alice_client.get("/wellness/mood/"))
    assert re.findall(r"<circle [^>]*>", figure) == [
        '<circle cx="100.0%" cy="33.33%" r="6" class="chart-dot chart-dot--newest">'
    ]
    assert "<polyline" not in figure
    assert 'class="chart-trend ' not in figure
    assert TOO_FEW in text_of(figure)
    assert "least squares" not in figure


def test_the_wellness_overview_shows_the_week_with_its_trend(alice, alice_client, frozen_now):
    add_days(alice, {n: 5 + n % 2 for n in range(7)})
    figure = chart_html(alice_client.get("/wellness/"))
    assert STEADY_WEEK in text_of(figure)
    assert len(re.findall(r"<circle ", figure)) == 7


def test_the_year_view_speaks_of_weekly_averages(alice, alice_client, frozen_now):
    add_days(alice, {7 * n: 4 + (n < 4) * 3 for n in range(10)})
    figure = chart_html(alice_client.get("/wellness/mood/?period=year"))
    text = text_of(figure)
    assert "Your mood has been gently rising over this past year." in text
    assert "fitted through your weekly averages" in text
    assert "Show as a table : your mood by week" in text
