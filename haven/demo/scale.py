"""A big community's history in minutes, for measuring pages at scale (bench/pages.py --scale,
`haven seed_scale`): members, threads across the viewer's communities, replies (one thread of
1,000), notifications for the viewer and the full-text index, as bulk inserts.

Bulk inserts are far faster than the actions, which screen, notify and embed each write; the
rows are the same shape the actions leave. The seeded members have no password (they cannot sign
in) and every pseudonym starts with SCALE_PREFIX, so a host can see and delete them.
"""

import random
import time
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from haven.accounts.models import User
from haven.core.embeddings import l2_normalise
from haven.core.fulltext import index_table_rows
from haven.core.search_index import Namespace
from haven.forums.models import Post, Thread
from haven.matching.models import Vector
from haven.matching.vectors import current_embedder, digest_of, model_key, rebuild_index, to_bytes
from haven.notifications.models import Notification

SCALE_PREFIX = "scale_member_"
LONG_THREAD_REPLIES = 1000
NOTIFICATIONS = 2000

# Words of the seeded posts: a plain vocabulary, a common word and a rare one added in text_for.
VOCABULARY = (
    "today felt heavy and I kept thinking about work family friends the future my breathing "
    "slowed when I walked outside made tea wrote things down called someone tried to rest "
    "anxious tired hopeful lonely calmer worried grateful overwhelmed steady small steps"
)
WORDS = VOCABULARY.split()
COMMON_WORD = "sleep"  # in about 30% of posts
RARE_WORD = "lighthouse"  # in about 0.1%
# Post vectors (seed_post_vectors): this many seeded-style texts are embedded for real, and each
# post gets one of them plus noise, as bench/match.py does: the model's own distribution at a
# fraction of the cost of embedding 220,000 texts.
VECTOR_TEXTS = 300
COSINE_TO_TEXT = 0.875


@dataclass
class Seeded:
    long_thread: Thread
    seconds: float
    vectors: int = 0


def text_for(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), COMMON_WORD)
    if rng.random() < 0.001:
        words.insert(rng.randrange(len(words)), RARE_WORD)
    return " ".join(words)


def seed_scale(
    viewer: User, threads: int, replies: int, members: int, seed: int = 7, *, vectors: bool = False
) -> Seeded:
    """Threads spread over the viewer's communities (one of which gets the long thread), and
    notifications for the viewer; with `vectors`, each seeded post's vector for the search by
    meaning. Returns the thread with LONG_THREAD_REPLIES replies."""
    if threads < 1 or members < 1 or replies < LONG_THREAD_REPLIES:
        raise ValueError(f"at least 1 thread, 1 member and {LONG_THREAD_REPLIES} replies")
    communities = [m.community for m in viewer.memberships.select_related("community")]
    if not communities:
        raise ValueError(f"{viewer.pseudonym} has joined no community to seed")
    rng = random.Random(seed)
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        taken = User.objects.filter(pseudonym__startswith=SCALE_PREFIX).count()
        authors = User.objects.bulk_create(
            [User(pseudonym=f"{SCALE_PREFIX}{taken + n}") for n in range(members)],
            batch_size=2000,
        )
        new_threads = Thread.objects.bulk_create(
            [
                Thread(
                    community=communities[n % len(communities)],
                    title=f"Scale thread {n}: {text_for(rng, 6)}",
                    created_at=now - timedelta(minutes=threads - n),
                    last_activity_at=now - timedelta(minutes=threads - n),
                )
                for n in range(threads)
            ],
            batch_size=2000,
        )
        long_thread = new_threads[-1]
        openings = Post.objects.bulk_create(
            [
                Post(
                    thread=thread,
                    author=rng.choice(authors),
                    body=(body := text_for(rng, 40)),
                    body_html=f"<p>{body}</p>",
                    created_at=thread.created_at,
                )
                for thread in new_threads
            ],
            batch_size=2000,
        )
        for thread, post in zip(new_threads, openings, strict=True):
            thread.first_post = post
        counts = {thread.pk: 0 for thread in new_threads}
        counts[long_thread.pk] = LONG_THREAD_REPLIES
        others = new_threads[:-1] or new_threads  # the long thread keeps exactly its 1,000
        for _ in range(replies - LONG_THREAD_REPLIES):
            counts[rng.choice(others).pk] += 1
        by_pk = {thread.pk: thread for thread in new_threads}
        batch = []
        for thread_pk, count in counts.items():
            thread = by_pk[thread_pk]
            thread.reply_count = count
            for r in range(count):
                body = text_for(rng, 25)
                batch.append(
                    Post(
                        thread=thread,
                        depth=1,
                        author=rng.choice(authors),
                        body=body,
                        body_html=f"<p>{body}</p>",
                        created_at=thread.created_at + timedelta(seconds=r + 1),
                    )
                )
                if len(batch) >= 5000:
                    Post.objects.bulk_create(batch)
                    batch = []
        Post.objects.bulk_create(batch)
        Thread.objects.bulk_update(new_threads, ["first_post", "reply_count"], batch_size=2000)
        Notification.objects.bulk_create(
            [
                Notification(recipient=viewer, kind=Notification.Kind.REPLY,
                             actor=rng.choice(authors), thread=rng.choice(new_threads))
                for _ in range(NOTIFICATIONS)
            ],
            batch_size=2000,
        )  # fmt: skip
        index_posts_from(openings[0].pk)
        stored = seed_post_vectors(openings[0].pk, seed) if vectors else 0
    if stored:
        rebuild_index([Namespace.POST])  # an external index (pgvector) takes them in too
    long_thread.refresh_from_db()
    return Seeded(long_thread, time.perf_counter() - started, stored)


def seed_post_vectors(first_pk: int, seed: int = 7) -> int:
    """A vector under the configured model for every post from `first_pk` on. The digest is the
    post's own, so `haven reembed` takes them as current rather than embedding them all again."""
    embedder = current_embedder()
    model = model_key(embedder)
    texts = [text_for(random.Random(seed + n), 25) for n in range(VECTOR_TEXTS)]
    bases = embedder.embed(texts)
    # Gaussian noise of this size leaves each vector at about COSINE_TO_TEXT to its text.
    sigma = float(np.sqrt((1 / COSINE_TO_TEXT**2 - 1) / bases.shape[1]))
    rng = np.random.default_rng(seed)
    # The text haven.forums.search_sources embeds: an opening post with its (untagged) thread's
    # title, a reply alone.
    posts = (
        Post.objects.filter(pk__gte=first_pk)
        .order_by("pk")
        .annotate(text=Case(
            When(depth=0, then=Concat("thread__title", Value("\n"), "body",
                                      output_field=TextField())),
            default="body", output_field=TextField(),
        ))
        .values_list("pk", "text")
    )  # fmt: skip
    stored = 0
    batch: list[tuple[int, str]] = []
    for row in posts.iterator(5000):
        batch.append(row)
        if len(batch) == 5000:
            stored += _store_vectors(batch, bases, sigma, rng, model)
            batch = []
    return stored + (_store_vectors(batch, bases, sigma, rng, model) if batch else 0)


def _store_vectors(
    rows: list[tuple[int, str]], bases: np.ndarray, sigma: float, rng: np.random.Generator,
    model: str,
) -> int:  # fmt: skip
    picked = bases[rng.integers(len(bases), size=len(rows))]
    noisy = l2_normalise(picked + rng.normal(0.0, sigma, picked.shape)).astype(np.float32)
    Vector.objects.bulk_create(
        [
            Vector(namespace=Namespace.POST, object_id=pk, model=model, vector=to_bytes(vector),
                   digest=digest_of(text))
            for (pk, text), vector in zip(rows, noisy, strict=True)
        ]
    )  # fmt: skip
    return len(rows)


def index_posts_from(first_pk: int) -> None:
    """The full-text index rows of the seeded posts, as the actions would have written them, and
    fresh planner statistics (the indexes are only chosen once the planner knows the sizes)."""
    index_table_rows("post", Post._meta.db_table, "body", first_pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
