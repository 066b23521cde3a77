"""No post left unanswered: a thread in a support community whose opening post has waited
HAVEN_UNANSWERED_AFTER_MINUTES without a reply from anyone but its author is offered to a few
people at a time (HAVEN_UNANSWERED_OFFER_TO), in at most MAX_ROUNDS rounds: members who
opted in as peer responders (MemberPreferences.is_peer_responder) and trained listeners on duty
(switched on, Haven open, room for another chat). Each offer is an in-app notification, "Someone
could use a reply", leading to the thread. If nobody replies within another interval the next
few are asked; once someone replies, nobody else is asked and unread offers are withdrawn.

Never offered: the author; anyone the author blocked or who blocked the author; someone already
offered that thread; someone who could not reply now (a closed account, a ban, suspension or
mute in force); someone who muted a theme or tag of the thread; anyone offered
MAX_OFFERS_PER_RESPONDER_PER_HOUR threads in the last hour (so nobody is worn out).

Order: members with Haven open now first (a reply soon is the point), then the closest by
their own words, then whoever was asked least in the last day. Closeness: the thread's vector
is its opening post's stored vector (made by the embedding job; embedded here from its text when
the job has not run yet). A responder's vector is made the way a findable person's is
(haven.matching.indexing), from words they chose to share: their bio and topics, the mean of
the stored vectors of their recent visible non-anonymous posts, and, for a listener on duty,
their listener vector. It is kept in a small per-process cache keyed by a digest of those
inputs, so a run only loads vectors for responders whose words changed.
Nothing is downloaded: without MiniLM the hashing embedder is used throughout.

`do_offer_unanswered_threads` is the periodic job's body (haven.matching.tasks): idempotent,
one atomic claim per thread (Thread.offered_to_responders_at), a bounded batch per run and a
number of queries that does not grow with the number of responders.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from haven.accounts.models import MemberBlock, User
from haven.chat.queue import available_listeners
from haven.core.content import ModerationState
from haven.core.embeddings import FloatArray, l2_normalise
from haven.core.words import readable
from haven.forums.models import Post, Thread
from haven.matching.models import Namespace, ResponderOffer
from haven.matching.search_sources import person_post_ids
from haven.matching.vectors import (
    current_embedder,
    current_model,
    stored_digests,
    stored_vectors,
)
from haven.moderation.models import Sanction
from haven.notifications.models import Notification
from haven.notifications.presence import present_user_ids
from haven.notifications.realtime import send_user_event_on_commit

# Threads handled per run: the rest wait for the next run (a minute later), oldest first.
BATCH_THREADS = 20
# A thread is offered in at most this many rounds of HAVEN_UNANSWERED_OFFER_TO people, and only
# during its first day; after that the "needs support" feed is where it is seen.
MAX_ROUNDS = 4
OFFER_FOR_HOURS = 24
MAX_OFFERS_PER_RESPONDER_PER_HOUR = 3
# Opted-in responders considered per run, the most recently signed-in first (listeners on
# duty always are): bounds the work of a run on a large site.
MAX_POOL = 400
# Sanctions that stop a member replying (haven.moderation.permissions.MUTED_ACTIONS has "reply").
SILENCING_SANCTIONS = (Sanction.Kind.BAN, Sanction.Kind.SUSPEND, Sanction.Kind.MUTE)


def wait() -> timedelta:
    return timedelta(minutes=settings.HAVEN_UNANSWERED_AFTER_MINUTES)


def offer_to() -> int:
    return max(1, settings.HAVEN_UNANSWERED_OFFER_TO)


@dataclass
class Responder:
    user_id: int
    profile_text: str
    muted_themes: frozenset[str] = frozenset()
    muted_tags: frozenset[str] = frozenset()
    listener_profile_id: int | None = None  # set for a listener on duty
    present: bool = False  # Haven open now (haven.notifications.presence)
    offers_last_hour: int = 0
    offers_last_day: int = 0


@dataclass
class RoutingResult:
    threads_considered: int = 0
    threads_offered: int = 0
    offers: int = 0
    settled: int = 0
    offered: dict[int, list[int]] = field(default_factory=dict)  # thread id -> responder ids


# --------------------------------------------------------------------------------------------
# Which threads wait
# --------------------------------------------------------------------------------------------


def _replies_by_others():
    """Visible replies in the outer row's thread by anyone but its author (a reply by an
    erased member, author null, still counts)."""
    return Post.objects.filter(
        thread_id=OuterRef("pk"),
        depth__gt=0,
        is_deleted=False,
        moderation_state=ModerationState.VISIBLE,
    ).exclude(author_id=OuterRef("first_post__author_id"))


def waiting_threads(now: datetime, *, limit: int = BATCH_THREADS) -> list[Thread]:
    """Threads due for (another) round of offers, the longest-waiting first (one query)."""
    offers_made = (
        ResponderOffer.objects.filter(thread_id=OuterRef("pk"))
        .order_by()
        .values("thread_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Thread.objects.filter(
            community__is_support=True,
            is_deleted=False,
            is_locked=False,
            first_post__is_deleted=False,
            first_post__moderation_state=ModerationState.VISIBLE,
            first_post__author__is_active=True,
            created_at__lte=now - wait(),
            created_at__gte=now - timedelta(hours=OFFER_FOR_HOURS),
        )
        .filter(
            Q(offered_to_responders_at__isnull=True) | Q(offered_to_responders_at__lte=now - wait())
        )
        .filter(~Exists(_replies_by_others()))
        .annotate(offers_made=Coalesce(Subquery(offers_made, output_field=IntegerField()), 0))
        .filter(offers_made__lt=offer_to() * MAX_ROUNDS)
        .select_related("first_post")
        .order_by("created_at", "pk")[:limit]
    )


# --------------------------------------------------------------------------------------------
# Who may be asked
# --------------------------------------------------------------------------------------------


def _profile_text(bio: str, topics: Iterable[str]) -> str:
    return "\n".join(part for part in (bio, ", ".join(readable(topics or []))) if part)


def responder_pool(now: datetime) -> list[Responder]:
    """Opted-in peer responders and listeners on duty who could reply now (about five
    queries, however many there are)."""
    on_duty = {
        profile.user_id: profile.pk
        for profile in available_listeners()
        if profile.load < profile.max_chats
    }
    rows = (
        User.objects.filter(is_active=True)
        .filter(Q(preferences__is_peer_responder=True) | Q(pk__in=list(on_duty)))
        .order_by(F("last_login").desc(nulls_last=True), "pk")
        .values("pk", "bio", "topics", "preferences__muted_themes", "preferences__muted_tags")
    )
    pool: dict[int, Responder] = {}
    for row in rows:
        if len(pool) >= MAX_POOL and row["pk"] not in on_duty:
            continue
        pool[row["pk"]] = Responder(
            user_id=row["pk"],
            profile_text=_profile_text(row["bio"], row["topics"]),
            muted_themes=frozenset(row["preferences__muted_themes"] or ()),
            muted_tags=frozenset(row["preferences__muted_tags"] or ()),
            listener_profile_id=on_duty.get(row["pk"]),
        )
    if not pool:
        return []
    silenced = set(
        Sanction.objects.filter(member_id__in=list(pool), kind__in=SILENCING_SANCTIONS)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .values_list("member_id", flat=True)
    )
    for member_id in silenced:
        pool.pop(member_id, None)
    for member_id in present_user_ids(list(pool)):  # one cache round trip
        pool[member_id].present = True
    recent = (
        ResponderOffer.objects.filter(
            responder_id__in=list(pool), offered_at__gt=now - timedelta(days=1)
        )
        .values("responder_id")
        .annotate(
            day=Count("pk"), hour=Count("pk", filter=Q(offered_at__gt=now - timedelta(hours=1)))
        )
    )
    for row in recent:
        responder = pool[row["responder_id"]]
        responder.offers_last_hour, responder.offers_last_day = row["hour"], row["day"]
    return list(pool.values())


# --------------------------------------------------------------------------------------------
# How close each responder's words are
# --------------------------------------------------------------------------------------------

_CACHE_SIZE = 5000
# (model, member id) -> (digest of the inputs, vector or None when they shared nothing yet)
_responder_cache: OrderedDict[tuple[str, int], tuple[str, FloatArray | None]] = OrderedDict()
_cache_lock = threading.Lock()


def forget_responder_vectors() -> None:
    """Empty this process's cache (tests, the simulation)."""
    with _cache_lock:
        _responder_cache.clear()


def responder_vectors(responders: list[Responder]) -> dict[int, FloatArray]:
    """Member id -> unit vector of their own words, for those who shared any."""
    model = current_model()
    ids = [r.user_id for r in responders]
    posts_of = person_post_ids(ids)
    all_posts = [p for ps in posts_of.values() for p in ps]
    post_digests = stored_digests(Namespace.POST, all_posts, model)
    listener_ids = [r.listener_profile_id for r in responders if r.listener_profile_id]
    listener_digests = stored_digests(Namespace.LISTENER, listener_ids, model)
    digests = {}
    for r in responders:
        parts = [r.profile_text, *(f"{p}:{post_digests[p]}" for p in posts_of[r.user_id]
                                   if p in post_digests)]  # fmt: skip
        if r.listener_profile_id in listener_digests:
            parts.append(f"listener:{listener_digests[r.listener_profile_id]}")
        digests[r.user_id] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    found: dict[int, FloatArray] = {}
    stale: list[Responder] = []
    with _cache_lock:
        for r in responders:
            cached = _responder_cache.get((model, r.user_id))
            if cached is not None and cached[0] == digests[r.user_id]:
                _responder_cache.move_to_end((model, r.user_id))
                if cached[1] is not None:
                    found[r.user_id] = cached[1]
            else:
                stale.append(r)
    if not stale:
        return found
    wanted = [p for r in stale for p in posts_of[r.user_id] if p in post_digests]
    post_vectors = stored_vectors(Namespace.POST, wanted, model=model)
    stale_listeners = [r.listener_profile_id for r in stale if r.listener_profile_id]
    listener_vectors = (
        stored_vectors(Namespace.LISTENER, stale_listeners, model=model) if stale_listeners else {}
    )
    texts = [r for r in stale if r.profile_text]
    text_vectors = (
        dict(zip([r.user_id for r in texts],
                 current_embedder().embed([r.profile_text for r in texts]), strict=True))
        if texts else {}
    )  # fmt: skip
    made: dict[int, FloatArray | None] = {}
    for r in stale:
        parts = []
        if r.user_id in text_vectors:
            parts.append(text_vectors[r.user_id])
        mine = [post_vectors[p] for p in posts_of[r.user_id] if p in post_vectors]
        if mine:
            parts.append(l2_normalise(np.mean(mine, axis=0)))
        if r.listener_profile_id in listener_vectors:
            parts.append(listener_vectors[r.listener_profile_id])
        made[r.user_id] = l2_normalise(np.sum(parts, axis=0)) if parts else None
    with _cache_lock:
        for member_id, vector in made.items():
            _responder_cache[(model, member_id)] = (digests[member_id], vector)
            if vector is not None:
                found[member_id] = vector
        while len(_responder_cache) > _CACHE_SIZE:
            _responder_cache.popitem(last=False)
    return found


def thread_vectors(threads: list[Thread]) -> dict[int, FloatArray]:
    """Thread id -> its opening post's vector (embedded here if the job has not run yet)."""
    stored = stored_vectors(Namespace.POST, [t.first_post_id for t in threads])
    found = {t.pk: stored[t.first_post_id] for t in threads if t.first_post_id in stored}
    missing = [t for t in threads if t.pk not in found]
    if missing:
        texts = [f"{t.title}\n{t.first_post.body}" for t in missing]
        for thread, vector in zip(missing, current_embedder().embed(texts), strict=True):
            found[thread.pk] = vector
    return found


# --------------------------------------------------------------------------------------------
# Choosing and offering
# --------------------------------------------------------------------------------------------


def _blocked_pairs(author_ids: set[int], member_ids: list[int]) -> set[tuple[int, int]]:
    """(author, member) pairs with a block either way (as haven.accounts.blocks reads them)."""
    rows = MemberBlock.objects.filter(
        Q(blocker_id__in=author_ids, blocked_id__in=member_ids)
        | Q(blocked_id__in=author_ids, blocker_id__in=member_ids)
    ).values_list("blocker_id", "blocked_id")
    pairs = set()
    for blocker, blocked in rows:
        pairs.add((blocker, blocked))
        pairs.add((blocked, blocker))
    return pairs


def _thread_tags(thread_ids: list[int]) -> dict[int, set[str]]:
    tags: dict[int, set[str]] = {}
    rows = Thread.tags.through.objects.filter(thread_id__in=thread_ids).values_list(
        "thread_id", "tag__slug"
    )
    for thread_id, slug in rows:
        tags.setdefault(thread_id, set()).add(slug)
    return tags


def rank_responders(
    thread_vector: FloatArray | None,
    candidates: list[Responder],
    vectors: dict[int, FloatArray],
) -> list[Responder]:
    """Those with Haven open now first (they can answer now, and a reply soon is the point),
    then the closest by their own words; among equals, whoever was asked least today."""

    def key(r: Responder) -> tuple[bool, float, int, int]:
        vector = vectors.get(r.user_id)
        known = vector is not None and thread_vector is not None
        score = float(vector @ thread_vector) if known else -1.0  # no words shared: last
        return (not r.present, -score, r.offers_last_day, r.user_id)

    return sorted(candidates, key=key)


def _claim(thread: Thread, now: datetime) -> bool:
    """Mark the thread offered now, unless another run just did (an atomic compare-and-set:
    running the job twice, or two workers at once, offers nothing twice)."""
    return bool(
        Thread.objects.filter(pk=thread.pk)
        .filter(
            Q(offered_to_responders_at__isnull=True) | Q(offered_to_responders_at__lte=now - wait())
        )
        .update(offered_to_responders_at=now)
    )


@transaction.atomic
def _offer(thread: Thread, responders: list[Responder], now: datetime) -> bool:
    """Record the offers and tell each responder. The notification names the thread only:
    its title is public to members; the author (anonymous or not) is never named."""
    if not _claim(thread, now):
        return False
    if not responders:
        return True  # nobody to ask this round: looked at again after another interval
    ResponderOffer.objects.bulk_create(
        [ResponderOffer(thread=thread, responder_id=r.user_id, offered_at=now) for r in responders]
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=r.user_id, kind=Notification.Kind.UNANSWERED, thread=thread,
                created_at=now,
            )
            for r in responders
        ]
    )  # fmt: skip
    for r in responders:
        send_user_event_on_commit(r.user_id, {"event": "notification"})
    return True


def do_settle_answered_offers(now: datetime) -> int:
    """Threads that got their reply: an offered responder who replied gets `answered_at`; the
    others' unread offers are withdrawn (nobody is asked for what is done). Returns how many
    offers were answered."""
    since = now - timedelta(hours=OFFER_FOR_HOURS * 2)
    own_reply = Post.objects.filter(
        thread_id=OuterRef("thread_id"),
        author_id=OuterRef("responder_id"),
        depth__gt=0,
        is_deleted=False,
        moderation_state=ModerationState.VISIBLE,
    )
    answered = (
        ResponderOffer.objects.filter(answered_at__isnull=True, offered_at__gte=since)
        .filter(Exists(own_reply))
        .update(answered_at=Subquery(own_reply.order_by("created_at").values("created_at")[:1]))
    )
    reply_by_others = Post.objects.filter(
        thread_id=OuterRef("thread_id"),
        depth__gt=0,
        is_deleted=False,
        moderation_state=ModerationState.VISIBLE,
    ).exclude(author_id=OuterRef("thread__first_post__author_id"))
    withdrawn = list(
        Notification.objects.filter(
            kind=Notification.Kind.UNANSWERED, read_at__isnull=True, created_at__gte=since
        )
        .filter(Exists(reply_by_others))
        .values_list("pk", "recipient_id")
    )
    if withdrawn:
        with transaction.atomic():
            Notification.objects.filter(pk__in=[pk for pk, _ in withdrawn]).delete()
            for recipient_id in {recipient for _, recipient in withdrawn}:
                send_user_event_on_commit(recipient_id, {"event": "notification"})
    return answered


def do_offer_unanswered_threads(now: datetime | None = None) -> RoutingResult:
    """One run of the periodic job."""
    now = now or timezone.now()
    result = RoutingResult(settled=do_settle_answered_offers(now))
    threads = waiting_threads(now)
    result.threads_considered = len(threads)
    if not threads:
        return result
    pool = responder_pool(now)
    pool_ids = [r.user_id for r in pool]
    authors = {t.first_post.author_id for t in threads}
    blocked = _blocked_pairs(authors, pool_ids) if pool else set()
    already = set(
        ResponderOffer.objects.filter(thread__in=threads).values_list("thread_id", "responder_id")
    )
    tags = _thread_tags([t.pk for t in threads]) if pool else {}
    vectors = responder_vectors(pool) if pool else {}
    thread_vecs = thread_vectors(threads) if pool else {}
    for thread in threads:
        author_id = thread.first_post.author_id
        themes, thread_tags = set(thread.themes or ()), tags.get(thread.pk, set())
        eligible = [
            r
            for r in pool
            if r.user_id != author_id
            and (author_id, r.user_id) not in blocked
            and (thread.pk, r.user_id) not in already
            and r.offers_last_hour < MAX_OFFERS_PER_RESPONDER_PER_HOUR
            and not (r.muted_themes & themes)
            and not (r.muted_tags & thread_tags)
        ]
        chosen = rank_responders(thread_vecs.get(thread.pk), eligible, vectors)[: offer_to()]
        if not _offer(thread, chosen, now):
            continue
        for r in chosen:  # counts towards the fatigue cap for the rest of this run
            r.offers_last_hour += 1
            r.offers_last_day += 1
        if chosen:
            result.threads_offered += 1
            result.offers += len(chosen)
            result.offered[thread.pk] = [r.user_id for r in chosen]
    return result


def offer_text(notification: Notification, actor_label: str) -> str:
    """How an offer reads (registered in haven.matching.wiring). The thread's title is public
    to members and says what it is about; its content note lets a responder choose."""
    thread = notification.thread
    if thread is None:
        return gettext("Someone could use a reply")
    if thread.content_warning:
        return gettext("Someone could use a reply in “%(title)s” (content note: %(note)s)") % {
            "title": thread.title,
            "note": thread.content_warning,
        }
    return gettext("Someone could use a reply in “%(title)s”") % {"title": thread.title}
