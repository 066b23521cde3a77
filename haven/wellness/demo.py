"""Demo wellness data: the library with its editor and reviewers, and a month of check-ins,
two journal entries and a started safety plan for the 'demo' member."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from haven.accounts.actions import do_create_user
from haven.accounts.models import User
from haven.accounts.zones import member_today
from haven.wellness.journal import do_create_journal_entry
from haven.wellness.library import do_grant_library_role, load_demo_resources
from haven.wellness.models import LibraryRole, MoodCheckIn
from haven.wellness.safety_plan import do_save_plan_step

REVIEWER_PSEUDONYMS = {
    "licensed clinical social worker": "reviewer_lcsw",
    "licensed professional counselor": "reviewer_lpc",
    "clinical psychologist": "reviewer_psychologist",
    "psychiatric nurse practitioner": "reviewer_pmhnp",
    "sleep medicine physician": "reviewer_sleep_md",
}
EDITOR = "maple_tea"


def load_demo_wellness(members: dict[str, User], *, password: str, guidelines_version: int):
    editor = members[EDITOR]
    do_grant_library_role(editor, LibraryRole.Role.EDITOR, acting_user=None)

    def reviewer_for(credential: str) -> User:
        pseudonym = REVIEWER_PSEUDONYMS.get(credential, "reviewer_clinician")
        reviewer = User.objects.filter(pseudonym=pseudonym).first() or do_create_user(
            pseudonym, password, guidelines_version=guidelines_version
        )
        if not LibraryRole.objects.filter(member=reviewer, role="reviewer").exists():
            do_grant_library_role(
                reviewer, LibraryRole.Role.REVIEWER, credential=credential, acting_user=None
            )
        return reviewer

    created = load_demo_resources(editor=editor, reviewer_for=reviewer_for)
    demo = members.get("demo")
    if demo is not None and not MoodCheckIn.objects.filter(member=demo).exists():
        load_demo_diary(demo)
    return created


def load_demo_diary(member: User) -> None:
    # Fixed seed: the demo looks the same every time it is loaded.
    rng = random.Random(7)
    today = member_today(member)
    now = timezone.now()
    feelings_pool = ["anxious", "calm", "lonely", "hopeful", "tired", "grateful", "connected"]
    for days_ago in range(34, -1, -1):
        if rng.random() < 0.15:
            continue  # a missed day, as in real life
        sleep = Decimal(rng.choice(["5", "5.5", "6", "6.5", "7", "7.5", "8", "8.5"]))
        mood = max(1, min(10, round(4 + (float(sleep) - 6) * 1.2 + rng.uniform(-1.5, 1.5))))
        MoodCheckIn.objects.create(
            member=member,
            mood=mood,
            feelings=sorted(rng.sample(feelings_pool, k=rng.randint(0, 2))),
            sleep_hours=sleep,
            note="",
            created_at=now - timedelta(days=days_ago),
            local_date=today - timedelta(days=days_ago),
        )
    do_create_journal_entry(
        title="A better afternoon",
        body="Went for a short walk after lunch. The **box breathing** from the library "
        "helped before the meeting.",
        tags=["work", "coping"],
        mood=6,
        acting_user=member,
    )
    do_create_journal_entry(
        title="Can't sleep again",
        body="Mind racing about money. Writing it down so it's out of my head for tonight.",
        tags=["sleep", "worry"],
        mood=4,
        acting_user=member,
    )
    do_save_plan_step(
        member, "coping_strategies", ["Box breathing for two minutes", "A hot shower"]
    )
    do_save_plan_step(member, "reasons_for_living", ["My cat, Pepper", "My sister's laugh"])
