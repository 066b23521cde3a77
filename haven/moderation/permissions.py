"""Who may moderate what, and whether a member may write right now (sanctions, rate limits)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django_ratelimit.core import ALL, is_ratelimited

from haven.accounts.actors import Actor
from haven.accounts.gates import RateLimited, WriteRefused, check_can_write
from haven.accounts.models import User
from haven.communities.models import Membership
from haven.core.client_ip import client_ip as trusted_client_ip
from haven.moderation.models import QueueItem, Sanction


def moderated_community_ids(user: User) -> list[int]:
    return list(
        Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).values_list(
            "community_id", flat=True
        )
    )


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
        "post__thread__community", "post__author", "update__author", "member", "community",
        "appeal", "conversation__seeker", "conversation__listener",
    )  # fmt: skip
    try:
        return queryset.get(pk=item_id)
    except QueueItem.DoesNotExist:
        raise Http404("No such item.") from None


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
        raise PermissionDenied("The moderation queue is for moderators.")


def check_sanction_member(user: User, kind: str) -> None:
    # Warnings can come from any moderator of the item; mutes, suspensions and bans are
    # site-wide, so only site moderators may give them.
    if kind != Sanction.Kind.WARN and not user.is_site_moderator:
        raise PermissionDenied("Only site moderators can mute, suspend or ban.")


def check_read_audit_log(user: User) -> None:
    if not (user.is_authenticated and user.is_admin):
        raise PermissionDenied("The audit log is for admins.")


def active_sanction(member: User, kinds: tuple[str, ...]) -> Sanction | None:
    now = timezone.now()
    return (
        Sanction.objects.filter(member=member, kind__in=kinds)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by("-until")
        .first()
    )


def check_login_allowed(user: User) -> None:
    suspension = active_sanction(user, (Sanction.Kind.SUSPEND,))
    if suspension is not None:
        until = timezone.localtime(suspension.until).strftime("%-d %B %Y, %H:%M UTC")
        raise PermissionDenied(
            f"Your account is suspended until {until}. Reason: {suspension.reason}"
        )


def client_ip(request: HttpRequest) -> str:
    # One answer everywhere (login throttling, rate limits, records): see haven.core.client_ip.
    return trusted_client_ip(request)


def _rate(action: str, request: HttpRequest) -> dict[str, str]:
    rates = settings.HAVEN_RATE_LIMITS[action]
    user = request.user
    if user.is_authenticated:
        age_days = (timezone.now() - user.date_joined).days
        if age_days < settings.HAVEN_NEW_ACCOUNT_DAYS:
            return {"user": rates["new_member"], "ip": rates["ip"]}
        return {"user": rates["member"], "ip": rates["ip"]}
    return {"ip": rates["ip"]}


def check_rate_limit(request: HttpRequest, action: str) -> None:
    """Per account and per IP, stricter for accounts younger than HAVEN_NEW_ACCOUNT_DAYS."""
    for key, rate in _rate(action, request).items():
        if is_ratelimited(
            request, group=f"haven:{action}:{key}", key=key, rate=rate, method=ALL, increment=True
        ):
            raise RateLimited(
                "You're doing that a lot right now. Please take a short break and try again "
                "in a little while."
            )


# Kinds of write a mute pauses: words other members read. Care messages to one's therapist,
# reports and appeals stay open, so nobody is cut off from help or from contesting a decision.
MUTED_ACTIONS = frozenset(
    {"thread", "reply", "edit", "update", "profile", "peer_profile", "chat_request",
     "chat_message"}
)  # fmt: skip
CRISIS_HINT = "If you need someone to talk to right now, crisis lines are listed at /help/."


def _until(sanction: Sanction) -> str:
    if sanction.until is None:
        return "further notice"
    return timezone.localtime(sanction.until).strftime("%-d %B %Y, %H:%M UTC")


def check_no_sanction_in_force(actor: Actor, action: str) -> None:
    """A write gate (registered in ModerationConfig.ready): a ban or a suspension stops every
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
            f"Your account is closed by the moderators. Reason: {ban.reason} {CRISIS_HINT}",
            code="banned",
        )
    if suspension := in_force.get(Sanction.Kind.SUSPEND):
        raise WriteRefused(
            f"Your account is suspended until {_until(suspension)}. Reason: "
            f"{suspension.reason} {CRISIS_HINT}",
            code="suspended",
        )
    if mute := in_force.get(Sanction.Kind.MUTE):
        raise WriteRefused(
            f"A moderator has paused your posting until {_until(mute)}. Reason: "
            f"{mute.reason} {CRISIS_HINT}",
            code="muted",
        )


def check_within_rate_limit(actor: Actor, action: str) -> None:
    """A write gate: the rate limit group this kind of write counts in, if any."""
    group = settings.HAVEN_WRITE_ACTIONS[action]
    if group is not None and actor.is_writing:
        check_rate_limit(actor.as_ratelimit_request(), group)
