"""The mood chart in a real browser, on a phone and on a desktop, in light and dark: it fits its
card, every label is readable (12 px or more), the newest point is inside the plot, and the
dashed trend line is drawn and said in words."""

import datetime
import itertools
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.accounts.zones import member_today
from haven.wellness.models import MoodCheckIn
from tests.browser.conftest import SCREENSHOT_DIR, log_in

pytestmark = pytest.mark.browser

PASSWORD = "quiet-morning-by-the-river-4"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
RISING = "Your mood has been gently rising over these 30 days."
# The theme tokens of haven.css, as the browser reports them.
ACCENT = {"light": "rgb(47, 95, 111)", "dark": "rgb(140, 199, 214)"}

# Everything the assertions need from the page, measured by the browser itself.
MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
            width: r.width, height: r.height}; };
  const card = document.querySelector('figure.mood-chart');
  const svg = card.querySelector('svg.chart-svg');
  const shown = (el) => el.checkVisibility() && el.getBoundingClientRect().width > 0;
  const labels = [...card.querySelectorAll('svg.chart-svg .chart-label')].filter(shown);
  const trend = svg.querySelector('line.chart-trend');
  const cardStyle = getComputedStyle(card);
  return {
    card: box(card),
    cardContentWidth: card.clientWidth - parseFloat(cardStyle.paddingLeft)
      - parseFloat(cardStyle.paddingRight),
    svg: box(svg),
    labels: labels.map((el) => ({
      text: el.textContent, box: box(el), fontSize: parseFloat(getComputedStyle(el).fontSize),
      axis: el.classList.contains('chart-x') ? 'x' : 'y'})),
    newest: box(svg.querySelector('.chart-dot--newest')),
    dots: svg.querySelectorAll('circle.chart-dot').length,
    trend: trend ? {box: box(trend), dashes: getComputedStyle(trend).strokeDasharray} : null,
    lineStroke: getComputedStyle(svg.querySelector('.chart-line')).stroke,
    pageOverflows: document.documentElement.scrollWidth > window.innerWidth,
  };
}"""


def month_mood(i: int) -> int:
    """Day i of 30 (0 = 29 days ago): rising from 1 to 10 with small ups and downs."""
    if i == 0:
        return 1
    return min(10, 3 + round(i * 6 / 29) + (1 if i % 3 == 2 else 0))


@pytest.fixture
def member_with_a_month(transactional_db):
    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    member = do_create_user("river", PASSWORD, guidelines_version=guidelines.version)
    today = member_today(member)
    MoodCheckIn.objects.bulk_create(
        MoodCheckIn(
            member=member,
            mood=month_mood(i),
            feelings=["calm"],
            sleep_hours=Decimal("7.5"),
            note="",
            created_at=datetime.datetime.combine(
                today - datetime.timedelta(days=29 - i), datetime.time(9), tzinfo=datetime.UTC
            ),
            local_date=today - datetime.timedelta(days=29 - i),
        )
        for i in range(30)
    )
    return member


def weeks_touched(member) -> int:
    """How many Monday-to-Sunday weeks the member's 30 days of check-ins fall in."""
    today = member_today(member)
    days = [today - datetime.timedelta(days=back) for back in range(30)]
    return len({day - datetime.timedelta(days=day.weekday()) for day in days})


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


def check_chart(page, scheme: str, dots: int) -> dict:
    m = page.evaluate(MEASURE)

    # It fits: no wider than its card, nothing sideways to scroll.
    assert m["svg"]["width"] <= m["cardContentWidth"] + 0.5, m
    assert not m["pageOverflows"]

    # Readable labels: mood numbers on the side, at least first, middle and last dates below.
    y_labels = [label for label in m["labels"] if label["axis"] == "y"]
    x_labels = [label for label in m["labels"] if label["axis"] == "x"]
    assert len(y_labels) == 4 and len(x_labels) >= 3, m["labels"]
    for label in m["labels"]:
        assert label["fontSize"] >= 12, label
        assert label["box"]["height"] >= 12, label
        assert inside(label["box"], m["card"]), label
    # Dates never overlap each other.
    x_boxes = sorted((label["box"] for label in x_labels), key=lambda b: b["left"])
    for before, after in itertools.pairwise(x_boxes):
        assert before["right"] <= after["left"], x_boxes

    # The newest point (in the month, a 10 on the last day: the top right corner) is inside.
    assert m["dots"] == dots
    assert inside(m["newest"], m["svg"]), (m["newest"], m["svg"])

    # The dashed trend line is drawn, and the theme's colours are used.
    assert m["trend"] is not None and m["trend"]["box"]["width"] > 0
    assert m["trend"]["dashes"] not in ("", "none")
    assert m["lineStroke"] == ACCENT[scheme]
    return m


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_mood_chart_fits_and_reads_well_on_a_phone_and_a_desktop(
    new_context, shot, member_with_a_month, scheme
):
    page = new_context(viewport=DESKTOP, color_scheme=scheme).new_page()
    log_in(page, "river", PASSWORD)

    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.goto("/wellness/mood/?period=month")
        expect(page.get_by_role("img", name="Your mood, last 30 days")).to_be_visible()
        measured = check_chart(page, scheme, dots=30)
        # A month of check-ins: the trend runs across the whole plot, and says so in words.
        assert measured["trend"]["box"]["width"] > measured["svg"]["width"] / 2
        expect(page.locator("#chart-trend-note")).to_have_text(RISING)
        shot(page, f"{name}-{scheme}")
        # The card alone too, at its real size, for reviewing the chart itself.
        page.locator("figure.mood-chart").screenshot(
            path=str(SCREENSHOT_DIR / f"mood-chart-card-{name}-{scheme}.png")
        )
        if name == "phone":
            # A phone shows fewer, shorter dates; the desktop has room for more.
            assert len([lb for lb in measured["labels"] if lb["axis"] == "x"]) == 3
        else:
            assert len([lb for lb in measured["labels"] if lb["axis"] == "x"]) == 7

        # The week and the year (weekly points: one for each Monday-to-Sunday week the month
        # of check-ins touches, five, or six when today is a Monday) fit as well.
        for period, dots in (("week", 7), ("year", weeks_touched(member_with_a_month))):
            page.goto(f"/wellness/mood/?period={period}")
            check_chart(page, scheme, dots=dots)
            page.locator("figure.mood-chart").screenshot(
                path=str(SCREENSHOT_DIR / f"mood-chart-card-{name}-{scheme}-{period}.png")
            )

    # The same numbers as a table, for anyone who prefers one.
    page.goto("/wellness/mood/?period=month")
    page.get_by_text("Show as a table").click()
    table = page.get_by_role("table", name="Mood by day")
    expect(table.get_by_role("row")).to_have_count(31)
    expect(table.get_by_role("row").last).to_contain_text("10.0")
