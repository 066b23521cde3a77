"""Communities in the JSON API."""

from django.http import HttpRequest
from ninja import Field, Router, Schema

from haven.accounts.api_auth import member_auth
from haven.communities import actions
from haven.communities.models import Community, Membership
from haven.communities.permissions import (
    access_community_by_slug,
    check_join_community,
    check_leave_community,
    communities_with_counts,
)
from haven.core.api_schemas import PageNumber, PageOf, paginate

router = Router(auth=member_auth, tags=["communities"])


class CommunityPageOut(PageOf):
    items: list["CommunityOut"]


class CommunityOut(Schema):
    slug: str
    name: str
    description: str
    rules: str
    member_count: int
    is_member: bool
    moderators: list[str]
    language: str = Field(description="The language people write in there (a code such as es).")


def community_out(community: Community, joined: set[int], moderators: list[str]) -> dict:
    return {
        "slug": community.slug,
        "name": community.name,
        "description": community.description,
        "rules": community.rules,
        "member_count": community.num_members,
        "is_member": community.pk in joined,
        "moderators": moderators,
        "language": community.language,
    }


def _moderators_by_community(community_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    for community_id, pseudonym in Membership.objects.filter(
        role=Membership.Role.MODERATOR, community_id__in=community_ids
    ).values_list("community_id", "user__pseudonym"):
        result.setdefault(community_id, []).append(pseudonym)
    return result


@router.get("/communities", response=CommunityPageOut)
def list_communities(request: HttpRequest, page: PageNumber = 1):
    joined = set(request.user.memberships.values_list("community_id", flat=True))
    communities, meta = paginate(communities_with_counts(), page, per_page=50)
    moderators = _moderators_by_community([c.pk for c in communities])
    items = [community_out(c, joined, moderators.get(c.pk, [])) for c in communities]
    return {**meta, "items": items}


def _detail(request: HttpRequest, slug: str) -> dict:
    community = access_community_by_slug(request.user, slug)
    community = communities_with_counts().get(pk=community.pk)
    joined = set(request.user.memberships.values_list("community_id", flat=True))
    moderators = _moderators_by_community([community.pk]).get(community.pk, [])
    return community_out(community, joined, moderators)


@router.get("/communities/{slug}", response=CommunityOut)
def get_community(request: HttpRequest, slug: str):
    return _detail(request, slug)


@router.post("/communities/{slug}/join", response=CommunityOut)
def join(request: HttpRequest, slug: str):
    community = access_community_by_slug(request.user, slug)
    check_join_community(request.actor, community)
    actions.do_join_community(request.user, community)
    return _detail(request, slug)


@router.post("/communities/{slug}/leave", response=CommunityOut)
def leave(request: HttpRequest, slug: str):
    community = access_community_by_slug(request.user, slug)
    check_leave_community(request.actor, community)
    actions.do_leave_community(request.user, community)
    return _detail(request, slug)
