"""Search over posts and updates, with each kind's own visibility rules applied.

By default full-text and semantic rankings are fused (haven.matching.hybrid); a member can
switch to either alone. Meaning-only hits below a similarity threshold are left out, so a query
about nothing here finds nothing. The search page shows one card per thread (its best-matching
post quoted, with how many others match); the API can group the same way on request."""

import html
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.accounts.preferences import blocked_ids_subquery
from haven.core import fulltext
from haven.core.stopwords import STOPWORDS
from haven.forums.filters import without_blocked_posts
from haven.forums.models import Post
from haven.forums.permissions import filter_visible_posts
from haven.matching.hybrid import SearchMode, reciprocal_rank_fusion, semantic_post_hits
from haven.updates.models import Update
from haven.updates.permissions import filter_visible_updates

QUERY_MAX_LENGTH = 200
EXCERPT_LENGTH = 240
_WORD = re.compile(r"\w+", re.UNICODE)
# Enough stemming to find "breathing" for "breathe" when marking the match in an excerpt; the
# index itself decides what matches.
_SUFFIXES = ("ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "e", "y")


class SearchScope:
    ALL = "all"
    POSTS = "posts"
    UPDATES = "updates"
    CHOICES = [(ALL, _("Everything")), (POSTS, _("Threads and replies")), (UPDATES, _("Updates"))]


class SearchGrouping:
    POST = "post"
    THREAD = "thread"


@dataclass(frozen=True)
class ExcerptPart:
    text: str
    match: bool = False


@dataclass
class SearchResult:
    """Ranked and grouped by ids first; `load_results` fills in the post or update for the
    page shown only (a common word matched about a thousand posts, each loaded with its thread,
    community and author: most of a search's time)."""

    kind: str
    object_id: int = 0
    thread_id: int | None = None
    depth: int = 0
    post: Post | None = None
    update: Update | None = None
    # Grouped by thread: the other matching posts in this post's thread, and whether the
    # opening post is one of them (then they are not all replies).
    more_in_thread: int = 0
    opening_among_more: bool = False
    excerpt: list[ExcerptPart] = field(default_factory=list)


class RankedHits(list[fulltext.Hit]):
    """`words_capped`: the full-text ranking stopped at fulltext.MAX_RESULTS. Only the words
    can say so: a search by meaning always stops at its nearest few, whatever matched."""

    words_capped: bool = False


def ranked_hits(
    query: str, kinds: tuple[str, ...], mode: str, *, cache_for: int | None = None
) -> RankedHits:
    """Full-text hits, semantic hits (posts only: updates have no vectors), or both fused.
    Semantic hits below the similarity threshold never enter the fusion: full-text hits hold
    the query's words, while the nearest vectors always exist, related or not. The query's
    vector is cached for the searching member only (``cache_for``)."""
    query = query[:QUERY_MAX_LENGTH]
    words = [] if mode == SearchMode.SEMANTIC else fulltext.search(query, kinds)
    if mode == SearchMode.FULLTEXT or "post" not in kinds:
        hits = RankedHits(words)
    else:
        meaning = [
            fulltext.Hit("post", hit.object_id)
            for hit in semantic_post_hits(query, cache_for=cache_for)
        ]
        hits = RankedHits(
            meaning if mode == SearchMode.SEMANTIC else reciprocal_rank_fusion([words, meaning])
        )
    hits.words_capped = len(words) >= fulltext.MAX_RESULTS
    return hits


class SearchResults(list[SearchResult]):
    """`capped`: the ranking stopped at fulltext.MAX_RESULTS, so there are more matches than
    these (the page says "the best N" rather than a count that would not be true)."""

    capped: bool = False


def search(
    query: str, viewer: User, scope: str = SearchScope.ALL, mode: str = SearchMode.HYBRID
) -> SearchResults:
    """One result per matching post or update the viewer may see, best first."""
    kinds = {
        SearchScope.POSTS: ("post",),
        SearchScope.UPDATES: ("update",),
    }.get(scope, ("post", "update"))
    hits = ranked_hits(query, kinds, mode, cache_for=viewer.pk if viewer.is_authenticated else None)
    post_ids = [hit.object_id for hit in hits if hit.kind == "post"]
    update_ids = [hit.object_id for hit in hits if hit.kind == "update"]
    posts: dict[int, tuple[int, int]] = {}
    if post_ids:
        visible_posts = without_blocked_posts(
            filter_visible_posts(Post.objects.filter(pk__in=post_ids), viewer), viewer
        )
        posts = {
            pk: (thread_id, depth)
            for pk, thread_id, depth in visible_posts.values_list("pk", "thread_id", "depth")
        }
    updates: set[int] = set()
    if update_ids:
        updates = set(
            filter_visible_updates(Update.objects.filter(pk__in=update_ids), viewer)
            .exclude(author_id__in=blocked_ids_subquery(viewer))  # people the viewer blocked
            .values_list("pk", flat=True)
        )
    results = SearchResults()
    results.capped = hits.words_capped
    for hit in hits:
        if hit.kind == "post" and hit.object_id in posts:
            thread_id, depth = posts[hit.object_id]
            results.append(SearchResult("post", hit.object_id, thread_id, depth))
        elif hit.kind == "update" and hit.object_id in updates:
            results.append(SearchResult("update", hit.object_id))
    return results


def load_results(results: list[SearchResult]) -> list[SearchResult]:
    """Fill in the posts and updates of these results (a page of them): two queries."""
    post_ids = [result.object_id for result in results if result.kind == "post"]
    update_ids = [result.object_id for result in results if result.kind == "update"]
    posts = (
        Post.objects.select_related(
            "author", "thread__community", "thread__first_post", "parent"
        ).in_bulk(post_ids)
        if post_ids
        else {}
    )
    updates = Update.objects.select_related("author").in_bulk(update_ids) if update_ids else {}
    for result in results:
        if result.kind == "post":
            result.post = posts.get(result.object_id)
        else:
            result.update = updates.get(result.object_id)
    # A post deleted between the ranking and this moment simply drops out of the page.
    return [result for result in results if result.post is not None or result.update is not None]


def group_by_thread(results: list[SearchResult]) -> SearchResults:
    """One result per thread, at the place of its best-matching post, counting the others;
    updates stay as they are. Works on the ranked ids, so it costs no query."""
    grouped = SearchResults()
    grouped.capped = isinstance(results, SearchResults) and results.capped
    by_thread: dict[int, SearchResult] = {}
    for result in results:
        if result.kind != "post":
            grouped.append(result)
            continue
        best = by_thread.get(result.thread_id)
        if best is None:
            best = SearchResult("post", result.object_id, result.thread_id, result.depth)
            by_thread[result.thread_id] = best
            grouped.append(best)
        else:
            best.more_in_thread += 1
            best.opening_among_more = best.opening_among_more or result.depth == 0
    return grouped


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _match_pattern(query: str) -> re.Pattern[str] | None:
    words = [word.lower() for word in _WORD.findall(query)]
    telling = [word for word in words if word not in STOPWORDS and len(word) > 2]
    stems = dict.fromkeys(_stem(word) for word in telling or words)
    if not stems:
        return None
    # Longest first, so "sleepless" is marked whole rather than as "sleep".
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def excerpt(text: str, query: str, length: int = EXCERPT_LENGTH) -> list[ExcerptPart]:
    """About `length` characters of plain text around the first place the query's words
    appear (the start when only the meaning matched), with the matching words marked."""
    text = " ".join(text.split())
    pattern = _match_pattern(query)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.end() > length:
        # Some words of lead-in, cut at a space, so the match is read in its sentence.
        start = text.rfind(" ", 0, max(0, first.start() - length // 4)) + 1
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start and (first is None or space >= first.end()):
            end = space
    window = text[start:end]
    parts = [ExcerptPart("…")] if start > 0 else []
    position = 0
    for match in pattern.finditer(window) if pattern else ():
        if match.start() > position:
            parts.append(ExcerptPart(window[position : match.start()]))
        parts.append(ExcerptPart(match.group(), match=True))
        position = match.end()
    if position < len(window):
        parts.append(ExcerptPart(window[position:]))
    if end < len(text):
        parts.append(ExcerptPart("…"))
    return parts


def add_excerpts(results: list[SearchResult], query: str) -> None:
    """Quote each post result (for the page being shown only: the rest are never rendered)."""
    for result in results:
        if result.kind == "post":
            plain = html.unescape(strip_tags(result.post.body_html))
            result.excerpt = excerpt(plain, query)
