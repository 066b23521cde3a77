"""Posting updates and following members."""

from django.db import transaction
from django.db.models import QuerySet

from haven.accounts.models import User
from haven.accounts.preferences import blocked_ids_subquery
from haven.communities.rules import (
    WatchedWordsRefused,
    apply_watched_words,
    verdict_with_rules,
)
from haven.core import fulltext
from haven.core.content import ModerationState
from haven.core.themes import detect_themes
from haven.notifications.actions import do_notify_follow, do_notify_update_reply
from haven.safety.screening import file_verdict, screen_member_text
from haven.updates.models import (
    REPLY_MAX_LENGTH,
    UPDATE_MAX_LENGTH,
    Follow,
    FollowerSetting,
    FollowStatus,
    Update,
    UpdateReaction,
    UpdateReply,
    Visibility,
)
from haven.updates.permissions import filter_visible_updates


def _watched_words(body: str, verdict, surface: str, max_length: int):
    """Site-wide watched words (haven.communities.rules): refused, or the body to store (words
    hidden or linked, cut to the column's length) and the verdict to file: the screening's with
    the rules' queue labels, held when a rule holds it."""
    outcome = apply_watched_words(body, community=None, surface=surface)
    if outcome.refused:
        raise WatchedWordsRefused(outcome.refused)
    return outcome.text[:max_length], verdict_with_rules(verdict, outcome)


@transaction.atomic
def do_create_update(
    *,
    body: str,
    mood: str = "",
    visibility: str,
    send_for_review: bool = False,
    acting_user: User,
) -> Update:
    # Private updates are seen by their writer alone, so like a journal they only ever bring
    # the private support panel; everything else goes through the full policy.
    surface = "journal" if visibility == Visibility.PRIVATE else "update"
    verdict = screen_member_text(
        body, surface=surface, author=acting_user, send_for_review=send_for_review
    )
    filed = verdict  # site-wide watched words; a private update is like a journal
    if surface == "update":
        body, filed = _watched_words(body, verdict, "update", UPDATE_MAX_LENGTH)
    update = Update.objects.create(
        author=acting_user,
        body=body,
        mood=mood,
        visibility=visibility,
        moderation_state=(ModerationState.HELD if filed.decision.hold else ModerationState.VISIBLE),
        safety_labels=sorted(verdict.labels - {"personal_data"}),
        themes=detect_themes(body),  # what readers may have muted (haven.core.themes)
    )
    if update.moderation_state == ModerationState.VISIBLE:
        fulltext.index_document("update", update.pk, body)
    file_verdict(filed, update=update)
    return update


@transaction.atomic
def do_set_update_moderation_state(update: Update, state: str, reason: str = "") -> None:
    """A moderator's decision on an update (registered with haven.core.content)."""
    update.moderation_state = state
    update.removal_reason = "" if state == ModerationState.VISIBLE else reason
    update.save(update_fields=["moderation_state", "removal_reason"])
    if state == ModerationState.VISIBLE:
        fulltext.index_document("update", update.pk, update.body)
    else:
        fulltext.remove_document("update", update.pk)


@transaction.atomic
def do_react_to_update(update: Update, kind: str, *, acting_user: User) -> bool:
    """Sends this kind of support; sending it again changes nothing. Returns whether it is new."""
    _, created = UpdateReaction.objects.get_or_create(update=update, user=acting_user, kind=kind)
    return created


@transaction.atomic
def do_unreact(update: Update, kind: str, *, acting_user: User) -> bool:
    """Takes this kind of support back. Returns whether there was one to take back."""
    deleted, _ = UpdateReaction.objects.filter(update=update, user=acting_user, kind=kind).delete()
    return bool(deleted)


@transaction.atomic
def do_toggle_update_reaction(update: Update, kind: str, *, acting_user: User) -> bool:
    """The button's toggle, as forums' reactions: returns whether the reaction is now on."""
    if do_unreact(update, kind, acting_user=acting_user):
        return False
    return do_react_to_update(update, kind, acting_user=acting_user)


@transaction.atomic
def do_reply_to_update(
    update: Update, *, body: str, send_for_review: bool = False, acting_user: User
) -> UpdateReply:
    """Screened as a forum reply is: crisis words bring the writer the support panel (the
    caller shows it) and moderators an urgent item; held words wait, seen by the writer only."""
    verdict = screen_member_text(
        body, surface="reply", author=acting_user, send_for_review=send_for_review
    )
    body, filed = _watched_words(body, verdict, "update_reply", REPLY_MAX_LENGTH)
    reply = UpdateReply.objects.create(
        update=update,
        author=acting_user,
        body=body,
        moderation_state=(ModerationState.HELD if filed.decision.hold else ModerationState.VISIBLE),
        # Personal data is refused before storage, so it is never a stored label.
        safety_labels=sorted(verdict.labels - {"personal_data"}),
    )
    if reply.is_visible:
        do_notify_update_reply(reply)
    file_verdict(filed, update_reply=reply)
    return reply


@transaction.atomic
def do_set_update_reply_moderation_state(reply: UpdateReply, state: str, reason: str = "") -> None:
    """A moderator's decision on a reply (registered with haven.core.content): once published,
    the update's author hears of it, as forums tell subscribers of an approved reply."""
    was_visible = reply.is_visible
    reply.moderation_state = state
    reply.removal_reason = "" if state == ModerationState.VISIBLE else reason
    reply.save(update_fields=["moderation_state", "removal_reason"])
    if reply.is_visible and not was_visible:
        do_notify_update_reply(reply)


def do_delete_update_reply(reply: UpdateReply, *, acting_user: User) -> None:
    reply.delete()


def do_delete_update(update: Update, *, acting_user: User) -> None:
    fulltext.remove_document("update", update.pk)
    update.delete()


def approves_new_followers(member: User) -> bool:
    """On unless the member turned it off: followers-only should mean people they chose."""
    setting = FollowerSetting.objects.filter(member=member).first()
    return setting is None or setting.approve_new_followers


@transaction.atomic
def do_set_approve_new_followers(value: bool, *, acting_user: User) -> None:
    FollowerSetting.objects.update_or_create(
        member=acting_user, defaults={"approve_new_followers": value}
    )


@transaction.atomic
def do_follow(followed: User, *, acting_user: User) -> Follow:
    status = FollowStatus.PENDING if approves_new_followers(followed) else FollowStatus.ACCEPTED
    follow, created = Follow.objects.get_or_create(
        follower=acting_user, followed=followed, defaults={"status": status}
    )
    if created:
        do_notify_follow(acting_user, followed)
    return follow


def do_unfollow(followed: User, *, acting_user: User) -> None:
    Follow.objects.filter(follower=acting_user, followed=followed).delete()


@transaction.atomic
def do_approve_follower(follow: Follow, *, acting_user: User) -> None:
    follow.status = FollowStatus.ACCEPTED
    follow.save(update_fields=["status"])


@transaction.atomic
def do_remove_follower(follow: Follow, *, acting_user: User) -> None:
    """Declines a request or removes a follower: either way they see only public updates."""
    follow.delete()


def follow_requests_for(member: User) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(followed=member, status=FollowStatus.PENDING)
        .select_related("follower")
        .order_by("created_at", "id")
    )


def followers_of(member: User) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(followed=member, status=FollowStatus.ACCEPTED)
        .select_related("follower")
        .order_by("follower__pseudonym")
    )


def timeline_for(viewer: User) -> QuerySet[Update]:
    """The viewer's own updates and those of the members who approved them, newest first."""
    followed_ids = Follow.objects.filter(follower=viewer, status=FollowStatus.ACCEPTED).values(
        "followed_id"
    )
    queryset = Update.objects.filter(author_id__in=followed_ids) | Update.objects.filter(
        author=viewer
    )
    # Someone the viewer blocked leaves their timeline, even if still followed.
    queryset = queryset.exclude(author_id__in=blocked_ids_subquery(viewer))
    return filter_visible_updates(queryset, viewer).select_related("author")


def updates_by(author: User, viewer: User) -> QuerySet[Update]:
    return filter_visible_updates(Update.objects.filter(author=author), viewer).select_related(
        "author"
    )
