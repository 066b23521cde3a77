"""Listener presence and offers: N seekers and M listeners coming and going at random, from the
request to the first word of a listener, and how many seekers were left in a chat with nobody
there, beside the old behaviour (an availability switch and an instant match) in the same run.

Run: .venv/bin/python bench/presence.py [--seekers 40] [--listeners 12] [--minutes 60] [--seed 7]
Bounded: a simulated hour in 5-second steps takes about four minutes here. Runs in this process on a
database of its own (an SQLite file, or PostgreSQL beside DATABASE_URL when that is set), with
the in-memory cache standing in for Redis; it is removed at the end. The last line is JSON.

The clock is simulated (django.utils.timezone.now, the models' time defaults and the presence
clock follow it), so an hour of comings and goings runs in a minute. Everything else is real:
requests, offers, accepting, passing, messages (through the safety pipeline), ending, finding
someone else and matching are the very actions the pages, API and sockets call; presence is
recorded with the functions and signals the notification socket uses (a tab that closes is
forgotten at once; a dropped connection, 30% of departures, just stops beating and goes stale).
The periodic job runs every 60 simulated seconds and each waiting seeker's room reads the queue
every step, as the live pages do.

Listeners: online for exponential spells (mean 20 min) and away between them (mean 10 min);
15% never accept an offer; the others accept after 5-60 s if still there, answer the opening
words after 5-30 s and each later message after 10-60 s, and in 15% of chats go quiet after
their first answer. A listener away from Haven answers nothing. Seekers arrive at random in
the first two thirds of the run, ask with an opening message, write again 20-90 s after each
answer, say goodbye after three answers, and take "Find someone else" as soon as it is offered.

Baseline (same seed, same people): how it worked before presence: a switched-on listener counts
as available whether or not they have Haven open, and the match opens the chat at once (no
offer, no "Find someone else").

Measured per seeker: seconds from the first request to the first message of any listener
(p50/p95 over those answered; the rest are "never answered"), and whether they were left in a
chat with nobody present: a chat that opened while its listener was away, or an open chat with
an absent or silent listener for longer than HAVEN_CHAT_QUIET_SECONDS + HAVEN_PRESENCE_STALE_
SECONDS with no way on offered.
"""

import argparse
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.devservers import haven, separate_database, server_environment  # noqa: E402

STEP_SECONDS = 5
JOB_EVERY_SECONDS = 60
HEARTBEAT_SECONDS = 20
OPENING_WORDS = [
    "I've had a really hard week and I just need to talk to someone.",
    "I feel lonely since I moved here and the evenings are the worst.",
    "Work is overwhelming me and I can't switch off at night.",
    "My exams are coming and I keep panicking about them.",
    "I miss my grandmother so much since she died in the spring.",
]
SEEKER_WORDS = ["Thank you for listening.", "That makes sense.", "It helps to say it out loud."]
LISTENER_WORDS = ["I'm here with you.", "That sounds really hard.", "Thank you for telling me."]


class Clock:
    """The simulated time: timezone.now() and presence's time.time() both read it."""

    def __init__(self) -> None:
        self.start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
        self.seconds = 0.0

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    def time(self) -> float:
        return self.now().timestamp()


@dataclass
class Listener:
    user: object
    profile: object
    never_accepts: bool
    online: bool = False
    next_switch: float = 0.0
    last_beat: float = -1e9
    accept_at: dict = field(default_factory=dict)  # request id -> when they will accept
    reply_at: dict = field(default_factory=dict)  # conversation id -> when they will answer
    quiet_in: set = field(default_factory=set)  # conversations they have gone quiet in


@dataclass
class Seeker:
    user: object
    arrives: float
    words: str
    asked_at: float | None = None
    first_answer_at: float | None = None
    conversation_id: int | None = None
    answers: int = 0
    write_at: float | None = None
    done: bool = False
    left_alone: bool = False


class Simulation:
    def __init__(self, args, clock: Clock, *, presence_on: bool, tag: str) -> None:
        self.args, self.clock, self.presence_on, self.tag = args, clock, presence_on, tag
        self.random = random.Random(args.seed)
        from haven.accounts.actions import do_create_user
        from haven.accounts.guidelines import current_guidelines
        from haven.chat.models import ListenerProfile

        guidelines = current_guidelines()
        self.listeners: list[Listener] = []
        for n in range(args.listeners):
            user = do_create_user(f"{tag}_l{n}", None, guidelines_version=guidelines.version)
            profile = ListenerProfile.objects.create(
                user=user, status=ListenerProfile.Status.LISTENER, is_online=True, max_chats=2
            )
            listener = Listener(user, profile, never_accepts=self.random.random() < 0.15)
            listener.online = self.random.random() < 0.6
            listener.next_switch = self._spell(listener.online)
            self.listeners.append(listener)
        horizon = args.minutes * 60
        self.seekers = [
            Seeker(
                do_create_user(f"{tag}_s{n}", None, guidelines_version=guidelines.version),
                arrives=self.random.uniform(0, horizon * 2 / 3),
                words=self.random.choice(OPENING_WORDS),
            )
            for n in range(args.seekers)
        ]
        self.by_user = {listener.user.pk: listener for listener in self.listeners}
        self.by_seeker = {seeker.user.pk: seeker for seeker in self.seekers}

    def _spell(self, online: bool) -> float:
        mean = 20 * 60 if online else 10 * 60
        return self.clock.seconds + self.random.expovariate(1 / mean)

    # --- Listeners' tabs

    def _beat(self, listener: Listener) -> None:
        from haven.notifications import presence

        if presence.beat(listener.user.pk, "tab"):
            presence.member_came_online.send(sender=Simulation, user_id=listener.user.pk)
        listener.last_beat = self.clock.seconds

    def listeners_come_and_go(self) -> None:
        from haven.notifications import presence

        now = self.clock.seconds
        for listener in self.listeners:
            if now >= listener.next_switch:
                listener.online = not listener.online
                listener.next_switch = self._spell(listener.online)
                closed_tab = self.random.random() < 0.7
                leaving = self.presence_on and not listener.online and closed_tab
                if leaving and presence.leave(listener.user.pk, "tab"):
                    presence.member_went_offline.send(sender=Simulation, user_id=listener.user.pk)
                # else: the connection dropped; nothing reaches the server, it goes stale
            if not self.presence_on:
                # Before presence: the switch alone made a listener available.
                if now - listener.last_beat >= HEARTBEAT_SECONDS:
                    self._beat(listener)
            elif listener.online and now - listener.last_beat >= HEARTBEAT_SECONDS:
                self._beat(listener)

    # --- Listeners answering offers and messages

    def listeners_act(self) -> None:
        from haven.chat import actions
        from haven.chat.models import ChatMessage, ChatRequest, Conversation

        now = self.clock.seconds
        for chat_request in ChatRequest.objects.filter(status=ChatRequest.Status.OFFERED):
            listener = self.by_user[chat_request.offered_to_id]
            if not self.presence_on:  # the old instant match: the chat opens at once
                self.open_chat(listener, chat_request)
                continue
            if listener.never_accepts:
                continue
            when = listener.accept_at.setdefault(chat_request.pk, now + self.random.uniform(5, 60))
            if now >= when and listener.online:
                self.open_chat(listener, chat_request)
        for conversation in Conversation.objects.filter(status=Conversation.Status.ACTIVE):
            listener = self.by_user[conversation.listener_id]
            last = conversation.messages.order_by("-id").first()
            if last is None or last.sender_id == listener.user.pk:
                continue  # nothing to answer yet
            answered = conversation.messages.filter(sender=listener.user).count()
            if conversation.pk not in listener.reply_at:
                first = answered == 0
                delay = self.random.uniform(5, 30) if first else self.random.uniform(10, 60)
                listener.reply_at[conversation.pk] = now + delay
                if answered == 1 and self.random.random() < 0.15:
                    listener.quiet_in.add(conversation.pk)
            if conversation.pk in listener.quiet_in or not listener.online:
                continue
            if now >= listener.reply_at[conversation.pk]:
                del listener.reply_at[conversation.pk]
                actions.do_send_message(
                    conversation, sender=listener.user,
                    body=self.random.choice(LISTENER_WORDS),
                    client_id=f"l{ChatMessage.objects.count()}",
                )  # fmt: skip

    def open_chat(self, listener: Listener, chat_request) -> None:
        from haven.chat import actions

        if actions.do_take_request(listener.profile, chat_request) and not listener.online:
            self.by_seeker[chat_request.seeker_id].left_alone = True  # nobody there from the start

    # --- Seekers

    def seekers_act(self) -> None:
        from haven.chat import actions
        from haven.chat.models import ChatMessage, Conversation
        from haven.chat.presence import listener_is_quiet

        now = self.clock.seconds
        allowed_alone = self._quiet_seconds() + self._stale_seconds()
        for seeker in self.seekers:
            if seeker.done or now < seeker.arrives:
                continue
            if seeker.asked_at is None:
                seeker.asked_at = now
                actions.do_request_chat(seeker.user, topics=[], language="en", message=seeker.words)
                continue
            conversation = (
                Conversation.objects.filter(seeker=seeker.user, status=Conversation.Status.ACTIVE)
                .select_related("request")
                .first()
            )
            if conversation is None:
                open_request = actions.open_chat_of(seeker.user)
                if open_request is not None:
                    actions.waiting_status(open_request)  # the waiting room reads the queue
                continue
            if conversation.pk != seeker.conversation_id:  # a new chat, after someone else
                seeker.conversation_id, seeker.answers, seeker.write_at = conversation.pk, 0, None
            answers = conversation.messages.filter(sender_id=conversation.listener_id).count()
            if answers and seeker.first_answer_at is None:
                seeker.first_answer_at = now
            if self.presence_on and listener_is_quiet(conversation):
                actions.do_find_someone_else(conversation, seeker=seeker.user)
                continue
            # Left alone: the seeker's last words unanswered (the listener away or silent) for
            # longer than the quiet time plus the stale time, and no way on offered.
            last = conversation.messages.order_by("-id").first()
            if last is not None and last.sender_id == seeker.user.pk:
                unanswered_for = (self.clock.now() - last.created_at).total_seconds()
                if unanswered_for > allowed_alone:
                    seeker.left_alone = True
            if answers > seeker.answers:
                seeker.answers = answers
                seeker.write_at = now + self.random.uniform(20, 90)
            if seeker.answers >= 3:
                actions.do_end_conversation(conversation, ended_by=seeker.user)
                seeker.done = True
            elif seeker.write_at is not None and now >= seeker.write_at:
                seeker.write_at = None
                actions.do_send_message(
                    conversation, sender=seeker.user, body=self.random.choice(SEEKER_WORDS),
                    client_id=f"s{ChatMessage.objects.count()}", send_for_review=True,
                )  # fmt: skip

    @staticmethod
    def _quiet_seconds() -> int:
        from django.conf import settings

        return settings.HAVEN_CHAT_QUIET_SECONDS

    @staticmethod
    def _stale_seconds() -> int:
        from django.conf import settings

        return settings.HAVEN_PRESENCE_STALE_SECONDS

    def run(self) -> dict:
        from haven.chat import actions

        horizon = self.args.minutes * 60
        next_job = 0.0
        while self.clock.seconds <= horizon:
            self.listeners_come_and_go()
            if self.clock.seconds >= next_job:
                actions.match_waiting_requests()  # haven.chat.tasks.match_chat_requests
                next_job += JOB_EVERY_SECONDS
            self.listeners_act()
            self.seekers_act()
            self.clock.seconds += STEP_SECONDS
        return self.figures()

    def figures(self) -> dict:
        waits = sorted(
            s.first_answer_at - s.asked_at for s in self.seekers if s.first_answer_at is not None
        )
        asked = [s for s in self.seekers if s.asked_at is not None]
        return {
            "seekers": len(asked),
            "answered": len(waits),
            "never_answered": len(asked) - len(waits),
            "first_answer_p50_s": percentile(waits, 0.50),
            "first_answer_p95_s": percentile(waits, 0.95),
            "left_with_nobody_present": sum(1 for s in asked if s.left_alone),
        }


def percentile(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)], 1)


def follow_the_clock(clock: Clock) -> None:
    """Points every "now" the chat code reads at the simulated clock."""
    from django.apps import apps
    from django.utils import timezone

    from haven.notifications import presence

    real_now = timezone.now
    timezone.now = clock.now
    presence.time = clock
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if model_field.default is real_now:
                model_field.default = clock.now


def run(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    from haven.accounts.actions import do_publish_guidelines

    clock = Clock()
    follow_the_clock(clock)
    do_publish_guidelines("Be kind.")
    results = {}
    started = time.perf_counter()
    for tag, presence_on in (("baseline", False), ("presence", True)):
        cache.clear()
        clock.seconds = 0.0
        simulation = Simulation(args, clock, presence_on=presence_on, tag=tag)
        results[tag] = simulation.run()
        # Leave nothing open for the next run: the same seed brings the same people back.
        from haven.chat.models import ChatRequest, Conversation

        Conversation.objects.filter(status="active").update(status="ended")
        ChatRequest.objects.filter(status__in=ChatRequest.OPEN_STATUSES).update(status="cancelled")
    return {
        "simulated_minutes": args.minutes,
        "step_seconds": STEP_SECONDS,
        "seekers": args.seekers,
        "listeners": args.listeners,
        "seed": args.seed,
        "offer_seconds": settings.HAVEN_CHAT_OFFER_SECONDS,
        "quiet_seconds": settings.HAVEN_CHAT_QUIET_SECONDS,
        "stale_seconds": settings.HAVEN_PRESENCE_STALE_SECONDS,
        "wall_s": round(time.perf_counter() - started, 1),
        **results,
    }


def report(figures: dict) -> None:
    print(
        f"Presence: {figures['seekers']} seekers, {figures['listeners']} listeners coming and "
        f"going over {figures['simulated_minutes']} simulated minutes (seed {figures['seed']}; "
        f"offer {figures['offer_seconds']} s, quiet {figures['quiet_seconds']} s, stale "
        f"{figures['stale_seconds']} s); {figures['wall_s']} s of wall time"
    )
    for tag, label in (
        ("baseline", "baseline, switch only + instant match"),
        ("presence", "presence + offers + find someone else"),
    ):
        f = figures[tag]
        print(
            f"  {label}: request to first listener message p50 {f['first_answer_p50_s']} s, "
            f"p95 {f['first_answer_p95_s']} s ({f['answered']}/{f['seekers']} answered); "
            f"left in a chat with nobody present: {f['left_with_nobody_present']}"
        )
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=40)
    parser.add_argument("--listeners", type=int, default=12)
    parser.add_argument("--minutes", type=int, default=60, help="simulated minutes")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, "", data_dir)
        env["HAVEN_MODEL_DIR"] = str(ROOT / "var" / "models")  # the safety models already trained
        haven(["migrate", "--noinput", "-v0"], env)
        os.environ.update(env)
        os.environ.pop("REDIS_URL", None)  # in-memory cache and channel layer in this process
        figures = run(args)
        from django.db import connections

        connections.close_all()  # before the database is dropped
    report(figures)
    sys.exit(0 if figures["presence"]["left_with_nobody_present"] == 0 else 1)


if __name__ == "__main__":
    main()
