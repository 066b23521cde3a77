"""`haven unanswered_simulation`: a day of threads replayed in simulated time, without and with
the routing of threads that wait for a first reply (haven.matching.unanswered), on a throwaway
database; it reports time to first reply and the share of threads still unanswered after two
hours for both. `bench/unanswered.py` runs this same command.

The scenario is drawn from one seed, so both arms see the same day:
* threads (200 by default) posted over 24 hours along an hourly curve (quiet at night, busiest
  in the evening), on six themes, by 80 members, a fifth of them anonymously;
* an organic reply process that does not depend on routing: each thread gets a first reply
  from one of 20 regulars with probability 0.54 (at night) to 0.8 (busiest hour), after a
  log-normal delay (median 40 minutes at the busiest hour, longer when fewer are about);
* peer responders (30), each with one or two themes, a bio and earlier posts about them; most
  opted in from the start, some join during the day and some leave again; each has Haven open
  (the presence heartbeat beaten as the page does) for one or two spells, sees an offer within
  minutes while there or when next there, and answers one on a theme of their own with
  probability 0.65, another with 0.2, unless the thread has been answered by then;
* listeners (4) on duty for a spell each (switched on, Haven open), who answer an offer with
  probability 0.7 on their themes and 0.35 otherwise.

Everything that writes is the real code: threads and replies through haven.forums.actions
(safety screening included), opening posts embedded by haven.matching.indexing, listeners by
haven.chat.actions.do_set_availability, presence by haven.notifications.presence, and in the
routing arm the periodic job's own function, `do_offer_unanswered_threads`, every 60 simulated
seconds, deciding who is offered what. Each arm runs in a transaction rolled back at its end,
in a test database created for the run (in memory with SQLite) and dropped after, with a local
cache and channel layer, so nothing reaches a real page. Embeddings are the light hashing
path by default (fast; `--embedder auto` uses MiniLM when installed).
"""

from __future__ import annotations

import heapq
import json
import math
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import Min, OuterRef, Subquery
from django.test.utils import override_settings
from django.utils import timezone

from haven.accounts.actions import do_create_user, do_publish_guidelines, do_update_profile
from haven.accounts.blocks import do_block_member
from haven.accounts.models import MemberPreferences
from haven.chat.actions import do_set_availability, do_start_training
from haven.chat.models import ListenerProfile
from haven.communities.actions import do_save_community
from haven.communities.models import Community
from haven.core.content import ModerationState
from haven.forums.actions import do_create_reply, do_create_thread
from haven.forums.models import Post, Thread
from haven.matching import unanswered
from haven.matching.indexing import do_embed
from haven.matching.models import Namespace, ResponderOffer
from haven.matching.vectors import current_model
from haven.notifications import presence

HOUR = 3600
JOB_EVERY_SECONDS = 60
# People about at each hour of the day (relative): posting, organic replies, spells online.
HOURLY = [3, 2, 1.5, 1, 1, 1.5, 2, 3, 4, 4.5, 4.5, 4.5, 5, 5, 4.5, 4.5, 5, 5.5, 6, 7, 8, 8, 7, 5]

THEMES = {
    "sleep": (
        ["Awake at 3am again", "Can't switch my mind off at night", "Sleep has fallen apart"],
        "My mind races as soon as I lie down and I watch the clock until the alarm. I am so "
        "tired during the day and I don't know what else to try for my sleep.",
    ),
    "grief": (
        ["Missing my mum", "First birthday without him", "Everyone has moved on but me"],
        "Since the funeral everyone has gone back to normal, but I still reach for the phone "
        "to call. The evenings are the hardest and I miss them so much.",
    ),
    "work": (
        ["Dreading Monday", "Burnt out at my job", "My manager makes me feel small"],
        "Long shifts, overtime every week and a manager who criticises everything. I feel "
        "exhausted before the working day has even started.",
    ),
    "loneliness": (
        ["Moved city and know nobody", "Weekends are so quiet", "Lonely in a busy house"],
        "I moved here for a new start but I have no friends yet. Weekends feel endless and I "
        "talk to nobody from Friday to Monday.",
    ),
    "exams": (
        ["Panicking about finals", "Revision isn't going in", "Scared of failing my course"],
        "Exams start in three weeks and every time I open my notes my chest gets tight. I am "
        "scared of letting my family down if I fail.",
    ),
    "family": (
        ["Arguments at home every day", "My parents don't listen", "Holidays with family"],
        "Every dinner turns into an argument with my parents. I feel like nobody at home "
        "hears me and I dread going back there.",
    ),
}
RESPONDER_WORDS = {
    "sleep": ("Years of insomnia taught me a few gentle tricks for long nights.",
              "What helped my sleep", "Getting up when I couldn't sleep and a fixed wake time."),
    "grief": ("I lost my dad and know how lonely grief can be.",
              "Grief two years on", "The anniversaries were harder than the funeral itself."),
    "work": ("I burnt out in a job with endless overtime and changed careers.",
             "Leaving a job that was breaking me", "A shouting manager and overtime every week."),
    "loneliness": ("I moved abroad alone and slowly built a circle of friends.",
                   "Making friends in a new city", "Volunteering and a weekly class helped me."),
    "exams": ("Exam panic nearly made me quit university; I finished in the end.",
              "Getting through exam panic", "Short revision blocks and breathing before exams."),
    "family": ("I grew up with constant arguments at home and found ways to cope.",
               "When home is full of arguments", "Setting small boundaries with my parents."),
}  # fmt: skip
REPLY_WORDS = [
    "I've been there too. You're not alone in this.",
    "Thank you for sharing this. It sounds really hard.",
    "Sending you a hug. What you're feeling makes sense.",
    "I hear you. Small steps helped me, maybe they can help you too.",
]


# --------------------------------------------------------------------------------------------
# The scenario: drawn once from the seed, the same for both arms
# --------------------------------------------------------------------------------------------


@dataclass
class PlannedThread:
    at: float  # seconds into the day
    author: int
    theme: str
    title: str
    anonymous: bool
    organic_at: float | None  # when a regular first replies on their own, if ever
    organic_by: int


@dataclass
class PlannedPerson:
    themes: list[str]
    around: list[tuple[float, float]]  # spells with Haven open
    opt_in_at: float = 0.0
    opt_out_at: float | None = None


@dataclass
class Scenario:
    seed: int
    hours: int
    horizon: float
    threads: list[PlannedThread] = field(default_factory=list)
    responders: list[PlannedPerson] = field(default_factory=list)
    listeners: list[PlannedPerson] = field(default_factory=list)
    blocks: list[tuple[int, int]] = field(default_factory=list)  # (author, responder)
    authors: int = 80
    regulars: int = 20


def _hour_of_day(rng: random.Random, hours: int) -> float:
    """A moment of the day drawn along the hourly curve."""
    hour = rng.choices(range(24), weights=HOURLY)[0]
    day = rng.randrange(max(1, hours // 24))
    return min(hours * HOUR - 1, (day * 24 + hour) * HOUR + rng.uniform(0, HOUR))


def _spells(rng: random.Random, hours: int, count: int, mean_hours: float) -> list:
    spells = []
    for _ in range(count):
        start = _hour_of_day(rng, hours)
        spells.append((start, start + rng.uniform(0.5, 2 * mean_hours) * HOUR))
    return sorted(spells)


def make_scenario(
    *, seed: int, threads: int, responders: int, listeners: int, hours: int, observe_hours: int = 6
) -> Scenario:
    """`observe_hours`: how long after the last posting time replies are still counted."""
    rng = random.Random(seed)
    scenario = Scenario(seed=seed, hours=hours, horizon=(hours + observe_hours) * HOUR)
    peak = max(HOURLY)
    for _ in range(threads):
        at = _hour_of_day(rng, hours)
        theme = rng.choice(sorted(THEMES))
        busy = HOURLY[int(at // HOUR) % 24] / peak  # 0.125 .. 1
        organic_at = None
        if rng.random() < 0.5 + 0.3 * busy:
            delay = rng.lognormvariate(math.log(40 * 60 / (0.4 + 0.6 * busy)), 1.1)
            organic_at = at + max(120.0, delay)
        scenario.threads.append(
            PlannedThread(
                at=at, author=rng.randrange(scenario.authors), theme=theme,
                title=rng.choice(THEMES[theme][0]), anonymous=rng.random() < 0.2,
                organic_at=organic_at, organic_by=rng.randrange(scenario.regulars),
            )
        )  # fmt: skip
    scenario.threads.sort(key=lambda t: t.at)
    for _ in range(responders):
        person = PlannedPerson(
            themes=rng.sample(sorted(THEMES), rng.choice([1, 2])),
            around=_spells(rng, hours, rng.choice([1, 2]), 2.5),
        )
        if rng.random() < 0.3:  # joins during the day
            person.opt_in_at = _hour_of_day(rng, hours)
        if rng.random() < 0.2:  # leaves during the day
            person.opt_out_at = person.opt_in_at + rng.uniform(2, 10) * HOUR
        scenario.responders.append(person)
    for _ in range(listeners):
        scenario.listeners.append(
            PlannedPerson(themes=rng.sample(sorted(THEMES), 2), around=_spells(rng, hours, 1, 3))
        )
    for _ in range(max(1, responders // 6)):
        scenario.blocks.append((rng.randrange(scenario.authors), rng.randrange(responders)))
    return scenario


def _around(person: PlannedPerson, at: float) -> float | None:
    """When the person next has Haven open, from `at` (None: not again in the run)."""
    for start, end in person.around:
        if start <= at < end:
            return at
        if start > at:
            return start
    return None


def response_to_offer(
    scenario: Scenario, thread_index: int, key: str, person: PlannedPerson, offered_at: float,
    *, listener: bool,
) -> tuple[float, float] | None:  # fmt: skip
    """(seen at, reply written at) if this person would answer this offer; drawn from a
    stream of its own, so it does not depend on the order of events."""
    rng = random.Random(f"{scenario.seed}/{thread_index}/{key}")
    around = _around(person, offered_at)
    if around is None:
        return None
    seen = around + rng.expovariate(1 / ((5 if listener else 8) * 60))
    on_theme = scenario.threads[thread_index].theme in person.themes
    chance = (0.7 if on_theme else 0.35) if listener else (0.65 if on_theme else 0.2)
    if rng.random() >= chance:
        return None
    return seen, seen + rng.uniform(2, 8) * 60


# --------------------------------------------------------------------------------------------
# Simulated time
# --------------------------------------------------------------------------------------------


class Clock:
    start = datetime(2030, 1, 7, 0, 0, tzinfo=UTC)

    def __init__(self) -> None:
        self.seconds = 0.0

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    def time(self) -> float:
        return self.now().timestamp()


@contextmanager
def simulated_clock() -> Iterator[Clock]:
    """Every "now" Haven reads (timezone.now, model defaults, the presence clock) follows the
    clock until the block ends, when the real ones are put back."""
    clock = Clock()
    real_now, real_time = timezone.now, presence.time
    patched = []
    timezone.now = clock.now
    presence.time = clock
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if model_field.default is real_now:
                model_field.default = clock.now
                patched.append(model_field)
    try:
        yield clock
    finally:
        timezone.now, presence.time = real_now, real_time
        for model_field in patched:
            model_field.default = real_now


@contextmanager
def throwaway_database(use_current: bool) -> Iterator[str]:
    """A test database for the run (SQLite: in memory), dropped after; or the current one
    (already a test database, as in the test suite)."""
    if use_current:
        yield "current (rolled back)"
        return
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield str(connection.settings_dict["NAME"])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


LOCAL_ONLY = {
    "CACHES": {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "unanswered-simulation",
        }
    },
    "CHANNEL_LAYERS": {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
}


# --------------------------------------------------------------------------------------------
# One arm
# --------------------------------------------------------------------------------------------


@dataclass
class World:
    support: Any
    authors: list
    regulars: list
    responders: list
    listeners: list  # ListenerProfile
    threads: dict[int, Any] = field(default_factory=dict)  # scenario index -> Thread
    index_of: dict[int, int] = field(default_factory=dict)  # thread pk -> scenario index


def _set_responder(user, on: bool) -> None:
    MemberPreferences.objects.update_or_create(user=user, defaults={"is_peer_responder": on})


def build_world(scenario: Scenario, clock: Clock) -> World:
    clock.seconds = -7 * 24 * HOUR  # a week before the day: accounts and earlier posts
    version = do_publish_guidelines("Be kind.").version

    def member(name: str):
        return do_create_user(f"sim_{name}", None, guidelines_version=version)

    support = do_save_community(slug="sim-support", name="Support", description="Peer support.")
    chatter = do_save_community(slug="sim-chatter", name="Chatter", description="Small talk.")
    Community.objects.filter(pk=chatter.pk).update(is_support=False)
    world = World(
        support=support,
        authors=[member(f"author{n}") for n in range(scenario.authors)],
        regulars=[member(f"regular{n}") for n in range(scenario.regulars)],
        responders=[],
        listeners=[],
    )
    for n, planned in enumerate(scenario.responders):
        user = member(f"responder{n}")
        bio = " ".join(RESPONDER_WORDS[theme][0] for theme in planned.themes)
        do_update_profile(user, bio=bio, topics=planned.themes, country="", email="")
        for theme in planned.themes:
            _, title, body = RESPONDER_WORDS[theme]
            do_create_thread(chatter, title=title, body=body, acting_user=user)
        if planned.opt_in_at <= 0:
            _set_responder(user, True)
        world.responders.append(user)
    for n, planned in enumerate(scenario.listeners):
        profile = do_start_training(member(f"listener{n}"))
        ListenerProfile.objects.filter(pk=profile.pk).update(status=ListenerProfile.Status.LISTENER)
        profile.refresh_from_db()
        do_set_availability(
            profile, is_online=False, topics=planned.themes, languages=["en"], max_chats=2,
            experience=" ".join(RESPONDER_WORDS[theme][0] for theme in planned.themes),
        )  # fmt: skip
        world.listeners.append(profile)
    for author, responder in scenario.blocks:
        do_block_member(world.authors[author], world.responders[responder])
    # What the embedding worker would have done by the start of the day.
    do_embed(Namespace.POST, list(Post.objects.values_list("pk", flat=True)))
    do_embed(Namespace.LISTENER, [p.pk for p in world.listeners])
    return world


def run_arm(scenario: Scenario, clock: Clock, *, routing: bool) -> dict[str, Any]:
    started = time.perf_counter()
    unanswered.forget_responder_vectors()
    with transaction.atomic():
        world = build_world(scenario, clock)
        events: list[tuple[float, int, str, tuple]] = []
        sequence = 0

        def at(when: float, kind: str, *payload) -> None:
            nonlocal sequence
            if when <= scenario.horizon:
                heapq.heappush(events, (when, sequence, kind, payload))
                sequence += 1

        for index, planned in enumerate(scenario.threads):
            at(planned.at, "post", index)
            if planned.organic_at is not None:
                at(planned.organic_at, "organic", index)
        for n, planned in enumerate(scenario.responders):
            if planned.opt_in_at > 0:
                at(planned.opt_in_at, "opt", n, True)
            if planned.opt_out_at is not None:
                at(planned.opt_out_at, "opt", n, False)
        for n, planned in enumerate(scenario.responders):
            for start, end in planned.around:
                at(start, "around", n, True)
                at(end, "around", n, False)
        for n, planned in enumerate(scenario.listeners):
            for start, end in planned.around:
                at(start, "duty", n, True)
                at(end, "duty", n, False)
        if routing:
            for step in range(0, int(scenario.horizon) + 1, JOB_EVERY_SECONDS):
                at(float(step), "job")
        on_duty: set[int] = set()
        around: set[int] = set()  # responders with Haven open
        replied: set[tuple[int, str]] = set()
        jobs = 0

        def answered(thread) -> bool:
            author = thread.first_post.author_id
            return (
                Post.objects.filter(
                    thread=thread, depth__gt=0, moderation_state=ModerationState.VISIBLE
                )
                .exclude(author_id=author)
                .exists()
            )

        while events:
            when, _, kind, payload = heapq.heappop(events)
            clock.seconds = when
            if kind == "post":
                (index,) = payload
                planned = scenario.threads[index]
                thread = do_create_thread(
                    world.support, title=planned.title, body=THEMES[planned.theme][1],
                    is_anonymous=planned.anonymous, acting_user=world.authors[planned.author],
                )  # fmt: skip
                do_embed(Namespace.POST, [thread.first_post_id])  # the worker, seconds later
                world.threads[index] = thread
                world.index_of[thread.pk] = index
            elif kind == "organic":
                (index,) = payload
                regular = world.regulars[scenario.threads[index].organic_by]
                do_create_reply(world.threads[index], body=REPLY_WORDS[0], acting_user=regular)
            elif kind == "opt":
                n, on = payload
                _set_responder(world.responders[n], on)
            elif kind == "around":
                n, on = payload
                user_id = world.responders[n].pk
                if on:
                    around.add(n)
                    presence.beat(user_id, "simulated-tab")
                else:
                    around.discard(n)
                    presence.leave(user_id, "simulated-tab")
            elif kind == "duty":
                n, on = payload
                profile = world.listeners[n]
                do_set_availability(
                    profile, is_online=on, topics=profile.topics, languages=["en"], max_chats=2
                )
                if on:
                    on_duty.add(n)
                    presence.beat(profile.user_id, "simulated-tab")
                else:
                    on_duty.discard(n)
                    presence.leave(profile.user_id, "simulated-tab")
            elif kind == "job":
                for n in on_duty:  # the open pages' heartbeat
                    presence.beat(world.listeners[n].user_id, "simulated-tab")
                for n in around:
                    presence.beat(world.responders[n].pk, "simulated-tab")
                result = unanswered.do_offer_unanswered_threads()
                jobs += 1
                for thread_pk, user_ids in result.offered.items():
                    index = world.index_of[thread_pk]
                    for user_id in user_ids:
                        key, person, listener = _who(scenario, world, user_id)
                        response = response_to_offer(
                            scenario, index, key, person, when, listener=listener
                        )
                        if response is not None:
                            at(response[0], "seen", index, user_id, response[1])
            elif kind == "seen":
                index, user_id, write_at = payload
                if not answered(world.threads[index]):  # answered already: nothing to add
                    at(write_at, "reply", index, user_id)
            elif kind == "reply":
                index, user_id = payload
                thread = world.threads[index]
                if (index, str(user_id)) not in replied:
                    replied.add((index, str(user_id)))
                    author = _user(world, user_id)
                    do_create_reply(thread, body=REPLY_WORDS[index % 4], acting_user=author)
        if routing:
            unanswered.do_settle_answered_offers(clock.now())
        figures = measure(world, scenario, clock)
        offers = list(ResponderOffer.objects.values_list("responder_id", "offered_at"))
        figures.update(
            offers=len(offers),
            offers_answered=ResponderOffer.objects.filter(answered_at__isnull=False).count(),
            most_offers_to_one_person_in_an_hour=_busiest_hour(offers),
            job_runs=jobs,
            threads_offered=Thread.objects.filter(offered_to_responders_at__isnull=False)
            .filter(pk__in=list(world.index_of))
            .count(),
            wall_s=round(time.perf_counter() - started, 1),
        )
        transaction.set_rollback(True)
    return figures


def _who(scenario: Scenario, world: World, user_id: int) -> tuple[str, PlannedPerson, bool]:
    for n, user in enumerate(world.responders):
        if user.pk == user_id:
            return f"r{n}", scenario.responders[n], False
    for n, profile in enumerate(world.listeners):
        if profile.user_id == user_id:
            return f"l{n}", scenario.listeners[n], True
    raise LookupError(f"member {user_id} is not in the scenario")


def _user(world: World, user_id: int):
    for user in world.responders:
        if user.pk == user_id:
            return user
    return next(p.user for p in world.listeners if p.user_id == user_id)


def _busiest_hour(offers: list[tuple[int, datetime]]) -> int:
    by_person: dict[int, list[datetime]] = {}
    for person, offered_at in offers:
        by_person.setdefault(person, []).append(offered_at)
    busiest = 0
    for times in by_person.values():
        times.sort()
        for i, start in enumerate(times):
            busiest = max(busiest, sum(1 for t in times[i:] if t < start + timedelta(hours=1)))
    return busiest


def percentile(values: list[float], q: float) -> float | None:
    """Nearest rank; an unanswered thread counts as waiting for ever (None when it lands
    there)."""
    ordered = sorted(values)
    if not ordered:
        return None
    value = ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]
    return None if math.isinf(value) else round(value, 1)


def measure(world: World, scenario: Scenario, clock: Clock) -> dict[str, Any]:
    """Minutes from each thread's posting to its first visible reply by someone else."""
    first_reply = (
        Post.objects.filter(
            thread_id=OuterRef("pk"), depth__gt=0, moderation_state=ModerationState.VISIBLE
        )
        .exclude(author_id=OuterRef("first_post__author_id"))
        .values("thread_id")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    rows = Thread.objects.filter(pk__in=list(world.index_of)).annotate(
        first_reply_at=Subquery(first_reply)
    )
    waits = [
        (row.first_reply_at - row.created_at).total_seconds() / 60
        if row.first_reply_at is not None
        else math.inf
        for row in rows.only("created_at")
    ]
    answered = [w for w in waits if not math.isinf(w)]
    return {
        "threads": len(waits),
        "answered": len(answered),
        "first_reply_p50_min": percentile(waits, 0.5),
        "first_reply_p90_min": percentile(waits, 0.9),
        "answered_p50_min": percentile(answered, 0.5),
        "answered_p90_min": percentile(answered, 0.9),
        "unanswered_after_2h": round(sum(1 for w in waits if w > 120) / max(1, len(waits)), 3),
    }


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def simulate(
    *,
    threads: int = 200,
    responders: int = 30,
    listeners: int = 4,
    hours: int = 24,
    observe_hours: int = 6,
    seed: int = 17,
    use_current_database: bool = False,
    embedder: str = "hashing",
) -> dict[str, Any]:
    scenario = make_scenario(
        seed=seed, threads=threads, responders=responders, listeners=listeners, hours=hours,
        observe_hours=observe_hours,
    )  # fmt: skip
    started = time.perf_counter()
    with (
        override_settings(**LOCAL_ONLY, HAVEN_EMBEDDINGS=embedder),
        throwaway_database(use_current_database) as database,
        simulated_clock() as clock,
    ):
        model = current_model()
        without = run_arm(scenario, clock, routing=False)
        clock.seconds = 0.0
        with_routing = run_arm(scenario, clock, routing=True)
    return {
        "benchmark": "unanswered",
        "seed": seed,
        "threads": threads,
        "responders": responders,
        "listeners": listeners,
        "simulated_hours": hours,
        "observed_hours_after": observe_hours,
        "wait_minutes": settings.HAVEN_UNANSWERED_AFTER_MINUTES,
        "offer_to": settings.HAVEN_UNANSWERED_OFFER_TO,
        "database": database,
        "embedder": model,
        "without_routing": without,
        "with_routing": with_routing,
        "wall_s": round(time.perf_counter() - started, 1),
    }


def _minutes(value: float | None) -> str:
    return "not reached (unanswered)" if value is None else f"{value:.0f} min"


class Command(BaseCommand):
    help = (
        "Replay a day of threads in simulated time without and with the routing of unanswered "
        "threads to peer responders, and report time to first reply (p50/p90) and the share "
        "still unanswered after 2 hours. Runs on a throwaway database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--threads", type=int, default=200)
        parser.add_argument("--responders", type=int, default=30)
        parser.add_argument("--listeners", type=int, default=4)
        parser.add_argument("--hours", type=int, default=24, help="simulated hours of posting")
        parser.add_argument(
            "--observe-hours", type=int, default=6, help="replies counted this long after"
        )
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument(
            "--results-dir",
            default=str(settings.BASE_DIR / "bench" / "results"),
            help="where the JSON results are written ('' for nowhere)",
        )
        parser.add_argument(
            "--embedder",
            choices=["hashing", "auto"],
            default="hashing",
            help="hashing (the light path, default: fast) or auto (MiniLM when installed)",
        )
        parser.add_argument(
            "--use-current-database",
            action="store_true",
            help="run in the current database (each arm rolled back): for a test database only",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        figures = simulate(
            threads=options["threads"],
            responders=options["responders"],
            listeners=options["listeners"],
            hours=options["hours"],
            observe_hours=options["observe_hours"],
            seed=options["seed"],
            use_current_database=options["use_current_database"],
            embedder=options["embedder"],
        )
        if options["results_dir"]:
            folder = Path(options["results_dir"])
            folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            path = folder / f"unanswered-{stamp}-seed{figures['seed']}.json"
            path.write_text(json.dumps(figures, indent=2) + "\n")
            figures["results_file"] = str(path)
        self.stdout.write(
            f"Unanswered threads: {figures['threads']} threads over {figures['simulated_hours']} "
            f"simulated hours, {figures['responders']} peer responders, {figures['listeners']} "
            f"listeners (seed {figures['seed']}; offered after {figures['wait_minutes']} min, "
            f"{figures['offer_to']} at a time; {figures['embedder']} embeddings); "
            f"{figures['wall_s']} s of wall time"
        )
        arms = (("without_routing", "without routing"), ("with_routing", "with routing"))
        for key, label in arms:
            f = figures[key]
            self.stdout.write(
                f"  {label}: time to first reply p50 {_minutes(f['first_reply_p50_min'])}, "
                f"p90 {_minutes(f['first_reply_p90_min'])}; unanswered after 2 h "
                f"{f['unanswered_after_2h']:.1%}; {f['answered']}/{f['threads']} answered; "
                f"{f['offers']} offers ({f['offers_answered']} answered)"
            )
        self.stdout.write(json.dumps(figures))
