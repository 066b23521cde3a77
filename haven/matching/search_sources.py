"""People who chose to be found by peers, in the search index (see
haven.core.search_index.SearchSource), keyed by member id. A person's vector is their own words
and the mean of their public posts' vectors (haven.matching.indexing); journals, chats and
therapy messages are never a source of anything stored."""

from haven.core.content import ModerationState
from haven.core.search_index import Namespace, SearchSource, register_search_source
from haven.core.words import readable
from haven.forums.models import Post
from haven.matching.models import PeerProfile

PERSON_POSTS = 30  # the most recent non-anonymous posts that describe a person


def _words(keys) -> str:
    return ", ".join(readable(keys))


def person_profile_texts(ids: list[int]) -> dict[int, str]:
    """Keyed by member id: only members with a peer profile, in their own chosen words."""
    profiles = PeerProfile.objects.filter(member_id__in=ids, member__is_active=True)
    texts = {}
    for profile in profiles.select_related("member"):
        member = profile.member
        parts = [member.bio, _words(member.topics), profile.experience]
        texts[member.pk] = "\n".join(p for p in parts if p)
    return texts


def person_post_ids(member_ids: list[int]) -> dict[int, list[int]]:
    """The visible, non-anonymous posts that may describe each member, newest first."""
    found: dict[int, list[int]] = {pk: [] for pk in member_ids}
    posts = (
        Post.objects.filter(
            author_id__in=member_ids,
            is_anonymous=False,
            is_deleted=False,
            moderation_state=ModerationState.VISIBLE,
        )
        .order_by("-created_at")
        .values_list("author_id", "pk")
    )
    for author_id, pk in posts:
        if len(found[author_id]) < PERSON_POSTS:
            found[author_id].append(pk)
    return found


def all_person_ids() -> list[int]:
    return list(PeerProfile.objects.values_list("member_id", flat=True))


register_search_source(
    SearchSource(
        Namespace.PERSON, PeerProfile, person_profile_texts, all_person_ids, id_field="member_id"
    )
)
