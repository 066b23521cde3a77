""" "Match me to a room": a member writes one sentence; Haven finds the open room closest to it
by meaning (its topic, and what people there are saying now), says why, or offers another way
when nothing fits (start a room, the closest one anyway, a sharing circle).

The sentence is private and fleeting: it is screened (crisis words bring the support panel at
once), embedded and compared in memory, and then forgotten. It is never stored, cached, logged
or put in the session; callers pass it on to nothing but `match_rooms`.
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from haven.accounts.blocks import ids_blocked_by
from haven.accounts.models import User
from haven.core.content import ModerationState
from haven.core.embeddings import Embedder, FloatArray, MiniLMEmbedder, get_embedder
from haven.rooms.circles import has_free_place, upcoming_circles
from haven.rooms.models import Circle, CircleSignup, Room, RoomMember, RoomMessage
from haven.rooms.permissions import can_host
from haven.safety.screening import screen_member_text

SENTENCE_MAX_LENGTH = 300
# Below this cosine similarity a room is not offered as a match. The two embedders spread
# scores differently: hashed n-grams give low scores even to close texts.
MIN_SCORE = {"minilm": 0.3, "hashing": 0.2}
# "What people are talking about now": the room's last messages of the last few hours.
RECENT_MESSAGES = 20
RECENT_HOURS = 3
ROOMS_COMPARED = 100
CIRCLES_OFFERED = 2
TOPIC_QUOTE_CHARS = 90


@dataclass(frozen=True)
class RoomFit:
    room: Room
    score: float
    reason: str


@dataclass(frozen=True)
class CircleFit:
    circle: Circle
    score: float


@dataclass
class MatchResult:
    # The sentence suggests crisis: the support panel comes first, before any room.
    crisis: bool = False
    # The closest room above the threshold: where the member is placed.
    room: RoomFit | None = None
    # Nothing fits: the closest room anyway (for members), and circles to come.
    closest: RoomFit | None = None
    circles: list[CircleFit] = field(default_factory=list)
    # The member may start a room with their sentence as its topic.
    can_start_room: bool = False


# --- Room texts' vectors, kept per process (room words, never the member's sentence)

_room_vectors: OrderedDict[tuple[str, str], FloatArray] = OrderedDict()
_room_vectors_lock = threading.Lock()
ROOM_VECTOR_CACHE = 512


def _model(embedder: Embedder) -> str:
    return "minilm" if isinstance(embedder, MiniLMEmbedder) else "hashing"


def min_score(embedder: Embedder) -> float:
    return MIN_SCORE[_model(embedder)]


def _room_text_vectors(embedder: Embedder, texts: list[str]) -> FloatArray:
    keys = [(embedder.name, hashlib.sha256(text.encode()).hexdigest()) for text in texts]
    with _room_vectors_lock:
        found = {key: _room_vectors[key] for key in keys if key in _room_vectors}
    missing = [i for i, key in enumerate(keys) if key not in found]
    if missing:
        vectors = embedder.embed([texts[i] for i in missing])
        with _room_vectors_lock:
            for row, index in enumerate(missing):
                found[keys[index]] = _room_vectors[keys[index]] = vectors[row]
            while len(_room_vectors) > ROOM_VECTOR_CACHE:
                _room_vectors.popitem(last=False)
    if not keys:
        return np.zeros((0, embedder.dimensions), dtype=np.float32)
    return np.stack([found[key] for key in keys])


# --- Which rooms


def candidate_rooms(user: User) -> list[Room]:
    """Open rooms the member could join now: not one a host removed them from, not a full one,
    not one where someone they blocked is, and a circle's room only with a place for them."""
    rooms = list(
        Room.objects.filter(status=Room.Status.OPEN).order_by("-last_message_at", "-id")[
            :ROOMS_COMPARED
        ]
    )
    places = RoomMember.objects.filter(room__in=rooms).values_list(
        "room_id", "user_id", "left_at", "removed_at"
    )
    blocked = ids_blocked_by(user)
    active: dict[int, set[int]] = {}
    removed_from, inside = set(), set()
    for room_id, user_id, left_at, removed_at in places:
        if user_id == user.pk and removed_at is not None:
            removed_from.add(room_id)
        if left_at is None and removed_at is None:
            active.setdefault(room_id, set()).add(user_id)
            if user_id == user.pk:
                inside.add(room_id)
    circles = {c.room_id: c for c in Circle.objects.filter(room__in=rooms)}
    going = set(
        CircleSignup.objects.filter(
            user_id=user.pk, status=CircleSignup.Status.GOING, circle__room__in=rooms
        ).values_list("circle__room_id", flat=True)
    )
    fitting = []
    for room in rooms:
        people = active.get(room.pk, set())
        if room.pk in removed_from or people & blocked:
            continue
        if room.pk not in inside and len(people) >= room.capacity:
            continue
        circle = circles.get(room.pk)
        if (
            circle is not None
            and room.pk not in inside | going
            and circle.host_id != user.pk
            and not has_free_place(circle, room)
        ):
            continue
        fitting.append(room)
    return fitting


def _recent_talk(rooms: list[Room]) -> dict[int, str]:
    """Each room's last visible messages of the last few hours, oldest first, in one query."""
    since = timezone.now() - timedelta(hours=RECENT_HOURS)
    rows = (
        RoomMessage.objects.filter(
            room__in=rooms, created_at__gte=since, moderation_state=ModerationState.VISIBLE
        )
        .exclude(body="")
        .order_by("-id")
        .values_list("room_id", "body")[: RECENT_MESSAGES * max(1, len(rooms))]
    )
    talk: dict[int, list[str]] = {}
    for room_id, body in rows:
        bodies = talk.setdefault(room_id, [])
        if len(bodies) < RECENT_MESSAGES:
            bodies.append(body)
    return {room_id: "\n".join(reversed(bodies)) for room_id, bodies in talk.items()}


# --- Why


def _quoted_topic(room: Room) -> str:
    topic = " ".join(room.topic.split())
    if len(topic) > TOPIC_QUOTE_CHARS:
        topic = topic[: TOPIC_QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"“{topic}”"


def reason_for(room: Room, topic_score: float, talk_score: float | None, threshold: float) -> str:
    """Says which of the room's sides is close: its topic, its talk now, or both."""
    topic_close = topic_score >= threshold
    talk_close = talk_score is not None and talk_score >= threshold
    if talk_close and topic_close:
        return _(
            "Closest to what you wrote: the room's topic %(topic)s and what people there are "
            "talking about now"
        ) % {"topic": _quoted_topic(room)}
    if talk_close:
        return _("Closest to what you wrote: what people in “%(title)s” are talking about now") % {
            "title": room.title
        }
    return _("Closest to what you wrote: the room's topic %(topic)s") % {
        "topic": _quoted_topic(room)
    }


# --- The match


@sensitive_variables("sentence")
def match_rooms(user: User, sentence: str) -> MatchResult:
    """Screens the sentence, then finds the closest room. Nothing about the sentence is kept."""
    verdict = screen_member_text(sentence, surface="room_match", author=user)
    result = MatchResult(crisis="crisis" in verdict.labels, can_start_room=can_host(user))
    embedder = get_embedder()
    threshold = min_score(embedder)
    query = embedder.embed([" ".join(sentence.split())])[0]

    rooms = candidate_rooms(user)
    if rooms:
        talk = _recent_talk(rooms)
        topic_vectors = _room_text_vectors(embedder, [f"{r.title}\n{r.topic}" for r in rooms])
        talk_rooms = [r for r in rooms if r.pk in talk]
        talk_vectors = _room_text_vectors(embedder, [talk[r.pk] for r in talk_rooms])
        topic_scores = topic_vectors @ query
        talk_ids = [r.pk for r in talk_rooms]
        talk_scores = dict(zip(talk_ids, (talk_vectors @ query).tolist(), strict=True))
        fits = []
        for room, topic_score in zip(rooms, topic_scores.tolist(), strict=True):
            talk_score = talk_scores.get(room.pk)
            # The topic says what a room is for; its talk now can bring it closer, never hide it.
            score = (
                topic_score
                if talk_score is None
                else max(topic_score, (topic_score + talk_score) / 2)
            )
            fits.append(RoomFit(room, score, reason_for(room, topic_score, talk_score, threshold)))
        best = max(fits, key=lambda fit: fit.score)
        if best.score >= threshold:
            result.room = best
        else:
            result.closest = best
    if result.room is None:
        result.circles = _circles_that_fit(user, embedder, query)
    return result


def _circles_that_fit(user: User, embedder: Embedder, query: FloatArray) -> list[CircleFit]:
    """Circles still to start with a place free (or hosted by someone else than the member),
    closest first."""
    now = timezone.now()
    circles = [
        c for c in upcoming_circles(now)
        if c.starts_at > now and c.going < c.size_limit and c.host_id != user.pk
    ]  # fmt: skip
    if not circles:
        return []
    vectors = _room_text_vectors(embedder, [f"{c.title}\n{c.topic}" for c in circles])
    scores = (vectors @ query).tolist()
    ranked = sorted(zip(circles, scores, strict=True), key=lambda pair: -pair[1])
    return [CircleFit(circle, score) for circle, score in ranked[:CIRCLES_OFFERED]]
