"""Demo support rooms: a few open rooms with trained listeners as hosts and some talk in them,
so `make run` shows rooms (called by haven.demo's load_demo_data, after listeners are trained)."""

import uuid

from haven.accounts.models import User
from haven.communities.models import Community
from haven.rooms.actions import do_create_room, do_join_room, do_send_room_message
from haven.rooms.forms import DEFAULT_RULES
from haven.rooms.models import Room

DEMO_ROOMS = [
    {
        "title": "Evening wind-down",
        "topic": "A calm place to talk about the day and slow down before sleep.",
        "host": "LanternKeeper",
        "community": "sleep",
        "anonymous": False,
        "members": ["demo", "slow_river", "kettle_on"],
        "talk": [
            ("LanternKeeper", "Welcome in, everyone. How was today for you?"),
            ("slow_river", "Long, but I made it through. Making tea now."),
            ("kettle_on", "Tea is always the answer. I'm trying to put my phone down earlier."),
        ],
    },
    {
        "title": "Worry corner",
        "topic": "Anxious thoughts, panic, and what helps. Anonymous, so you can say it plainly.",
        "host": "soft_landing",
        "community": "anxiety",
        "anonymous": True,
        "members": ["fernandmoss", "paper_boats"],
        "talk": [
            ("soft_landing", "Hi all. No pressure to share, reading along is welcome too."),
            ("paper_boats", "My chest gets tight before work meetings. Does anyone else get that?"),
            ("fernandmoss", "Yes. Breathing out slowly, longer than in, helps me a little."),
        ],
    },
    {
        "title": "Students after hours",
        "topic": "Exams, deadlines, loneliness in halls: talk it through with people who get it.",
        "host": "NightOwl_22",
        "community": "students",
        "anonymous": False,
        "members": ["BlueJay-Morning"],
        "talk": [("NightOwl_22", "Room's open. What's on your mind tonight?")],
    },
]


def load_demo_rooms(members: dict[str, User]) -> None:
    """Safe to run more than once: a room already there is left as it is."""
    for row in DEMO_ROOMS:
        host = members.get(row["host"])
        if host is None or Room.objects.filter(title=row["title"]).exists():
            continue
        room = do_create_room(
            host, title=row["title"], topic=row["topic"], rules=str(DEFAULT_RULES),
            is_anonymous=row["anonymous"],
            community=Community.objects.filter(slug=row["community"]).first(),
        )  # fmt: skip
        places = {host.pseudonym: room.members.get(user=host)}
        for pseudonym in row["members"]:
            if pseudonym in members:
                places[pseudonym] = do_join_room(room, members[pseudonym])
        for pseudonym, body in row["talk"]:
            if pseudonym in places:
                do_send_room_message(
                    room, places[pseudonym], body=body, client_id=uuid.uuid4().hex,
                    send_for_review=True,
                )  # fmt: skip
