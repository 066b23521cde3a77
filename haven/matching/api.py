"""Suggestions and being found by peers, in the JSON API: the same functions as the pages.

Texts a member is still writing, or describes themselves with, are sent in request bodies
(never in URLs, which end up in access logs), used for one answer and not stored.
"""

from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from haven.accounts.api_auth import member_auth
from haven.accounts.models import User
from haven.communities.models import Community
from haven.communities.permissions import access_community_by_slug
from haven.core.api_schemas import InputSchema, MemberText, PageNumber, PageOf, PlainText, paginate
from haven.forums.api import PostOut, ThreadRefOut, post_out
from haven.forums.models import Thread
from haven.forums.permissions import access_thread_by_id
from haven.matching import people, suggestions
from haven.matching.models import PeerProfile
from haven.matching.permissions import (
    check_ask_suggestions,
    check_join_peer_matching,
    check_leave_peer_matching,
)
from haven.matching.search import (
    QUERY_MAX_LENGTH,
    SearchGrouping,
    SearchScope,
    group_by_thread,
    load_results,
    search,
)
from haven.updates.api import UpdateOut, update_out
from haven.wellness.models import Resource

router = Router(auth=member_auth, tags=["matching"])


class SuggestedThreadOut(Schema):
    id: str = Field(description="The thread's public id.")
    title: str
    community: str
    url: str
    reason: str


class SuggestedCommunityOut(Schema):
    slug: str
    name: str
    url: str
    reason: str


class SuggestedResourceOut(Schema):
    slug: str
    title: str
    url: str
    reason: str


class SuggestedPersonOut(Schema):
    pseudonym: str
    url: str
    reason: str


class SuggestionsOut(Schema):
    threads: list[SuggestedThreadOut] = []
    communities: list[SuggestedCommunityOut] = []
    resources: list[SuggestedResourceOut] = []
    people: list[SuggestedPersonOut] = []


def _item_out(suggestion: suggestions.Suggestion) -> dict:
    item = suggestion.item
    if isinstance(item, Thread):
        return {
            "id": item.public_id, "title": item.title, "community": item.community.slug,
            "url": item.get_absolute_url(), "reason": suggestion.reason,
        }  # fmt: skip
    if isinstance(item, Community):
        return {"slug": item.slug, "name": item.name, "url": item.get_absolute_url(),
                "reason": suggestion.reason}  # fmt: skip
    if isinstance(item, Resource):
        return {"slug": item.slug, "title": item.title, "url": item.get_absolute_url(),
                "reason": suggestion.reason}  # fmt: skip
    if isinstance(item, User):
        return {"pseudonym": item.pseudonym,
                "url": reverse("accounts:profile", args=[item.pseudonym]),
                "reason": suggestion.reason}  # fmt: skip
    raise TypeError(f"not a suggestion: {item!r}")


def suggestions_out(found: suggestions.SuggestionSet) -> dict:
    return {
        "threads": [_item_out(s) for s in found.threads],
        "communities": [_item_out(s) for s in found.communities],
        "resources": [_item_out(s) for s in found.resources],
        "people": [_item_out(s) for s in found.people],
    }


@router.get("/matching/threads/{thread_id}/suggestions", response=SuggestionsOut)
def thread_suggestions(request: HttpRequest, thread_id: str):
    """Similar threads for anyone who may read the thread; for its author, also communities,
    resources and people who chose to be found."""
    thread = access_thread_by_id(request.user, thread_id)
    found, _ = suggestions.suggestions_for_thread(request.user, thread)
    return suggestions_out(found)


class DraftIn(InputSchema):
    title: MemberText(200, required=False) = ""
    body: MemberText(20_000, required=False) = ""
    community: PlainText(50) | None = Field(None, description="Where it will be posted.")


@router.post("/matching/draft", response=SuggestionsOut)
def draft_suggestions(request: HttpRequest, payload: DraftIn):
    """While writing a thread: threads others wrote, and communities that may fit."""
    check_ask_suggestions(request.actor)
    text = f"{payload.title}\n{payload.body}".strip()
    community_id = None
    if payload.community:
        community_id = access_community_by_slug(request.user, payload.community).pk
    found = suggestions.suggestions_for_draft(request.user, text, community_id=community_id)
    return suggestions_out(found)


class AboutIn(InputSchema):
    about: MemberText(500)


@router.post("/matching/people", response=SuggestionsOut)
def find_people(request: HttpRequest, payload: AboutIn):
    """People who chose to be found, communities, threads and resources close to a text."""
    check_ask_suggestions(request.actor)
    return suggestions_out(suggestions.suggestions_for_text(request.user, payload.about))


class PeerProfileOut(Schema):
    findable: bool
    experience: str = ""


class PeerProfileIn(InputSchema):
    experience: MemberText(PeerProfile.EXPERIENCE_MAX_LENGTH, required=False) = ""


@router.get("/matching/peer-profile", response=PeerProfileOut)
def peer_profile_get(request: HttpRequest):
    profile = PeerProfile.objects.filter(member=request.user).first()
    return {"findable": profile is not None, "experience": profile.experience if profile else ""}


@router.put("/matching/peer-profile", response=PeerProfileOut)
def peer_profile_put(request: HttpRequest, payload: PeerProfileIn):
    """Opt in (or change what you wrote): you may be suggested to people going through
    something similar."""
    check_join_peer_matching(request.actor)
    profile = people.do_join_peer_matching(request.user, experience=payload.experience)
    return {"findable": True, "experience": profile.experience}


@router.delete("/matching/peer-profile", response={204: None})
def peer_profile_delete(request: HttpRequest):
    """Opt out: never suggested again, and the vector describing you is deleted at once."""
    check_leave_peer_matching(request.actor)
    people.do_leave_peer_matching(request.user)
    return Status(204, None)


class SearchResultOut(Schema):
    kind: Literal["post", "update"]
    post: PostOut | None = None
    thread: ThreadRefOut | None = None
    update: UpdateOut | None = None
    more_in_thread: int = Field(
        0, description="With group=thread: how many other posts in this thread match too."
    )


class SearchPageOut(PageOf):
    items: list[SearchResultOut]
    capped: bool = Field(
        description="true when the ranking stopped at its best matches (300): there are more "
        "than `count`, and a narrower query finds them."
    )


class SearchParams(Schema):
    q: str = Field(min_length=1, max_length=QUERY_MAX_LENGTH)
    scope: Literal["all", "posts", "updates"] = Field(default=SearchScope.ALL, alias="in")
    mode: Literal["hybrid", "fulltext", "semantic"] = Field(
        default="hybrid",
        description="hybrid fuses full-text and semantic rankings (reciprocal rank fusion); "
        "fulltext or semantic shows either alone.",
    )
    group: Literal["post", "thread"] = Field(
        default=SearchGrouping.POST,
        description="post: one item per matching post. thread: one item per thread, its "
        "best-matching post, with more_in_thread counting the others (as the search page).",
    )
    page: PageNumber = 1


@router.get("/search", response=SearchPageOut)
def search_api(request: HttpRequest, params: Query[SearchParams]):
    """Meaning-only matches below a similarity threshold are left out, so a query about
    nothing here answers with no items."""
    found = search(params.q, request.user, params.scope, params.mode)
    if params.group == SearchGrouping.THREAD:
        found = group_by_thread(found)
    results, meta = paginate(found, params.page)
    items = []
    for result in load_results(list(results)):  # only the page's posts and updates are loaded
        if result.kind == "post":
            items.append(
                {
                    "kind": "post",
                    "post": post_out(result.post, request.user),
                    "thread": {
                        "id": result.post.thread.public_id,
                        "title": result.post.thread.title,
                        "community": result.post.thread.community.slug,
                    },
                    "more_in_thread": result.more_in_thread,
                }
            )
        else:
            items.append({"kind": "update", "update": update_out(result.update, request.user)})
    return {**meta, "items": items, "capped": found.capped}
