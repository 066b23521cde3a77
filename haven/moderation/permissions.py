"""Who may moderate what, and whether a member may write right now (sanctions, rate limits)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from haven.accounts.actors import Actor
from haven.accounts.gates import WriteRefused, check_can_write
from haven.accounts.models import User
from haven.accounts.rate_limits import check_and_count, check_rate_limit, count_towards_rate_limit
from haven.communities.permissions import moderated_community_ids
from haven.moderation.models import CheckIn, QueueItem, QueueKind, Sanction

# What members may report that lives above moderation (a chat) says how a reporter reaches it,
# registered in its app's wiring.py: `access(user, target_id)` returns the target or
# raises Http404 for what the reporter may not see.
ReportTargetAccess = Callable[[User, int], Any]
REPORT_TARGETS: dict[str, ReportTargetAccess] = {}


def register_report_target(kind: str, access: ReportTargetAccess) -> None:
    REPORT_TARGETS[kind] = access


def access_report_target(user: User, kind: str, target_id: int) -> Any:
    if kind not in REPORT_TARGETS:
        raise Http404
    return REPORT_TARGETS[kind](user, target_id)


def is_any_moderator(user: User) -> bool:
    return user.is_authenticated and (user.is_site_moderator or bool(moderated_community_ids(user)))


def filter_queue_for(user: User, queryset: QuerySet[QueueItem] | None = None) -> QuerySet:
    """Site moderators see every item; community moderators only their communities' posts."""
    queryset = QueueItem.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_site_moderator:
        return queryset
    return queryset.filter(community_id__in=moderated_community_ids(user))


def access_queue_item_by_id(user: User, item_id: int) -> QueueItem:
    queryset = filter_queue_for(user).select_related(
        "post__thread__community", "post__author", "update__author", "update_reply__author",
        "member", "community",
        "appeal", "conversation__seeker", "conversation__listener",
    )  # fmt: skip
    try:
        return queryset.get(pk=item_id)
    except QueueItem.DoesNotExist:
        raise Http404("No such item.") from None


def filter_check_ins_for(user: User) -> QuerySet[CheckIn]:
    """A member's own check-ins. Moderators reach others' only through the access helper."""
    if not user.is_authenticated:
        return CheckIn.objects.none()
    return CheckIn.objects.filter(member=user)


def access_check_in_by_id(user: User, check_in_id: int) -> CheckIn:
    """Only the member it is for and site moderators: the same 404 for missing and not-yours."""
    check_in = CheckIn.objects.select_related("member", "item").filter(pk=check_in_id).first()
    if check_in is None or not user.is_authenticated:
        raise Http404("No such check-in.")
    if check_in.member_id != user.pk and not user.is_site_moderator:
        raise Http404("No such check-in.")
    return check_in


def check_reach_out(actor: Actor, item: QueueItem, member: User | None) -> None:
    """A check-in or the crisis lines: on urgent items, to someone else."""
    check_can_write(actor, "moderate")
    if item.kind != QueueKind.URGENT:
        raise PermissionDenied(_("Reaching out is for urgent items."))
    if member is None:
        raise PermissionDenied(_("The member's account no longer exists."))
    if member.pk == actor.user.pk:
        raise PermissionDenied(_("You can't reach out to yourself."))
    if not actor.user.is_site_moderator:
        # Check-ins are read by site moderators only (access_check_in_by_id).
        raise PermissionDenied(_("Private check-ins are sent by site moderators."))


def check_reply_as_moderator(actor: Actor, item: QueueItem) -> None:
    check_can_write(actor, "moderate")
    if item.kind != QueueKind.URGENT or item.post_id is None:
        raise PermissionDenied(_("A reply as Haven moderator goes on an urgent forum post."))
    if item.post.thread.is_deleted:
        raise PermissionDenied(_("This thread was deleted."))


def check_answer_check_in(actor: Actor, check_in: CheckIn) -> None:
    """The member answers; a site moderator writes as the team. Never someone else."""
    user = actor.user
    if user.pk == check_in.member_id:
        check_can_write(actor, "check_in")
    elif user.is_site_moderator:
        check_can_write(actor, "moderate")
    else:
        raise Http404("No such check-in.")


def check_record_outcome(actor: Actor, item: QueueItem) -> None:
    check_can_write(actor, "moderate")
    if item.kind != QueueKind.URGENT:
        raise PermissionDenied(_("Crisis outcomes are recorded on urgent items."))


def check_report(actor: Actor) -> None:
    """Anyone may report harm (a mute does not stop it); the report rate limit applies."""
    check_can_write(actor, "report")


def check_appeal(actor: Actor) -> None:
    """Contesting a decision stays open under every sanction."""
    check_can_write(actor, "appeal")


def check_set_on_duty(actor: Actor) -> None:
    check_can_write(actor, "moderate")
    check_view_queue(actor.user)


def check_view_queue(user: User) -> None:
    if not is_any_moderator(user):
        raise PermissionDenied(_("The moderation queue is for moderators."))


def check_sanction_member(user: User, kind: str) -> None:
    # Warnings can come from any moderator of the item; mutes, suspensions and bans are
    # site-wide, so only site moderators may give them.
    if kind != Sanction.Kind.WARN and not user.is_site_moderator:
        raise PermissionDenied(_("Only site moderators can mute, suspend or ban."))


def check_read_audit_log(user: User) -> None:
    if not (user.is_authenticated and user.is_admin):
        raise PermissionDenied(_("The audit log is for admins."))


def active_sanction(member: User, kinds: tuple[str, ...]) -> Sanction | None:
    now = timezone.now()
    return (
        Sanction.objects.filter(member=member, kind__in=kinds)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by("-until")
        .first()
    )


def _date_words(moment) -> str:
    """ "3 November 2025, 18:00 UTC" (in Spanish "3 de noviembre de 2025, 18:00 UTC")."""
    return date_format(timezone.localtime(moment), _(r"j F Y, H:i \U\T\C"))


def check_not_suspended(user: User) -> None:
    """A login gate (registered in moderation/wiring.py): a suspended member cannot sign in."""
    suspension = active_sanction(user, (Sanction.Kind.SUSPEND,))
    if suspension is not None:
        until = _date_words(suspension.until)
        raise PermissionDenied(
            _("Your account is suspended until %(until)s. Reason: %(reason)s")
            % {"until": until, "reason": suspension.reason}
        )


# Kinds of write a mute pauses: words other members read. Care messages to one's therapist,
# reports and appeals stay open, so nobody is cut off from help or from contesting a decision.
MUTED_ACTIONS = frozenset(
    {"thread", "reply", "edit", "update", "profile", "peer_profile", "chat_request",
     "chat_message", "direct_request", "direct_message", "room_message", "room_start",
     "circle"}
)  # fmt: skip


def _until(sanction: Sanction) -> str:
    if sanction.until is None:
        return _("further notice")
    return _date_words(sanction.until)


def check_no_sanction_in_force(actor: Actor, action: str) -> None:
    """A write gate (registered in moderation/wiring.py): a ban or a suspension stops every
    write but an appeal; a mute stops the words others read."""
    if action == "appeal":
        return
    kinds = [Sanction.Kind.BAN, Sanction.Kind.SUSPEND]
    if action in MUTED_ACTIONS:
        kinds.append(Sanction.Kind.MUTE)
    now = timezone.now()
    in_force = {
        sanction.kind: sanction
        for sanction in Sanction.objects.filter(member_id=actor.user.pk, kind__in=kinds)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        # The latest end of each kind wins; no end (for ever) latest of all.
        .order_by(F("until").asc(nulls_last=True))
    }
    if ban := in_force.get(Sanction.Kind.BAN):
        raise WriteRefused(
            _(
                "Your account is closed by the moderators. Reason: %(reason)s If you need "
                "someone to talk to right now, crisis lines are listed at /help/."
            )
            % {"reason": ban.reason},
            code="banned",
        )
    if suspension := in_force.get(Sanction.Kind.SUSPEND):
        raise WriteRefused(
            _(
                "Your account is suspended until %(until)s. Reason: %(reason)s If you need "
                "someone to talk to right now, crisis lines are listed at /help/."
            )
            % {"until": _until(suspension), "reason": suspension.reason},
            code="suspended",
        )
    if mute := in_force.get(Sanction.Kind.MUTE):
        raise WriteRefused(
            _(
                "A moderator has paused your posting until %(until)s. Reason: %(reason)s If you "
                "need someone to talk to right now, crisis lines are listed at /help/."
            )
            % {"until": _until(mute), "reason": mute.reason},
            code="muted",
        )


def check_within_rate_limit(actor: Actor, action: str) -> None:
    """A write gate: is there room in the rate limit group this kind of write counts in?"""
    group = settings.HAVEN_WRITE_ACTIONS[action]
    if group is None or not actor.is_writing:
        return
    if action in settings.HAVEN_WRITES_COUNTED_WHEN_DONE:
        check_rate_limit(actor.as_ratelimit_request(), group)
    else:
        check_and_count(actor.as_ratelimit_request(), group)


def count_write_done(actor: Actor, action: str) -> None:
    """A write recorder (haven.accounts.gates.record_write): a write done counts in its group."""
    group = settings.HAVEN_WRITE_ACTIONS[action]
    if group is not None and action in settings.HAVEN_WRITES_COUNTED_WHEN_DONE:
        count_towards_rate_limit(actor.as_ratelimit_request(), group)
