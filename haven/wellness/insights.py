"""Mood chart data and gentle summaries from one person's own check-ins.

Pure Python on purpose: no database, and of Django only its translations. Views load the
member's check-ins, turn them into ``CheckInPoint`` values and hand them here, so every number
on the page can be tested without a database and nothing here can ever see anyone else's data.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from haven.core.dates import MONTH_ABBREVIATIONS, WEEKDAY_ABBREVIATIONS

__all__ = [
    "PERIODS",
    "ChartPoint",
    "CheckInPoint",
    "MoodChart",
    "Streak",
    "Trend",
    "XTick",
    "feeling_counts",
    "gentle_summaries",
    "mood_chart",
    "streak",
]

MOOD_MIN = 1
MOOD_MAX = 10

# Days each period covers. "year" is drawn as 52 weekly buckets rather than 365 daily ones:
# a year of daily points is unreadable at chart size.
PERIODS: dict[str, int] = {"week": 7, "month": 30, "year": 365}
YEAR_WEEKS = 52

# Chart geometry is in percent of the plot area (0..100 both ways), not pixels: the page draws
# the plot at whatever width its card has, while labels keep their own size in CSS pixels.
PLOT_SIZE = 100
Y_TICK_MOODS = (1, 4, 7, 10)
# Dates along the bottom: up to 7 where the chart is wide, first, middle and last on a phone.
WIDE_X_TICKS = 7
NARROW_X_TICKS = 3
TOP_FEELINGS = 5
# What the period is called in the trend sentence ("over these 30 days").
_PERIOD_PHRASE = {
    "week": gettext_lazy("these 7 days"),
    "month": gettext_lazy("these 30 days"),
    "year": gettext_lazy("this past year"),
}

# Summaries look back this far only: old months say little about how someone is now.
SUMMARY_WINDOW_DAYS = 90
MIN_DAYS = 3  # fewer days than this is noise, not a pattern
SLEEP_ENOUGH_HOURS = 7.0
SLEEP_MIN_DIFFERENCE = 0.5
FEELING_MIN_DIFFERENCE = 1.0
TREND_MIN_DIFFERENCE = 0.5
WEEKDAY_MIN_DIFFERENCE = 1.0
WEEKDAY_MIN_WEEKS = 4
# Absorbs float error so that e.g. 6.0 against 5.5 still counts as a 0.5 difference.
_EPSILON = 1e-9

INVITATION = gettext_lazy("Check in a few more times and you'll start to see patterns here.")

_BRIGHTER_WEEKDAY = (
    gettext_lazy("Mondays tend to be your brighter days."),
    gettext_lazy("Tuesdays tend to be your brighter days."),
    gettext_lazy("Wednesdays tend to be your brighter days."),
    gettext_lazy("Thursdays tend to be your brighter days."),
    gettext_lazy("Fridays tend to be your brighter days."),
    gettext_lazy("Saturdays tend to be your brighter days."),
    gettext_lazy("Sundays tend to be your brighter days."),
)
# A feeling's stored value, as the word that ends "On days you felt …".
_FELT = {
    "anxious": pgettext_lazy("On days you felt …", "anxious"),
    "calm": pgettext_lazy("On days you felt …", "calm"),
    "lonely": pgettext_lazy("On days you felt …", "lonely"),
    "hopeful": pgettext_lazy("On days you felt …", "hopeful"),
    "sad": pgettext_lazy("On days you felt …", "sad"),
    "grateful": pgettext_lazy("On days you felt …", "grateful"),
    "tired": pgettext_lazy("On days you felt …", "tired"),
    "angry": pgettext_lazy("On days you felt …", "angry"),
    "overwhelmed": pgettext_lazy("On days you felt …", "overwhelmed"),
    "connected": pgettext_lazy("On days you felt …", "connected"),
    "numb": pgettext_lazy("On days you felt …", "numb"),
    "proud": pgettext_lazy("On days you felt …", "proud"),
}


@dataclass(frozen=True)
class CheckInPoint:
    day: datetime.date  # the member's local date of the check-in
    mood: int  # 1..10
    feelings: tuple[str, ...] = ()
    sleep_hours: float | None = None

    def __post_init__(self) -> None:
        # A mood outside the scale would be drawn outside the chart; fail loudly instead.
        if not MOOD_MIN <= self.mood <= MOOD_MAX:
            raise ValueError(f"mood must be between {MOOD_MIN} and {MOOD_MAX}, not {self.mood}")
        if self.sleep_hours is not None and not 0 <= self.sleep_hours <= 24:
            raise ValueError(f"sleep_hours must be between 0 and 24, not {self.sleep_hours}")


@dataclass(frozen=True)
class ChartPoint:
    label: str  # human label for the x position, e.g. "Mon 23 Nov" or "week of 2 Nov"
    start: datetime.date  # first day this point covers
    mood: float | None  # mean mood (1 decimal) or None when no check-in in that bucket
    count: int  # check-ins in the bucket


@dataclass(frozen=True)
class XTick:
    x: float  # percent of the plot width
    label: str  # shown where the chart is wide: "Wed 25" in a week, else "25 Nov"
    short: str  # shown on a phone: "25 Nov"
    narrow: bool  # one of the few ticks kept on a phone (always the first and the last)
    anchor: str  # SVG text-anchor: "start" | "middle" | "end", so edge labels stay in the card


@dataclass(frozen=True)
class Trend:
    """A straight line fitted by least squares through the buckets that have check-ins."""

    direction: str  # "rising" | "steady" | "lower"
    change: float  # fitted change in mood from the first to the last check-in shown, 1 decimal
    x1: float  # plot percent of the fitted line's ends (first and last bucket with data)
    y1: float
    x2: float
    y2: float
    sentence: str  # the same trend in words, for everyone and for screen readers


@dataclass(frozen=True)
class MoodChart:
    period: str  # "week" | "month" | "year"
    points: list[ChartPoint]
    # SVG "x,y x,y ..." strings in plot percent (a 0 0 100 100 viewBox); a bucket with no data
    # breaks the line into separate polylines.
    polylines: list[str]
    dots: list[tuple[float, float, ChartPoint]]  # x%, y% and the point, for <circle> with <title>
    y_ticks: list[tuple[float, int]]  # y% and mood value, lowest mood first
    x_ticks: list[XTick]  # a readable subset of the points, oldest first
    trend: Trend | None  # None until a few buckets have check-ins
    trend_note: str  # the trend sentence, or why there is no trend yet
    average: float | None
    top_feelings: list[tuple[str, int]]  # up to 5 (feeling, count), ties broken alphabetically


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive days ending today, or ending yesterday if none today yet
    longest: int


def _round1(value: float) -> float:
    # Half-up, not Python's round-half-even: people expect 6.25 to be shown as 6.3.
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _number(value: float) -> str:
    """One decimal, written as the reader writes it: "6.3" in English, "6,3" in Spanish."""
    return number_format(_round1(value), 1)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _day_label(day: datetime.date) -> str:
    return f"{WEEKDAY_ABBREVIATIONS[day.weekday()]} {day.day} {MONTH_ABBREVIATIONS[day.month - 1]}"


def _week_label(monday: datetime.date) -> str:
    return gettext("week of %(day)s %(month)s") % {
        "day": monday.day,
        "month": MONTH_ABBREVIATIONS[monday.month - 1],
    }


def _short_label(day: datetime.date) -> str:
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]}"


def _x_at(index: int, count: int) -> float:
    # Every period has several buckets, so there is always a gap to divide by.
    return round(index * PLOT_SIZE / (count - 1), 2)


def _y_at(mood: float) -> float:
    # SVG y grows downwards, so the best mood sits at the top of the plot.
    return round((MOOD_MAX - mood) / (MOOD_MAX - MOOD_MIN) * PLOT_SIZE, 2)


def _spread(count: int, ticks: int) -> list[int]:
    """`ticks` indexes spread evenly over `count` points, always the first and the last."""
    if count <= ticks:
        return list(range(count))
    return [round(i * (count - 1) / (ticks - 1)) for i in range(ticks)]


def _x_ticks(points: Sequence[ChartPoint], period: str) -> list[XTick]:
    wide = _spread(len(points), WIDE_X_TICKS)
    # Picked from the wide ticks so a phone shows a subset of the same labels.
    narrow = {wide[i] for i in _spread(len(wide), NARROW_X_TICKS)}
    ticks = []
    for position, index in enumerate(wide):
        point = points[index]
        anchor = "start" if position == 0 else "end" if position == len(wide) - 1 else "middle"
        short = _short_label(point.start)
        # Labels stay short enough not to touch at the narrowest wide chart: a week names its
        # days, a month and a year their dates; the table keeps the full words.
        day = f"{WEEKDAY_ABBREVIATIONS[point.start.weekday()]} {point.start.day}"
        ticks.append(
            XTick(
                x=_x_at(index, len(points)),
                label=day if period == "week" else short,
                short=short,
                narrow=index in narrow,
                anchor=anchor,
            )
        )
    return ticks


def _trend(points: Sequence[ChartPoint], period: str) -> Trend | None:
    """Least-squares line through the buckets with check-ins, in kind words; None if too few."""
    known = [(i, p.mood) for i, p in enumerate(points) if p.mood is not None]
    if len(known) < MIN_DAYS:
        return None
    xs = [float(i) for i, _ in known]
    ys = [mood for _, mood in known]
    mean_x, mean_y = _mean(xs), _mean(ys)
    spread_x = math.fsum((x - mean_x) ** 2 for x in xs)
    slope = math.fsum((x - mean_x) * (y - mean_y) for x, y in known) / spread_x

    def fitted(x: float) -> float:
        # The fitted line can overshoot the scale at its ends; the chart has no room beyond it.
        return min(MOOD_MAX, max(MOOD_MIN, mean_y + slope * (x - mean_x)))

    first, last = xs[0], xs[-1]
    change = slope * (last - first)
    phrase = _PERIOD_PHRASE[period]
    if change >= TREND_MIN_DIFFERENCE - _EPSILON:
        direction = "rising"
        sentence = gettext("Your mood has been gently rising over %(period)s.") % {"period": phrase}
    elif change <= -(TREND_MIN_DIFFERENCE - _EPSILON):
        # A dip is described softly, with care, never as a warning.
        direction = "lower"
        sentence = gettext(
            "Your mood has drifted a little lower over %(period)s. Be gentle with yourself; "
            "harder stretches are part of being human."
        ) % {"period": phrase}
    else:
        direction = "steady"
        sentence = gettext("Your mood has stayed fairly steady over %(period)s.") % {
            "period": phrase
        }
    return Trend(
        direction=direction,
        change=_round1(change),
        x1=_x_at(int(first), len(points)),
        y1=_y_at(fitted(first)),
        x2=_x_at(int(last), len(points)),
        y2=_y_at(fitted(last)),
        sentence=sentence,
    )


def feeling_counts(checkins: Iterable[CheckInPoint]) -> list[tuple[str, int]]:
    """How many check-ins named each feeling, most frequent first, ties alphabetical."""
    counts: Counter[str] = Counter()
    for checkin in checkins:
        # A feeling named twice in one check-in is still one check-in with that feeling.
        counts.update(set(checkin.feelings))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _buckets(period: str, today: datetime.date) -> list[tuple[datetime.date, datetime.date, str]]:
    """(first day, last day, label) for each x position, oldest first."""
    if period == "year":
        # Weeks start on Monday; the last bucket is the (possibly partial) current week.
        this_monday = today - datetime.timedelta(days=today.weekday())
        mondays = [
            this_monday - datetime.timedelta(weeks=back) for back in range(YEAR_WEEKS - 1, -1, -1)
        ]
        return [(m, m + datetime.timedelta(days=6), _week_label(m)) for m in mondays]
    days = [today - datetime.timedelta(days=back) for back in range(PERIODS[period] - 1, -1, -1)]
    return [(d, d, _day_label(d)) for d in days]


def mood_chart(checkins: Iterable[CheckInPoint], period: str, today: datetime.date) -> MoodChart:
    """Everything a template needs to draw one period of mood as an inline SVG.

    Positions are percentages of the plot, so the page can stretch the plot to its card while
    its labels stay readable (see wellness/_mood_chart.html).
    """
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}; expected one of {', '.join(PERIODS)}")

    buckets = _buckets(period, today)
    first_day = buckets[0][0]
    # Ignore anything dated after today too: a clock or time-zone slip must not draw the future.
    in_period = [c for c in checkins if first_day <= c.day <= today]

    # Buckets are contiguous and equally long, so a check-in's bucket is plain arithmetic.
    span = (buckets[0][1] - first_day).days + 1
    moods_by_bucket: list[list[int]] = [[] for _ in buckets]
    for checkin in in_period:
        moods_by_bucket[(checkin.day - first_day).days // span].append(checkin.mood)

    points = [
        ChartPoint(
            label=label,
            start=start,
            mood=_round1(_mean(moods)) if moods else None,
            count=len(moods),
        )
        for (start, _end, label), moods in zip(buckets, moods_by_bucket, strict=True)
    ]

    dots: list[tuple[float, float, ChartPoint]] = []
    polylines: list[str] = []
    run: list[str] = []
    for index, point in enumerate(points):
        if point.mood is None:
            # A missing day is a gap, not a zero: end the current line here.
            if len(run) > 1:
                polylines.append(" ".join(run))
            run = []
            continue
        x, y = _x_at(index, len(points)), _y_at(point.mood)
        dots.append((x, y, point))
        run.append(f"{x},{y}")
    # A lone point makes an invisible one-point polyline; its dot already shows it.
    if len(run) > 1:
        polylines.append(" ".join(run))

    trend = _trend(points, period)
    if trend is not None:
        trend_note = trend.sentence
    elif dots:
        trend_note = gettext(
            "Check in on a few more days and a line here will show which way your mood is heading."
        )
    else:
        trend_note = ""

    moods = [c.mood for c in in_period]
    return MoodChart(
        period=period,
        points=points,
        polylines=polylines,
        dots=dots,
        y_ticks=[(_y_at(mood), mood) for mood in Y_TICK_MOODS],
        x_ticks=_x_ticks(points, period),
        trend=trend,
        trend_note=trend_note,
        average=_round1(_mean(moods)) if moods else None,
        top_feelings=feeling_counts(in_period)[:TOP_FEELINGS],
    )


def streak(days: Iterable[datetime.date], today: datetime.date) -> Streak:
    """Consecutive check-in days. Not checked in yet today does not break the streak."""
    unique = sorted({d for d in days if d <= today})

    longest = 0
    run = 0
    previous: datetime.date | None = None
    for day in unique:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day

    present = set(unique)
    yesterday = today - datetime.timedelta(days=1)
    cursor = today if today in present else yesterday
    current = 0
    while cursor in present:
        current += 1
        cursor -= datetime.timedelta(days=1)
    return Streak(current=current, longest=longest)


@dataclass
class _Day:
    """One calendar day of check-ins, folded together so busy days don't count double."""

    moods: list[int]
    sleeps: list[float]
    feelings: set[str]

    @property
    def mood(self) -> float:
        return _mean(self.moods)

    @property
    def sleep(self) -> float | None:
        return _mean(self.sleeps) if self.sleeps else None


def _by_day(
    checkins: Iterable[CheckInPoint], first: datetime.date, last: datetime.date
) -> dict[datetime.date, _Day]:
    days: dict[datetime.date, _Day] = defaultdict(lambda: _Day([], [], set()))
    for checkin in checkins:
        if first <= checkin.day <= last:
            day = days[checkin.day]
            day.moods.append(checkin.mood)
            if checkin.sleep_hours is not None:
                day.sleeps.append(checkin.sleep_hours)
            day.feelings.update(checkin.feelings)
    return dict(days)


def _sleep_sentence(days: dict[datetime.date, _Day]) -> str | None:
    # Days without a sleep answer sit in neither group rather than being guessed at.
    slept = [(d.sleep, d.mood) for d in days.values() if d.sleep is not None]
    rested = [mood for hours, mood in slept if hours >= SLEEP_ENOUGH_HOURS]
    short = [mood for hours, mood in slept if hours < SLEEP_ENOUGH_HOURS]
    if len(rested) < MIN_DAYS or len(short) < MIN_DAYS:
        return None
    rested_mean, short_mean = _mean(rested), _mean(short)
    if abs(rested_mean - short_mean) < SLEEP_MIN_DIFFERENCE - _EPSILON:
        return None
    numbers = {"rested": _number(rested_mean), "short": _number(short_mean)}
    if rested_mean > short_mean:
        return (
            gettext(
                "Your mood was higher on days you slept 7 or more hours (%(rested)s on average, "
                "against %(short)s)."
            )
            % numbers
        )
    return (
        gettext(
            "Your mood was a little lower on days you slept 7 or more hours (%(rested)s on "
            "average, against %(short)s)."
        )
        % numbers
    )


def _feeling_sentence(days: dict[datetime.date, _Day]) -> str | None:
    all_feelings = sorted({f for d in days.values() for f in d.feelings})
    best: tuple[float, str, float, float] | None = None
    for feeling in all_feelings:
        with_it = [d.mood for d in days.values() if feeling in d.feelings]
        without = [d.mood for d in days.values() if feeling not in d.feelings]
        # Both sides need a few days: one odd day on either side is not a pattern.
        if len(with_it) < MIN_DAYS or len(without) < MIN_DAYS:
            continue
        difference = _mean(with_it) - _mean(without)
        if abs(difference) < FEELING_MIN_DIFFERENCE - _EPSILON:
            continue
        # Strictly larger only, so equal differences keep the alphabetically first feeling.
        if best is None or abs(difference) > abs(best[0]) + _EPSILON:
            best = (difference, feeling, _mean(with_it), _mean(without))
    if best is None:
        return None
    difference, feeling, with_mean, without_mean = best
    words = {
        "feeling": _FELT.get(feeling, feeling),
        "with": _number(with_mean),
        "without": _number(without_mean),
    }
    if difference > 0:
        return (
            gettext("On days you felt %(feeling)s, your mood was higher (%(with)s against "
                    "%(without)s).")
            % words
        )  # fmt: skip
    return (
        gettext("On days you felt %(feeling)s, your mood was a little lower (%(with)s against "
                "%(without)s).")
        % words
    )  # fmt: skip


def _trend_sentence(days: dict[datetime.date, _Day], today: datetime.date) -> str | None:
    this_week = [d.mood for day, d in days.items() if (today - day).days < 7]
    week_before = [d.mood for day, d in days.items() if 7 <= (today - day).days < 14]
    if len(this_week) < MIN_DAYS or len(week_before) < MIN_DAYS:
        return None
    difference = _mean(this_week) - _mean(week_before)
    if abs(difference) < TREND_MIN_DIFFERENCE - _EPSILON:
        return None
    if difference > 0:
        return gettext("Your mood this week has been a little higher than the week before.")
    # A dip gets a soft nudge towards people, never a verdict.
    return gettext(
        "Your mood this week has been a little lower than the week before. "
        "Be gentle with yourself; it might help to talk to someone."
    )


def _weekday_sentence(days: dict[datetime.date, _Day]) -> str | None:
    # "Four weeks of data" means check-ins in at least four different Monday-to-Sunday weeks.
    weeks = {day - datetime.timedelta(days=day.weekday()) for day in days}
    if len(weeks) < WEEKDAY_MIN_WEEKS:
        return None
    overall = _mean([d.mood for d in days.values()])
    by_weekday: dict[int, list[float]] = defaultdict(list)
    for day, d in days.items():
        by_weekday[day.weekday()].append(d.mood)
    best: tuple[float, int] | None = None
    for weekday in sorted(by_weekday):
        moods = by_weekday[weekday]
        if len(moods) < MIN_DAYS:
            continue
        lift = _mean(moods) - overall
        if lift < WEEKDAY_MIN_DIFFERENCE - _EPSILON:
            continue
        if best is None or lift > best[0] + _EPSILON:
            best = (lift, weekday)
    if best is None:
        return None
    return str(_BRIGHTER_WEEKDAY[best[1]])


def gentle_summaries(checkins: Iterable[CheckInPoint], today: datetime.date) -> list[str]:
    """Up to four plain, kind observations, each only when the member's own data shows it.

    Only the last 90 days count. These describe; they never diagnose or grade.
    """
    first = today - datetime.timedelta(days=SUMMARY_WINDOW_DAYS - 1)
    days = _by_day(checkins, first, today)
    if len(days) < MIN_DAYS:
        return [str(INVITATION)]
    sentences = [
        _sleep_sentence(days),
        _feeling_sentence(days),
        _trend_sentence(days, today),
        _weekday_sentence(days),
    ]
    return [s for s in sentences if s is not None]
