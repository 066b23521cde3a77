"""Matching a waiting request to an online listener: the best fit first (shared topics, plus
how close the request's words are to the listener's topics and experience), then the lightest
load, then whoever has waited longest since their last chat (so work is shared fairly).

The request's message is embedded here, in memory, and never stored or cached; listeners'
vectors are made by the embedding job when they save their profile."""

import math
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from haven.chat.models import ChatRequest, Conversation, ListenerProfile
from haven.chat.permissions import is_blocked_between

DEFAULT_MINUTES_PER_PLACE = 3


def available_listeners():
    return (
        ListenerProfile.objects.filter(
            status=ListenerProfile.Status.LISTENER, is_online=True, user__is_active=True
        )
        .select_related("user")
        .annotate(
            load=Count(
                "user__conversations_as_listener",
                filter=Q(user__conversations_as_listener__status=Conversation.Status.ACTIVE),
            )
        )
    )


# Fit = shared topics + SEMANTIC_WEIGHT × cosine similarity, rounded to FIT_STEP so that
# listeners who fit about as well are still ordered by load and fairness.
SEMANTIC_WEIGHT = 2.0
FIT_STEP = 0.5


def semantic_fit(chat_request: ChatRequest, profiles: list[ListenerProfile]) -> dict[int, float]:
    """Cosine similarity of the request to each listener's vector (profile id -> score)."""
    from haven.matching.models import Namespace
    from haven.matching.vectors import similarities_to_text

    text = " ".join([chat_request.message, ", ".join(chat_request.topics)])
    scores = similarities_to_text(Namespace.LISTENER, [p.pk for p in profiles], text)
    return {pk: max(0.0, score) for pk, score in scores.items()}


def fit_score(shared_topics: int, similarity: float) -> float:
    return round((shared_topics + SEMANTIC_WEIGHT * similarity) / FIT_STEP) * FIT_STEP


def best_listener_for(chat_request: ChatRequest) -> ListenerProfile | None:
    eligible = []
    for profile in available_listeners():
        if profile.load >= profile.max_chats or profile.user_id == chat_request.seeker_id:
            continue
        if profile.languages and chat_request.language not in profile.languages:
            continue
        if is_blocked_between(profile.user_id, chat_request.seeker_id):
            continue
        eligible.append(profile)
    if not eligible:
        return None
    similarity = semantic_fit(chat_request, eligible) if len(eligible) > 1 else {}
    candidates = []
    for profile in eligible:
        shared = len(set(profile.topics) & set(chat_request.topics))
        fit = fit_score(shared, similarity.get(profile.pk, 0.0))
        never = profile.last_matched_at is None  # a listener never matched goes first
        last = profile.last_matched_at.timestamp() if profile.last_matched_at else 0.0
        candidates.append((-fit, profile.load, not never, last, profile.pk, profile))
    return min(candidates)[-1]


def queue_position(chat_request: ChatRequest) -> int:
    """1 for the next in line."""
    return (
        ChatRequest.objects.filter(
            status=ChatRequest.Status.WAITING, created_at__lt=chat_request.created_at
        ).count()
        + 1
    )


def estimated_wait_minutes(position: int) -> int:
    """From how long recent requests waited, or a cautious default with no history yet."""
    recent = ChatRequest.objects.filter(
        status=ChatRequest.Status.MATCHED,
        matched_at__gte=timezone.now() - timedelta(days=7),
    ).order_by("-matched_at")[:20]
    waits = [(r.matched_at - r.created_at).total_seconds() / 60 for r in recent]
    per_place = sum(waits) / len(waits) if waits else DEFAULT_MINUTES_PER_PLACE
    return max(1, math.ceil(per_place * position))
