"""Friendly random pseudonyms, offered at sign-up so nobody has to think of a name."""

import secrets

from haven.accounts.models import User

ADJECTIVES = [
    "Gentle", "Quiet", "Brave", "Calm", "Kind", "Steady", "Hopeful", "Warm", "Bright", "Patient",
    "Soft", "Sunny", "Misty", "Still", "Golden", "Silver", "Mellow", "Cosy", "Tender", "Willow",
]  # fmt: skip
NOUNS = [
    "Otter", "Harbor", "Meadow", "Lantern", "Sparrow", "River", "Fern", "Pebble", "Heron", "Maple",
    "Comet", "Badger", "Cedar", "Robin", "Tide", "Acorn", "Panda", "Lark", "Moss", "Dune",
]  # fmt: skip


def random_pseudonym() -> str:
    return f"{secrets.choice(ADJECTIVES)}{secrets.choice(NOUNS)}{secrets.randbelow(90) + 10}"


def suggest_free_pseudonym() -> str:

    for _ in range(20):
        name = random_pseudonym()
        if not User.objects.filter(pseudonym__iexact=name).exists():
            return name
    return f"{random_pseudonym()}{secrets.randbelow(9000) + 1000}"
