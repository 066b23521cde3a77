"""Booking under contention on PostgreSQL: many members asking for the same few slots at once.

Run: .venv/bin/python bench/booking.py [--attempts 50] [--slots 5] [--rounds 5]
Needs PostgreSQL with trust auth at DATABASE_URL's server, or postgres://postgres@127.0.0.1:5432
(the bench creates a database of its own beside it, migrates it, and drops it at the end).

One therapist (hours every day) and --attempts members. Each round fires --attempts booking attempts
at once, member i asking for slot i % --slots, from as many threads, each with its own database
connection (opened before the start, so no attempt pays for connecting). Attempts call
haven.care.booking.actions.do_book directly, the very action the page and the API call, not through
HTTP: the figures are the booking itself (pre-check, the therapist-row lock, the re-check, the
insert under the exclusion constraint, the notification), not the web stack. An attempt is a success
(an Appointment), a conflict (SlotTaken with the "just taken" wording) or an error (anything else).
Latency is per attempt; throughput is successful bookings, and attempts, per second of the round's
wall time (from release to the last thread done).

The baseline, measured in the same run with the same threads and connections, is the same number
of plain inserts of an Appointment row at distinct, non-overlapping times (no rules, no lock, no
contention), each in its own transaction; for reference, do_book is also timed one booking at a
time with nobody beside it (which warms everything up before the rounds). Afterwards the
database is checked: no two booked appointments of the therapist overlap and each contested
slot holds exactly one booking. The last line is JSON.
"""

import argparse
import json
import math
import os
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.devservers import haven, separate_database, server_environment  # noqa: E402

DEFAULT_BASE = "postgres://postgres@127.0.0.1:5432/test"
START_TIMEOUT = 30.0  # seconds the threads wait for each other at the start line


def percentile(ordered: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return None
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def latency(timings_ms: list[float]) -> dict:
    ordered = sorted(timings_ms)

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "p50_ms": rounded(percentile(ordered, 50)),
        "p99_ms": rounded(percentile(ordered, 99)),
        "max_ms": rounded(ordered[-1] if ordered else None),
        "samples": len(ordered),
    }


def at_once(attempts: list) -> tuple[list, list[float], float]:
    """Run each attempt in a thread of its own, all released together. Returns (results,
    latencies in ms, wall seconds from release to the last one done)."""
    from django.db import connection, connections

    count = len(attempts)
    results: list = [None] * count
    timings: list[float] = [0.0] * count
    start_line = threading.Barrier(count + 1)
    done = threading.Barrier(count + 1)

    def run(index: int) -> None:
        try:
            connection.ensure_connection()  # connecting is not what we measure
            start_line.wait(timeout=START_TIMEOUT)
            started = time.perf_counter()
            try:
                results[index] = attempts[index]()
            except Exception as error:  # classified by the caller
                results[index] = error
            timings[index] = (time.perf_counter() - started) * 1000
            done.wait(timeout=START_TIMEOUT + 600)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    start_line.wait(timeout=START_TIMEOUT)
    released = time.perf_counter()
    done.wait(timeout=START_TIMEOUT + 600)
    wall = time.perf_counter() - released
    for thread in threads:
        thread.join()
    return results, timings, wall


# --- Set-up


def seed(members: int):
    from haven.accounts.actions import do_create_user, do_publish_guidelines
    from haven.accounts.models import Role
    from haven.care.models import Licence, TherapistProfile, WeeklyAvailability

    guidelines = do_publish_guidelines("# Be kind\n\nTreat each other gently.")
    password = "a-long-calm-bench-password-42"  # noqa: S105 - a throwaway database

    def user(pseudonym: str, role: str = Role.MEMBER):
        return do_create_user(pseudonym, password, guidelines_version=guidelines.version, role=role)

    therapist = TherapistProfile.objects.create(
        user=user("bench_therapist", Role.THERAPIST),
        professional_name="Dr Bench",
        specialties=["anxiety"],
        approaches=["cbt"],
        languages=["en"],
        formats=["video", "messaging"],
        time_zone="Europe/London",
        statement="Here to measure.",
        status=TherapistProfile.Status.ACTIVE,
    )
    Licence.objects.create(
        therapist=therapist,
        licence_type="Clinical psychologist",
        number="BENCH1",
        issuing_body="Bench council",
        jurisdiction="GB",
        expires_on=datetime.now(UTC).date() + timedelta(days=365),
        status=Licence.Status.APPROVED,
    )
    for weekday in range(7):
        WeeklyAvailability.objects.create(
            therapist=therapist,
            weekday=weekday,
            start_time=datetime.strptime("08:00", "%H:%M").time(),
            end_time=datetime.strptime("20:00", "%H:%M").time(),
        )
    return therapist, [user(f"bench_member_{n:03d}") for n in range(members)]


# --- Measurements


def baseline(therapist, members: list) -> dict:
    """Plain inserts, one per thread, at distinct times: the floor for a write here."""
    from django.db import transaction

    from haven.care.booking.actions import relationship_for
    from haven.care.models import Appointment

    relationships = [relationship_for(member, therapist) for member in members]
    # A year ahead, hours apart: nothing overlaps, nothing a booking round asks for.
    first = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=365)

    def insert(n: int):
        def attempt():
            with transaction.atomic():
                return Appointment.objects.create(
                    therapist=therapist,
                    member=members[n],
                    relationship=relationships[n],
                    starts_at=first + timedelta(hours=n),
                    ends_at=first + timedelta(hours=n, minutes=50),
                    format="video",
                )

        return attempt

    results, timings, wall = at_once([insert(n) for n in range(len(members))])
    inserted = [r for r in results if isinstance(r, Appointment)]
    errors = [repr(r) for r in results if not isinstance(r, Appointment)]
    Appointment.objects.filter(pk__in=[a.pk for a in inserted]).delete()
    return {
        "inserts": len(inserted),
        "errors": len(errors),
        "error_samples": errors[:3],
        "wall_s": round(wall, 4),
        "inserts_per_s": round(len(inserted) / wall, 1),
        "latency": latency(timings),
    }


def contested_round(therapist, members: list, slots: list) -> dict:
    from haven.care.booking.actions import JUST_TAKEN, SlotTaken, do_book
    from haven.care.models import Appointment

    def book(n: int):
        slot = slots[n % len(slots)]
        return lambda: do_book(member=members[n], therapist=therapist, starts_at=slot.starts_at)

    results, timings, wall = at_once([book(n) for n in range(len(members))])
    successes = [i for i, r in enumerate(results) if isinstance(r, Appointment)]
    conflicts = [
        i for i, r in enumerate(results) if isinstance(r, SlotTaken) and str(r) == JUST_TAKEN
    ]
    errors = [repr(r) for i, r in enumerate(results) if i not in successes and i not in conflicts]
    return {
        "attempts": len(results),
        "successes": len(successes),
        "conflicts": len(conflicts),
        "errors": len(errors),
        "error_samples": errors[:3],
        "wall_s": wall,
        "timings": timings,
        "success_timings": [timings[i] for i in successes],
        "conflict_timings": [timings[i] for i in conflicts],
    }


def uncontended(therapist, members: list, slots: list) -> dict:
    """The same action one at a time, at free slots: what a booking costs with nobody queueing
    beside it (it also warms up imports and connections before the rounds)."""
    from haven.care.booking.actions import do_book

    timings = []
    for member, slot in zip(members, slots, strict=False):
        started = time.perf_counter()
        do_book(member=member, therapist=therapist, starts_at=slot.starts_at)
        timings.append((time.perf_counter() - started) * 1000)
    return {"bookings": len(timings), "latency": latency(timings)}


def overlaps(therapist) -> int:
    """Pairs of booked appointments of the therapist that overlap: must be 0."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM care_appointment a JOIN care_appointment b
              ON a.therapist_id = b.therapist_id AND a.id < b.id
             WHERE a.therapist_id = %s AND a.status = 'booked' AND b.status = 'booked'
               AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            """,
            [therapist.pk],
        )
        return cursor.fetchone()[0]


def run(attempts: int, slot_count: int, rounds: int) -> dict:
    import django

    django.setup()
    from django.db import connection

    from haven.care.booking.queries import free_slots
    from haven.care.models import Appointment

    assert connection.vendor == "postgresql", "the bench measures PostgreSQL"
    therapist, members = seed(attempts)
    base = baseline(therapist, members)
    offered = free_slots(therapist, days=14)
    assert len(offered) >= slot_count * rounds + 20, "not enough free slots for the rounds"
    alone = uncontended(therapist, members[:20], offered[-20:])
    per_round, contested = [], []
    for r in range(rounds):
        slots = offered[r * slot_count : (r + 1) * slot_count]
        contested.extend(slots)
        per_round.append(contested_round(therapist, members, slots))
    booked_per_slot = {
        slot.starts_at: Appointment.objects.filter(
            therapist=therapist, status="booked", starts_at=slot.starts_at
        ).count()
        for slot in contested
    }
    total = sum(r["attempts"] for r in per_round)
    successes = sum(r["successes"] for r in per_round)
    conflicts = sum(r["conflicts"] for r in per_round)
    wall = sum(r["wall_s"] for r in per_round)
    return {
        "database": "postgresql",
        "via": "do_book in threads, one connection each (no HTTP)",
        "attempts_per_round": attempts,
        "slots_per_round": slot_count,
        "rounds": rounds,
        "attempts": total,
        "successes": successes,
        "conflicts": conflicts,
        "errors": sum(r["errors"] for r in per_round),
        "error_samples": [e for r in per_round for e in r["error_samples"]][:3],
        "conflict_rate": round(conflicts / total, 4),
        "bookings_per_s": round(successes / wall, 1),
        "attempts_per_s": round(total / wall, 1),
        "latency": latency([t for r in per_round for t in r["timings"]]),
        "success_latency": latency([t for r in per_round for t in r["success_timings"]]),
        "conflict_latency": latency([t for r in per_round for t in r["conflict_timings"]]),
        "round_wall_s": [round(r["wall_s"], 4) for r in per_round],
        "overlapping_pairs": overlaps(therapist),
        "slots_with_one_booking": sum(1 for n in booked_per_slot.values() if n == 1),
        "slots_contested": len(contested),
        "baseline_plain_inserts": base,
        "uncontended_do_book": alone,
    }


def report(figures: dict) -> None:
    lat, base = figures["latency"], figures["baseline_plain_inserts"]
    print(
        f"Booking on PostgreSQL: {figures['rounds']} rounds of {figures['attempts_per_round']} "
        f"concurrent attempts at {figures['slots_per_round']} slots ({figures['via']})"
    )
    print(
        f"  successes {figures['successes']}, conflicts ('just taken') {figures['conflicts']}, "
        f"errors {figures['errors']}; conflict rate {figures['conflict_rate']:.1%}"
    )
    print(
        f"  {figures['bookings_per_s']} bookings/s, {figures['attempts_per_s']} attempts/s; "
        f"latency p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms (success p50 "
        f"{figures['success_latency']['p50_ms']} ms, conflict p50 "
        f"{figures['conflict_latency']['p50_ms']} ms)"
    )
    print(
        f"  baseline, {base['inserts']} plain concurrent inserts: {base['inserts_per_s']} "
        f"inserts/s, p50 {base['latency']['p50_ms']} ms, p99 {base['latency']['p99_ms']} ms"
    )
    alone = figures["uncontended_do_book"]
    print(
        f"  for reference, {alone['bookings']} bookings one at a time: p50 "
        f"{alone['latency']['p50_ms']} ms, p99 {alone['latency']['p99_ms']} ms"
    )
    print(
        f"  check: {figures['overlapping_pairs']} overlapping booked pairs; "
        f"{figures['slots_with_one_booking']}/{figures['slots_contested']} contested slots "
        "hold exactly one booking"
    )
    if figures["error_samples"]:
        print(f"  errors, e.g.: {figures['error_samples']}")
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=50, help="concurrent attempts a round")
    parser.add_argument("--slots", type=int, default=5, help="slots they compete for a round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    # separate_database() makes its database beside DATABASE_URL's; this bench is for PostgreSQL.
    os.environ["DATABASE_URL"] = base if base.startswith("postgres") else DEFAULT_BASE
    with separate_database() as (database_url, data_dir):
        env = server_environment(database_url, "", data_dir)
        haven(["migrate", "--noinput", "-v0"], env)
        os.environ.update(env)
        os.environ.pop("REDIS_URL", None)  # in-memory cache and channel layer in this process
        figures = run(args.attempts, args.slots, args.rounds)
        from django.db import connections

        connections.close_all()  # before the database is dropped
    report(figures)
    ok = figures["overlapping_pairs"] == 0 and figures["errors"] == 0
    ok = ok and figures["slots_with_one_booking"] == figures["slots_contested"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
