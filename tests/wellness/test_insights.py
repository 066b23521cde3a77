"""Mood chart data, streaks and gentle summaries, computed from one member's own check-ins."""

import datetime
import itertools

import pytest

from haven.wellness.insights import (
    PERIODS,
    ChartPoint,
    CheckInPoint,
    feeling_counts,
    gentle_summaries,
    mood_chart,
    streak,
)

# A Wednesday, so the current week in the year view is only partly over.
TODAY = datetime.date(2026, 11, 25)
INVITATION = "Check in a few more times and you'll start to see patterns here."
TREND_UP = "Your mood this week has been a little higher than the week before."
TREND_DOWN = (
    "Your mood this week has been a little lower than the week before. "
    "Be gentle with yourself; it might help to talk to someone."
)


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def checkin(days_ago: int, mood: int, *feelings: str, sleep: float | None = None) -> CheckInPoint:
    return CheckInPoint(day=ago(days_ago), mood=mood, feelings=feelings, sleep_hours=sleep)


def sleep_sentences(summaries: list[str]) -> list[str]:
    return [s for s in summaries if "slept" in s]


def feeling_sentences(summaries: list[str]) -> list[str]:
    return [s for s in summaries if s.startswith("On days you felt")]


# --- mood_chart: buckets -------------------------------------------------------------------


def test_week_is_seven_daily_buckets_ending_today():
    chart = mood_chart([], "week", TODAY)
    assert chart.period == "week"
    assert [p.start for p in chart.points] == [ago(n) for n in range(6, -1, -1)]
    assert chart.points[0].label == "Thu 19 Nov"
    assert chart.points[-1].label == "Wed 25 Nov"
    assert all(p.mood is None and p.count == 0 for p in chart.points)


def test_month_is_thirty_daily_buckets_ending_today():
    chart = mood_chart([], "month", TODAY)
    assert len(chart.points) == 30
    assert chart.points[0].start == datetime.date(2026, 10, 27)
    assert chart.points[-1].start == TODAY
    starts = [p.start for p in chart.points]
    assert all((b - a).days == 1 for a, b in itertools.pairwise(starts))


def test_year_is_fifty_two_monday_weeks_ending_with_this_week():
    chart = mood_chart([], "year", TODAY)
    assert len(chart.points) == 52
    assert all(p.start.weekday() == 0 for p in chart.points)
    assert chart.points[-1].start == datetime.date(2026, 11, 23)  # the Monday of TODAY's week
    assert chart.points[0].start == datetime.date(2025, 12, 1)
    assert chart.points[0].label == "week of 1 Dec"
    starts = [p.start for p in chart.points]
    assert all((b - a).days == 7 for a, b in itertools.pairwise(starts))


def test_periods_table_is_the_documented_one():
    assert PERIODS == {"week": 7, "month": 30, "year": 365}


def test_unknown_period_is_refused():
    with pytest.raises(ValueError, match="fortnight"):
        mood_chart([], "fortnight", TODAY)


# --- mood_chart: values --------------------------------------------------------------------


def test_check_ins_on_one_day_are_averaged():
    chart = mood_chart([checkin(0, 4), checkin(0, 7), checkin(1, 3)], "week", TODAY)
    assert chart.points[-1] == ChartPoint(label="Wed 25 Nov", start=TODAY, mood=5.5, count=2)
    assert chart.points[-2].mood == 3.0
    assert chart.points[-2].count == 1


def test_check_ins_in_one_week_are_averaged_in_the_year_view():
    # Monday, Tuesday and today all fall in the last weekly bucket.
    chart = mood_chart([checkin(2, 5), checkin(1, 6), checkin(0, 6)], "year", TODAY)
    assert chart.points[-1].mood == 5.7  # 17 / 3, rounded to one decimal
    assert chart.points[-1].count == 3
    assert chart.points[-2].count == 0


def test_check_ins_outside_the_period_are_ignored():
    checkins = [
        checkin(7, 1, "lost"),  # one day before the week starts
        checkin(-1, 1, "lost"),  # tomorrow, e.g. a time-zone slip
        checkin(6, 8, "calm"),
        checkin(0, 6, "calm"),
    ]
    chart = mood_chart(checkins, "week", TODAY)
    assert sum(p.count for p in chart.points) == 2
    assert chart.average == 7.0
    assert chart.top_feelings == [("calm", 2)]


def test_average_is_none_without_check_ins():
    chart = mood_chart([], "month", TODAY)
    assert chart.average is None
    assert chart.polylines == []
    assert chart.dots == []
    assert chart.top_feelings == []


# --- mood_chart: coordinates ---------------------------------------------------------------


def test_mood_ten_is_drawn_above_mood_one():
    # Positions are percent of the plot: the page stretches the plot to its card.
    chart = mood_chart([checkin(1, 10), checkin(0, 1)], "week", TODAY)
    (_, y_ten, _), (_, y_one, _) = chart.dots
    assert y_ten < y_one
    assert y_ten == 0.0  # the top of the plot
    assert y_one == 100.0  # the bottom of the plot


def test_y_ticks_cover_the_scale_from_the_bottom_up():
    chart = mood_chart([], "week", TODAY)
    assert [mood for _, mood in chart.y_ticks] == [1, 4, 7, 10]
    ys = [y for y, _ in chart.y_ticks]
    assert ys == sorted(ys, reverse=True)
    assert ys[0] == 100.0
    assert ys[-1] == 0.0


def test_points_are_evenly_spaced_across_the_plot():
    chart = mood_chart([checkin(n, 5) for n in range(7)], "week", TODAY)
    xs = [x for x, _, _ in chart.dots]
    assert xs[0] == 0.0
    assert xs[-1] == 100.0  # the page's padding keeps the edge dots inside the SVG
    # 100 % of plot across 6 gaps; each x is rounded to 2 decimals, so allow that much.
    gaps = [b - a for a, b in itertools.pairwise(xs)]
    assert all(abs(gap - 100 / 6) <= 0.01 for gap in gaps)


def test_a_missing_day_splits_the_line():
    # Data on 6, 5, 4 days ago and on 1, 0 days ago: two runs with a gap between them.
    checkins = [checkin(n, 5) for n in (6, 5, 4, 1, 0)]
    chart = mood_chart(checkins, "week", TODAY)
    assert len(chart.polylines) == 2
    assert [len(line.split()) for line in chart.polylines] == [3, 2]
    assert len(chart.dots) == 5


def test_an_unbroken_run_is_one_line():
    chart = mood_chart([checkin(n, 3 + n % 4) for n in range(7)], "week", TODAY)
    assert len(chart.polylines) == 1
    assert len(chart.polylines[0].split()) == 7


def test_a_lone_point_is_a_dot_but_not_a_line():
    chart = mood_chart([checkin(6, 5), checkin(3, 7), checkin(1, 5), checkin(0, 5)], "week", TODAY)
    assert len(chart.polylines) == 1  # only the run of yesterday and today
    assert [point.mood for _, _, point in chart.dots] == [5.0, 7.0, 5.0, 5.0]


def test_polyline_points_match_the_dots():
    chart = mood_chart([checkin(1, 8), checkin(0, 2)], "week", TODAY)
    assert chart.polylines == [" ".join(f"{x},{y}" for x, y, _ in chart.dots)]


def test_x_ticks_are_a_readable_subset():
    for period in PERIODS:
        chart = mood_chart([], period, TODAY)
        assert 1 <= len(chart.x_ticks) <= 7
        assert (chart.x_ticks[0].x, chart.x_ticks[-1].x) == (0.0, 100.0)  # oldest and newest
    week = mood_chart([], "week", TODAY)
    assert [tick.label for tick in week.x_ticks] == [
        "Thu 19", "Fri 20", "Sat 21", "Sun 22", "Mon 23", "Tue 24", "Wed 25"
    ]  # fmt: skip


# --- feelings ------------------------------------------------------------------------------


def test_top_feelings_are_ordered_by_count_then_alphabetically():
    checkins = [
        checkin(0, 5, "tired", "anxious"),
        checkin(1, 5, "tired", "hopeful"),
        checkin(2, 5, "tired", "calm"),
        checkin(3, 5, "hopeful", "anxious"),
        checkin(4, 5, "lonely", "grateful"),
        checkin(5, 5, "angry"),
    ]
    chart = mood_chart(checkins, "week", TODAY)
    assert chart.top_feelings == [
        ("tired", 3),
        ("anxious", 2),
        ("hopeful", 2),
        ("angry", 1),
        ("calm", 1),
    ]


def test_feeling_counts_count_a_feeling_once_per_check_in():
    checkins = [checkin(0, 5, "calm", "calm"), checkin(1, 5, "calm"), checkin(1, 5, "sad")]
    assert feeling_counts(checkins) == [("calm", 2), ("sad", 1)]


# --- streak --------------------------------------------------------------------------------


def test_streak_counts_back_from_today():
    assert streak([ago(0), ago(1), ago(2), ago(5)], TODAY).current == 3


def test_streak_is_kept_when_not_checked_in_yet_today():
    assert streak([ago(1), ago(2), ago(3)], TODAY).current == 3


def test_streak_is_broken_after_a_missed_day():
    result = streak([ago(2), ago(3), ago(4)], TODAY)
    assert result.current == 0
    assert result.longest == 3


def test_longest_streak_and_duplicate_days():
    days = [ago(0), ago(0), ago(1), ago(10), ago(11), ago(12), ago(13), ago(20)]
    result = streak(days, TODAY)
    assert result.current == 2
    assert result.longest == 4


def test_no_days_means_no_streak():
    result = streak([], TODAY)
    assert (result.current, result.longest) == (0, 0)


# --- gentle summaries: sparse data ---------------------------------------------------------


def test_sparse_data_gets_an_invitation():
    assert gentle_summaries([], TODAY) == [INVITATION]
    # Many check-ins on only two days are still only two days.
    several = [checkin(0, 5), checkin(0, 6), checkin(0, 7), checkin(1, 5), checkin(1, 4)]
    assert gentle_summaries(several, TODAY) == [INVITATION]


def test_check_ins_older_than_ninety_days_do_not_count():
    old = [checkin(90, 5), checkin(0, 5), checkin(1, 5)]  # 90 days ago is just outside
    assert gentle_summaries(old, TODAY) == [INVITATION]
    recent = [checkin(89, 5), checkin(0, 5), checkin(1, 5)]
    assert gentle_summaries(recent, TODAY) == []


# --- gentle summaries: sleep ---------------------------------------------------------------


def test_sleep_sentence_when_more_sleep_goes_with_higher_mood():
    checkins = [checkin(n, 7, sleep=8) for n in (1, 3, 5)]
    checkins += [checkin(n, 5, sleep=6) for n in (2, 4, 6)]
    assert sleep_sentences(gentle_summaries(checkins, TODAY)) == [
        "Your mood was higher on days you slept 7 or more hours (7.0 on average, against 5.0)."
    ]


def test_sleep_sentence_is_gentle_when_more_sleep_goes_with_lower_mood():
    checkins = [checkin(n, 4, sleep=9) for n in (1, 3, 5)]
    checkins += [checkin(n, 6, sleep=5.5) for n in (2, 4, 6)]
    assert sleep_sentences(gentle_summaries(checkins, TODAY)) == [
        "Your mood was a little lower on days you slept 7 or more hours "
        "(4.0 on average, against 6.0)."
    ]


def test_exactly_seven_hours_counts_as_enough_sleep():
    checkins = [checkin(n, 8, sleep=7) for n in (1, 3, 5)]
    checkins += [checkin(n, 5, sleep=6.9) for n in (2, 4, 6)]
    assert "(8.0 on average, against 5.0)" in sleep_sentences(gentle_summaries(checkins, TODAY))[0]


def test_no_sleep_sentence_with_only_two_rested_days():
    checkins = [checkin(n, 9, sleep=8) for n in (1, 3)]
    checkins += [checkin(n, 3, sleep=5) for n in (2, 4, 6, 8)]
    checkins += [checkin(n, 9) for n in (10, 12)]  # no sleep answer: in neither group
    assert sleep_sentences(gentle_summaries(checkins, TODAY)) == []


def test_no_sleep_sentence_for_a_small_difference():
    rested_moods = [6, 5, 5, 6, 5, 6, 5, 5, 5, 5]  # 5.3 on average
    checkins = [checkin(2 * n, mood, sleep=8) for n, mood in enumerate(rested_moods)]
    checkins += [checkin(2 * n + 1, 5, sleep=6) for n in range(10)]  # 5.0 on average
    assert sleep_sentences(gentle_summaries(checkins, TODAY)) == []


def test_several_check_ins_on_a_day_count_as_one_day_for_sleep():
    # Three check-ins on one rested day are one day, not three: only 2 rested days in all.
    checkins = [checkin(1, 9, sleep=8), checkin(1, 9, sleep=8), checkin(1, 9, sleep=8)]
    checkins += [checkin(3, 9, sleep=8)]
    checkins += [checkin(n, 3, sleep=5) for n in (2, 4, 6)]
    assert sleep_sentences(gentle_summaries(checkins, TODAY)) == []


def test_a_month_of_alternating_sleep_gives_the_right_numbers():
    checkins = []
    for n in range(30):
        if n % 2 == 0:
            # Rested days: mood 7, or 6 on every fourth day -> (8*6 + 7*7) / 15 = 6.47
            checkins.append(checkin(n, 6 if n % 4 == 0 else 7, sleep=8.0))
        else:
            # Short nights: mood 5, or 4 on every third day -> (5*4 + 10*5) / 15 = 4.67
            checkins.append(checkin(n, 4 if n % 3 == 0 else 5, sleep=6.0))
    summaries = gentle_summaries(checkins, TODAY)
    assert sleep_sentences(summaries) == [
        "Your mood was higher on days you slept 7 or more hours (6.5 on average, against 4.7)."
    ]
    assert INVITATION not in summaries


# --- gentle summaries: feelings ------------------------------------------------------------


def test_feeling_sentence_names_the_feeling_with_the_largest_difference():
    checkins = [checkin(n, 5) for n in range(20)]
    for n in (1, 5, 9, 13):
        checkins[n] = checkin(n, 8, "hopeful")
    for n in (2, 6, 10):
        checkins[n] = checkin(n, 4, "tired")
    # hopeful: 8.0 against (3*4 + 13*5) / 16 = 4.8; tired: 4.0 against 5.7. Hopeful differs more.
    assert feeling_sentences(gentle_summaries(checkins, TODAY)) == [
        "On days you felt hopeful, your mood was higher (8.0 against 4.8)."
    ]


def test_feeling_sentence_is_gentle_for_a_lower_mood():
    checkins = [checkin(n, 4, "tired") if n in (2, 6, 10) else checkin(n, 5) for n in range(12)]
    assert feeling_sentences(gentle_summaries(checkins, TODAY)) == [
        "On days you felt tired, your mood was a little lower (4.0 against 5.0)."
    ]


def test_equal_feeling_differences_are_broken_alphabetically():
    checkins = [checkin(n, 5) for n in range(12)]
    for n in (1, 3, 5):
        checkins[n] = checkin(n, 8, "hopeful")
    for n in (2, 4, 6):
        checkins[n] = checkin(n, 8, "calm")
    assert feeling_sentences(gentle_summaries(checkins, TODAY))[0].startswith(
        "On days you felt calm,"
    )


def test_no_feeling_sentence_for_a_feeling_on_only_two_days():
    checkins = [checkin(n, 9, "hopeful") if n in (1, 2) else checkin(n, 4) for n in range(12)]
    assert feeling_sentences(gentle_summaries(checkins, TODAY)) == []


def test_no_feeling_sentence_for_a_small_difference():
    # hopeful days average 5.7 against 5.0 elsewhere: under a whole point.
    moods = {1: 6, 2: 6, 3: 5}
    checkins = [checkin(n, moods[n], "hopeful") if n in moods else checkin(n, 5) for n in range(12)]
    assert feeling_sentences(gentle_summaries(checkins, TODAY)) == []


# --- gentle summaries: trend ---------------------------------------------------------------


def test_trend_up():
    checkins = [checkin(n, 7) for n in range(7)] + [checkin(n, 5) for n in range(7, 14)]
    assert gentle_summaries(checkins, TODAY) == [TREND_UP]


def test_trend_down_suggests_kindness_and_talking():
    checkins = [checkin(n, 4) for n in (0, 2, 4)] + [checkin(n, 6) for n in (8, 10, 12)]
    assert gentle_summaries(checkins, TODAY) == [TREND_DOWN]


def test_no_trend_with_only_two_days_in_a_week():
    checkins = [checkin(n, 8) for n in (0, 3)] + [checkin(n, 4) for n in (7, 9, 11)]
    summaries = gentle_summaries(checkins, TODAY)
    assert TREND_UP not in summaries
    assert TREND_DOWN not in summaries


def test_no_trend_for_a_small_change():
    checkins = [checkin(n, 6) for n in (0, 1, 2)]
    checkins += [checkin(n, m) for n, m in ((7, 6), (8, 6), (9, 5))]  # 6.0 against 5.7
    assert gentle_summaries(checkins, TODAY) == []


# --- gentle summaries: weekday -------------------------------------------------------------


def test_brighter_weekday_after_four_weeks():
    checkins = [checkin(n, 8 if ago(n).weekday() == 5 else 5) for n in range(56)]
    assert gentle_summaries(checkins, TODAY) == ["Saturdays tend to be your brighter days."]


def test_no_weekday_sentence_with_under_four_weeks_of_data():
    # Monday 2 Nov to Sunday 22 Nov: three whole weeks, three Saturdays.
    checkins = [checkin(n, 8 if ago(n).weekday() == 5 else 5) for n in range(3, 24)]
    assert ago(23) == datetime.date(2026, 11, 2)
    assert gentle_summaries(checkins, TODAY) == []


def test_no_weekday_sentence_for_a_small_lift():
    checkins = [checkin(n, 6 if ago(n).weekday() == 5 else 5) for n in range(56)]
    assert gentle_summaries(checkins, TODAY) == []


# --- tone ----------------------------------------------------------------------------------


def test_summaries_never_exceed_four_and_stay_gentle():
    checkins = []
    for n in range(84):
        weekday = ago(n).weekday()
        mood = 9 if weekday == 5 else 3 if n < 7 else 6
        feelings = ("hopeful",) if weekday == 5 else ()
        checkins.append(checkin(n, mood, *feelings, sleep=8 if weekday == 5 else 6))
    summaries = gentle_summaries(checkins, TODAY)
    assert len(summaries) == 4
    assert TREND_DOWN in summaries
    for sentence in summaries:
        assert "!" not in sentence
        assert "you should" not in sentence.lower()


def test_moods_outside_the_scale_are_refused():
    with pytest.raises(ValueError, match="mood"):
        CheckInPoint(day=TODAY, mood=11)
    with pytest.raises(ValueError, match="mood"):
        CheckInPoint(day=TODAY, mood=0)
