"""Communities are made and edited in the admin site, with no action of their own: their
search document and vector follow model signals. A deleted peer profile (opt-out, or the
account deleted) takes its person vector with it in the same transaction."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from haven.communities.models import Community
from haven.core import fulltext
from haven.matching.indexing import request_embedding
from haven.matching.models import Namespace, PeerProfile
from haven.matching.vectors import forget


def community_text(community: Community) -> str:
    return f"{community.name}\n{community.description}"


@receiver(post_save, sender=Community)
def community_saved(sender, instance: Community, raw: bool = False, **kwargs) -> None:
    if not raw:
        fulltext.index_document("community", instance.pk, community_text(instance))
        request_embedding(Namespace.COMMUNITY, [instance.pk])


@receiver(post_delete, sender=Community)
def community_deleted(sender, instance: Community, **kwargs) -> None:
    fulltext.remove_document("community", instance.pk)
    forget(Namespace.COMMUNITY, [instance.pk])


@receiver(post_delete, sender=PeerProfile)
def peer_profile_deleted(sender, instance: PeerProfile, **kwargs) -> None:
    forget(Namespace.PERSON, [instance.member_id])
