"""How communities plugs into the apps below it, connected once every app's models have
loaded (haven.core.apps.connect_app_wiring)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from haven.accounts.two_factor import register_two_factor_duty
from haven.communities.models import Membership, WatchedWord
from haven.communities.permissions import moderated_community_ids
from haven.communities.rules import forget_rules
from haven.core.request_memo import forget_request_memo


def moderates_any_community(user) -> bool:
    return bool(moderated_community_ids(user))


def rule_changed(sender, instance: WatchedWord, **kwargs) -> None:
    """A rule saved or deleted anywhere (the moderators' pages, the API, the admin) applies to
    the next post: forget the cached rules now, and again once the change commits, in case a
    post read the old ones meanwhile."""
    forget_rules(instance.community_id)
    transaction.on_commit(lambda: forget_rules(instance.community_id))


def connect() -> None:
    # A membership saved or deleted may change who moderates what: this request's answers go.
    post_save.connect(forget_request_memo, sender=Membership, dispatch_uid="membership-memo-s")
    post_delete.connect(forget_request_memo, sender=Membership, dispatch_uid="membership-memo-d")
    post_save.connect(rule_changed, sender=WatchedWord, dispatch_uid="watched-word-saved")
    post_delete.connect(rule_changed, sender=WatchedWord, dispatch_uid="watched-word-deleted")
    # A community moderator sees who wrote an anonymous post: a second factor, like staff.
    register_two_factor_duty(moderates_any_community)
