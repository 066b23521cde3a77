"""Reaching out to a member who may be in crisis, not only removing: private check-ins, a
supportive reply as "Haven moderator", crisis lines in one click, and what came of it.

Every change here writes its audit row in the same transaction, and the first human contact
on an urgent item is recorded once (the wait the queue shows). Joining an escalated chat is
the chat app's action (chat sits above moderation) and records its contact through
`record_first_contact`.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from haven.accounts.models import User
from haven.core.content import ModerationState
from haven.core.language import in_language_of, language_of
from haven.forums.actions import do_create_reply
from haven.moderation.actions import record_audit
from haven.moderation.models import CheckIn, CheckInMessage, CrisisOutcome, QueueItem
from haven.notifications.actions import do_notify_check_in
from haven.safety.resources import resources_for_country
from haven.safety.screening import screen_member_text


def record_first_contact(item: QueueItem, kind: str) -> None:
    """The first check-in, moderator reply or chat join on an item; later ones change nothing."""
    now = timezone.now()
    updated = QueueItem.objects.filter(pk=item.pk, first_contact_at__isnull=True).update(
        first_contact_at=now, first_contact_kind=kind
    )
    if updated:
        item.first_contact_at, item.first_contact_kind = now, kind


def _store_message(check_in: CheckIn, *, sender: User, body: str, from_moderator: bool):
    # Both sides are screened. A moderator is asked to rephrase words that may hurt; a member's
    # words are never bounced back at them mid-crisis (only moderators read them anyway).
    verdict = screen_member_text(
        body, surface="check_in", author=sender, send_for_review=not from_moderator
    )
    message = CheckInMessage.objects.create(
        check_in=check_in,
        sender=sender,
        from_moderator=from_moderator,
        body=body,
        moderation_state=(
            ModerationState.HELD if verdict.decision.hold else ModerationState.VISIBLE
        ),
        safety_labels=sorted(verdict.labels - {"personal_data"}),
    )
    CheckIn.objects.filter(pk=check_in.pk).update(last_message_at=message.created_at)
    return message


# What the member is told, in their language; never a quote of the private message.
CHECK_IN_STARTED = gettext_noop(
    "A Haven moderator sent you a private message to check in with you."
)
CHECK_IN_MESSAGE = gettext_noop("A Haven moderator wrote to you again.")
CRISIS_LINES_SENT = gettext_noop("A Haven moderator sent you people you can talk to right now.")


def _in_language_of(member: User, message: str) -> str:
    with in_language_of(member):
        return gettext(message)


def _thread_url(check_in: CheckIn) -> str:
    return reverse("moderation:check_in", args=[check_in.pk])


@transaction.atomic
def do_start_check_in(item: QueueItem, member: User, *, moderator: User, body: str) -> CheckIn:
    """A private message to the member an urgent item is about; they can answer it."""
    check_in = CheckIn.objects.create(member=member, item=item, started_by=moderator)
    _store_message(check_in, sender=moderator, body=body, from_moderator=True)
    record_audit(
        moderator, "check_in", target_kind=item.target_kind, target_id=item.target_id,
        community=item.community, details={"check_in": check_in.pk, "item": item.pk},
    )  # fmt: skip
    record_first_contact(item, "check_in")
    do_notify_check_in(
        member.pk,
        _in_language_of(member, CHECK_IN_STARTED),
        _thread_url(check_in),
    )
    return check_in


@transaction.atomic
def do_send_check_in_message(
    check_in: CheckIn, *, sender: User, body: str, as_moderator: bool
) -> CheckInMessage:
    """A reply in a check-in: from the member (moderators who wrote in it are told) or from a
    moderator (the member is told)."""
    message = _store_message(check_in, sender=sender, body=body, from_moderator=as_moderator)
    if as_moderator:
        record_audit(sender, "check_in_message", target_kind="check_in", target_id=check_in.pk)
        if message.moderation_state == ModerationState.VISIBLE:
            do_notify_check_in(
                check_in.member_id,
                _in_language_of(check_in.member, CHECK_IN_MESSAGE),
                _thread_url(check_in),
            )
    else:
        moderators = User.objects.filter(pk__in=_moderators_in(check_in)).only("language")
        for moderator in moderators:
            do_notify_check_in(
                moderator.pk,
                _in_language_of(moderator, gettext_noop("A member answered your check-in.")),
                _thread_url(check_in),
            )
    return message


def _moderators_in(check_in: CheckIn) -> set[int]:
    wrote = set(
        check_in.messages.filter(from_moderator=True, sender__isnull=False).values_list(
            "sender_id", flat=True
        )
    )
    if check_in.started_by_id:
        wrote.add(check_in.started_by_id)
    return set(
        User.objects.filter(pk__in=wrote)
        .filter(is_active=True, role__in=["moderator", "admin"])
        .values_list("pk", flat=True)
    )


def crisis_lines_text(member: User) -> str:
    """The crisis lines for the member's country, as a message they can act on at once, in
    their language rather than the moderator's."""
    language = language_of(member)
    with translation.override(language):
        _, local, international, _ = resources_for_country("", member, language)
        lines = []
        for resource in [*local, *international]:
            call = gettext("call %(phone)s") % {"phone": resource.phone} if resource.phone else ""
            how = ", ".join(way for way in (call, resource.text, resource.url) if way)
            hours = f" ({resource.hours})" if resource.hours else ""
            lines.append(f"- {resource.name}: {how}{hours}")
        return "\n".join(
            [
                gettext(
                    "We're thinking of you. If things feel too much right now, these people are "
                    "there for you, day and night, and it's free:"
                ),
                *lines,
                gettext(
                    "If you are in immediate danger, please call your local emergency number "
                    "now. You can also answer here: we're reading."
                ),
            ]
        )


@transaction.atomic
def do_send_crisis_lines(item: QueueItem, member: User, *, moderator: User) -> CheckIn:
    """One click: the member's country's crisis lines, as a check-in message. Written by Haven
    from the vetted list, so it is not screened as a moderator's own words."""
    check_in = open_check_in_for(item, member)
    if check_in is None:
        check_in = CheckIn.objects.create(member=member, item=item, started_by=moderator)
    message = CheckInMessage.objects.create(
        check_in=check_in,
        sender=moderator,
        from_moderator=True,
        body=crisis_lines_text(member),
    )
    CheckIn.objects.filter(pk=check_in.pk).update(last_message_at=message.created_at)
    record_audit(
        moderator, "send_crisis_lines", target_kind=item.target_kind,
        target_id=item.target_id, community=item.community,
        details={"check_in": check_in.pk, "item": item.pk},
    )  # fmt: skip
    record_first_contact(item, "crisis_lines")
    do_notify_check_in(
        member.pk,
        _in_language_of(member, CRISIS_LINES_SENT),
        _thread_url(check_in),
    )
    return check_in


def open_check_in_for(item: QueueItem, member: User) -> CheckIn | None:
    return CheckIn.objects.filter(item=item, member=member).order_by("-created_at").first()


@transaction.atomic
def do_reply_as_moderator(item: QueueItem, *, moderator: User, body: str):
    """A supportive reply on the crisis thread, shown as "Haven moderator"."""

    reply = do_create_reply(
        item.post.thread,
        body=body,
        parent=item.post,
        posted_as_moderator=True,
        send_for_review=False,
        acting_user=moderator,
    )
    record_audit(
        moderator, "reply_as_moderator", target_kind="post", target_id=reply.pk,
        community=item.community, details={"item": item.pk},
    )  # fmt: skip
    record_first_contact(item, "moderator_reply")
    return reply


@transaction.atomic
def do_record_crisis_outcome(
    item: QueueItem, *, moderator: User, outcome: str, note: str = ""
) -> CrisisOutcome:
    recorded = CrisisOutcome.objects.create(
        item=item, outcome=outcome, note=note, moderator=moderator
    )
    record_audit(
        moderator, "crisis_outcome", target_kind=item.target_kind,
        target_id=item.target_id, community=item.community, reason=note,
        details={"outcome": outcome, "item": item.pk},
    )  # fmt: skip
    return recorded


def do_record_check_in_view(moderator: User, check_in: CheckIn) -> None:
    """A moderator reading a member's check-in: private words, so each look is recorded."""
    record_audit(moderator, "view_check_in", target_kind="check_in", target_id=check_in.pk)


def visible_check_in_messages(check_in: CheckIn, viewer: User) -> QuerySet[CheckInMessage]:
    """The member sees what was delivered and their own words; moderators see everything."""
    messages = check_in.messages.select_related("sender")
    if viewer.pk == check_in.member_id:
        messages = messages.exclude(moderation_state=ModerationState.HELD, from_moderator=True)
    return messages
