"""Making and editing communities, joining and leaving them, and naming their moderators."""

from django.db import transaction

from haven.accounts.models import User
from haven.accounts.revocation import do_revoke_access
from haven.communities.models import Community, Membership
from haven.core import fulltext
from haven.core.language import is_offered
from haven.core.search_index import Namespace, forget, request_embedding


def _index(community: Community) -> None:
    fulltext.index_document("community", community.pk, f"{community.name}\n{community.description}")
    request_embedding(Namespace.COMMUNITY, [community.pk])


@transaction.atomic
def do_save_community(
    community: Community | None = None,
    *,
    slug: str,
    name: str,
    description: str,
    rules: str = "",
    language: str | None = None,
) -> Community:
    """Create a community (none given) or change one; the admin site saves through here too,
    so search and suggestions always follow. No language given: a new one's is the site's."""
    community = community or Community()
    community.slug, community.name = slug, name
    community.description, community.rules = description, rules
    if language is not None:
        if not is_offered(language):
            raise ValueError(f"Haven does not offer the language {language!r}.")
        community.language = language
    community.save()
    _index(community)
    return community


def do_reindex_community(community: Community) -> None:
    """After the admin saved a community it edits as a form (see CommunityAdmin.save_model)."""
    _index(community)


@transaction.atomic
def do_delete_community(community: Community) -> None:
    fulltext.remove_document("community", community.pk)
    forget(Namespace.COMMUNITY, [community.pk])
    community.delete()


def do_join_community(user: User, community: Community) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, community=community)
    return membership


def do_leave_community(user: User, community: Community) -> None:
    Membership.objects.filter(user=user, community=community).delete()


@transaction.atomic
def do_set_community_moderator(
    user: User, community: Community, *, is_moderator: bool, acting_user: User | None
) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, community=community)
    role = Membership.Role.MODERATOR if is_moderator else Membership.Role.MEMBER
    changed = membership.role != role
    membership.role = role
    membership.save(update_fields=["role"])
    if changed:  # new powers (and a second factor) or fewer: sign in again as who they are now
        do_revoke_access(user, reason="role_changed")
    return membership
