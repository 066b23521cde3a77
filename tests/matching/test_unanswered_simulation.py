"""`haven unanswered_simulation` (also bench/unanswered.py): the same seeded day twice, without
and with the routing of unanswered threads, through the real actions and the real job."""

import json
import time
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from haven.accounts.models import User
from haven.matching.management.commands.unanswered_simulation import (
    make_scenario,
    percentile,
    response_to_offer,
)
from haven.matching.models import ResponderOffer
from haven.notifications import presence


def test_the_command_runs_a_tiny_day_and_both_arms_give_figures(db, tmp_path):
    real_now = timezone.now
    out = StringIO()
    call_command(
        "unanswered_simulation", "--threads", "12", "--responders", "6", "--listeners", "2",
        "--hours", "3", "--observe-hours", "2", "--seed", "5", "--use-current-database",
        "--results-dir", str(tmp_path), stdout=out,
    )  # fmt: skip
    lines = out.getvalue().strip().splitlines()
    figures = json.loads(lines[-1])
    without, routed = figures["without_routing"], figures["with_routing"]

    assert without["threads"] == routed["threads"] == 12
    assert without["offers"] == 0 and without["job_runs"] == 0
    # The routing arm really ran the job and offered threads to people.
    assert routed["job_runs"] == 5 * 60 + 1 and routed["offers"] > 0
    assert routed["most_offers_to_one_person_in_an_hour"] <= 3  # the fatigue cap held
    # Offers only add replies to the same day: never fewer answered, never slower at p50.
    assert routed["answered"] >= without["answered"]
    assert routed["unanswered_after_2h"] <= without["unanswered_after_2h"]
    assert "time to first reply p50" in lines[1] and "with routing" in lines[2]
    written = list(tmp_path.glob("unanswered-*.json"))
    assert len(written) == 1 and json.loads(written[0].read_text())["seed"] == 5

    # Each arm was rolled back, and the real clocks are back.
    assert not User.objects.exists() and not ResponderOffer.objects.exists()
    assert timezone.now is real_now and presence.time is time
    assert abs((timezone.now() - real_now()).total_seconds()) < 5


def test_the_scenario_is_the_same_for_the_same_seed_and_responses_do_not_depend_on_order():
    first = make_scenario(seed=3, threads=30, responders=8, listeners=2, hours=24)
    again = make_scenario(seed=3, threads=30, responders=8, listeners=2, hours=24)
    assert first == again
    person = first.responders[0]
    answer = response_to_offer(first, 4, "r0", person, 3600.0, listener=False)
    make_scenario(seed=99, threads=5, responders=2, listeners=1, hours=24)  # other draws between
    assert response_to_offer(first, 4, "r0", person, 3600.0, listener=False) == answer


def test_percentiles_count_unanswered_threads_as_waiting_for_ever():
    assert percentile([10.0, 20.0, 30.0, float("inf")], 0.5) == 20.0
    assert percentile([10.0, float("inf"), float("inf")], 0.5) is None
