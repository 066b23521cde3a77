"""A member's updates and who they follow (see haven.accounts.personal_data)."""

from typing import Any

from haven.accounts.models import User
from haven.core import fulltext
from haven.updates.models import Follow, UpdateReaction, UpdateReply

PERSONAL_DATA = {
    "updates.Update.author": "exported as updates; deleted with the account, and unindexed",
    "updates.Follow.follower": "exported as following; deleted with the account",
    "updates.Follow.followed": "exported as followers; deleted with the account",
    "updates.FollowerSetting.member": "a setting, not exported; deleted with the account",
    "updates.UpdateReaction.user": "exported as update_reactions_given; deleted with the account",
    "updates.UpdateReply.author": "exported as update_replies; deleted with the account",
}


def export(user: User) -> dict[str, Any]:
    return {
        "updates": [
            {
                "id": u.pk,
                "body": u.body,
                "mood": u.mood,
                "visibility": u.visibility,
                "created_at": u.created_at.isoformat(),
            }
            for u in user.updates.all()
        ],
        "following": list(
            Follow.objects.filter(follower=user).values_list("followed__pseudonym", flat=True)
        ),
        "followers": list(
            Follow.objects.filter(followed=user).values_list("follower__pseudonym", flat=True)
        ),
        "update_replies": [
            {
                "id": reply.pk,
                "update_id": reply.update_id,
                "body": reply.body,
                "created_at": reply.created_at.isoformat(),
            }
            for reply in UpdateReply.objects.filter(author=user).order_by("created_at", "id")
        ],
        "update_reactions_given": [
            {"update_id": r.update_id, "kind": r.kind, "created_at": r.created_at.isoformat()}
            for r in UpdateReaction.objects.filter(user=user).order_by("created_at", "id")
        ],
    }


def erase(user: User, *, erase_content: bool) -> None:
    # The rows go with the account; the search index is not a foreign key, so it is told.
    fulltext.remove_documents("update", list(user.updates.values_list("pk", flat=True)))
