"""Reports, appeals and the moderator queue in the JSON API: the same checks and actions as
the pages."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.accounts.permissions import access_member_by_pseudonym
from haven.core.api_schemas import (
    InputSchema,
    MemberText,
    PageNumber,
    PageOf,
    PlainText,
    PublicId,
    RowId,
    paginate,
)
from haven.core.content import ModerationState
from haven.forums.models import Post
from haven.forums.permissions import access_post_by_id
from haven.moderation import actions
from haven.moderation.decisions import Decision, check_decision, do_decide
from haven.moderation.evasion import (
    EvasionSignal,
    evasion_signal_data,
    evasion_signal_for,
    evasion_signals_for_items,
)
from haven.moderation.models import AuditEntry, QueueItem, QueueKind, ReportReason
from haven.moderation.outreach import (
    do_record_check_in_view,
    do_send_check_in_message,
    visible_check_in_messages,
)
from haven.moderation.permissions import (
    access_check_in_by_id,
    access_queue_item_by_id,
    access_report_target,
    check_answer_check_in,
    check_appeal,
    check_read_audit_log,
    check_report,
    check_view_queue,
    filter_check_ins_for,
    filter_queue_for,
)
from haven.moderation.reveal import RevealedItem, do_reveal_item, public_text, transcript_text
from haven.safety.support import support_panel_data
from haven.updates.models import Update
from haven.updates.permissions import access_update_by_id, access_update_reply_by_id

router = Router(auth=member_auth, tags=["moderation"])

TargetKind = Literal["post", "update", "update_reply", "member", "chat"]


class ReportIn(InputSchema):
    target_kind: TargetKind
    target_id: RowId | PublicId | None = Field(
        default=None,
        description="For a post, an update or a reply to one, its public id; for a chat, the "
        "conversation id.",
    )
    pseudonym: PlainText(30) | None = Field(default=None, description="For a profile.")
    reason: Literal[tuple(ReportReason.values)]  # type: ignore[valid-type]
    details: MemberText(500, required=False) = ""


class ReportOut(Schema):
    received: bool
    message: str


class AppealIn(InputSchema):
    target_kind: Literal["post", "update"]
    target_id: PublicId = Field(description="The public id.")
    text: MemberText(1000)


class AppealOut(Schema):
    id: int
    status: str


class EvasionMatchOut(Schema):
    banned_account: str = Field(description="The banned account's pseudonym.")
    kind: Literal["device", "network"]
    strength: Literal["strong", "moderate", "weak"]
    reason: str
    seen_at: datetime = Field(description="When this account was first seen with it.")
    banned_at: datetime


class EvasionSignalOut(Schema):
    strength: Literal["strong", "moderate", "weak"]
    summary: str
    note: str
    matches: list[EvasionMatchOut] = Field(description="Strongest first, one per account.")


class QueueItemOut(Schema):
    id: int
    kind: str
    status: str
    target_kind: str
    target_id: int
    community: str | None
    labels: list[str]
    report_count: int
    created_at: datetime
    text: str = Field(
        description="The content under review. A reported chat's transcript is only in the "
        "single item (GET /moderation/items/{id}), where each reading is audited; empty in "
        "lists and decision replies."
    )
    author: str | None = Field(
        description="Only in the single item, for the moderator acting on it; seeing an "
        "anonymous author is audited. Null in lists and decision replies."
    )
    report_reasons: list[str]
    appeal_text: str | None
    first_contact_at: datetime | None = Field(
        description="When someone first reached out on an urgent item (a check-in, a reply "
        "as Haven moderator, joining the chat); null while nobody has."
    )
    wait_seconds: int = Field(
        description="From the item's creation to first contact, or until now while none."
    )
    evasion: EvasionSignalOut | None = Field(
        default=None,
        description="For site moderators only: the member shares a browser or a network with "
        "a banned account. A hint; nothing happens automatically. Null for everyone else, "
        "and in lists for anonymous posts (shown on the single item, where the look is "
        "audited).",
    )


class QueuePageOut(PageOf):
    items: list[QueueItemOut]


class DecisionIn(InputSchema):
    decision: Literal[tuple(d.value for d in Decision)]  # type: ignore[valid-type]
    reason: MemberText(500, required=False) = ""
    labels: list[Literal["crisis", "toxic", "misinformation", "personal_data", "spam"]] = []
    hours: int = Field(default=24, ge=1, le=24 * 30)
    days: int = Field(default=7, ge=1, le=365)


class AuditOut(Schema):
    id: int
    actor: str
    action: str
    target_kind: str
    target_id: int | None
    community: str | None
    reason: str
    details: dict = Field(
        description="What the entry records beyond the target: for changes to watched words, "
        "community limits and slow mode, `before` and `after`."
    )
    created_at: datetime


class AuditPageOut(PageOf):
    items: list[AuditOut]


def _item_out(
    item: QueueItem,
    revealed: RevealedItem | None = None,
    evasion: EvasionSignal | None = None,
) -> dict:
    """Lists and decision replies pass no `revealed`: no transcript, no author, no audit row."""
    if revealed is not None and item.conversation_id:
        text = transcript_text(item, revealed)
    else:
        text = public_text(item)
    author = revealed.author if revealed is not None else None
    return {
        "id": item.pk,
        "kind": item.kind,
        "status": item.status,
        "target_kind": item.target_kind,
        "target_id": item.target_id,
        "community": item.community.slug if item.community else None,
        "labels": item.labels,
        "report_count": item.report_count,
        "created_at": item.created_at,
        "text": text,
        "author": author.pseudonym if author else None,
        "report_reasons": [r.reason for r in item.reports.all()],
        "appeal_text": item.appeal.text if item.appeal else None,
        "first_contact_at": item.first_contact_at,
        "wait_seconds": int(item.wait.total_seconds()),
        "evasion": evasion_signal_data(evasion),
    }


@router.post("/reports", response={201: ReportOut})
def report(request: HttpRequest, payload: ReportIn):
    if payload.target_kind == "chat":
        chat_id = payload.target_id if isinstance(payload.target_id, int) else 0
        conversation = access_report_target(request.user, "chat", chat_id)
        check_report(request.actor)
        actions.do_report_conversation(
            request.user, conversation, reason=payload.reason, details=payload.details
        )
        return Status(
            201,
            {"received": True, "message": _("Thank you. A moderator will read this chat.")},
        )
    if payload.target_kind == "post":
        post = access_post_by_id(request.user, str(payload.target_id or ""))
        author_id, target = post.author_id, {"post": post}
    elif payload.target_kind == "update":
        update = access_update_by_id(request.user, str(payload.target_id or ""))
        author_id, target = update.author_id, {"update": update}
    elif payload.target_kind == "update_reply":
        reply = access_update_reply_by_id(request.user, str(payload.target_id or ""))
        author_id, target = reply.author_id, {"update_reply": reply}
    else:
        member = access_member_by_pseudonym(request.user, payload.pseudonym or "")
        author_id, target = member.pk, {"member": member}
    if author_id == request.user.pk:
        raise PermissionDenied(_("You can't report your own words."))
    check_report(request.actor)
    actions.do_report(request.user, reason=payload.reason, details=payload.details, **target)
    return Status(
        201,
        {
            "received": True,
            "message": _(
                "Thank you. A moderator will look at it; the person won't know who reported them."
            ),
        },
    )


@router.post("/appeals", response={201: AppealOut})
def appeal(request: HttpRequest, payload: AppealIn):
    check_appeal(request.actor)
    model = Post if payload.target_kind == "post" else Update
    content = model.objects.filter(public_id=payload.target_id, author=request.user).first()
    if content is None:
        raise Http404("Not found.")
    if content.moderation_state != ModerationState.REMOVED:
        raise PermissionDenied(_("Only removed content can be appealed."))
    if content.appeals.filter(status="open").exists():
        raise PermissionDenied(_("Your appeal is already waiting for a moderator."))
    created = actions.do_file_appeal(
        request.user, text=payload.text, **{payload.target_kind: content}
    )
    return Status(201, {"id": created.pk, "status": created.status})


@router.get("/moderation/queue", response=QueuePageOut)
def moderation_queue(
    request: HttpRequest,
    kind: Literal["", "urgent", "flagged", "reported", "appeal"] = "",
    page: PageNumber = 1,
):
    check_view_queue(request.user)
    items = filter_queue_for(request.user).filter(status=QueueItem.Status.OPEN)
    if kind:
        items = items.filter(kind=kind)
    items = (
        items.select_related(
            "post__author",
            "update__author",
            "update_reply__author",
            "member",
            "community",
            "appeal",
        )
        .prefetch_related("reports")
        .order_by(Case(When(kind=QueueKind.URGENT, then=0), default=1), "created_at")
    )
    rows, meta = paginate(items, page)
    signals = evasion_signals_for_items(request.user, rows)
    return {**meta, "items": [_item_out(item, evasion=signals.get(item.pk)) for item in rows]}


@router.get("/moderation/items/{item_id}", response=QueueItemOut)
def moderation_item(request: HttpRequest, item_id: int):
    item = access_queue_item_by_id(request.user, item_id)
    revealed = do_reveal_item(request.user, item)
    return _item_out(item, revealed, evasion_signal_for(request.user, revealed.author))


@router.post("/moderation/items/{item_id}/decision", response=QueueItemOut)
def decide(request: HttpRequest, item_id: int, payload: DecisionIn):
    item = access_queue_item_by_id(request.user, item_id)
    decision = Decision(payload.decision)
    check_decision(request.actor, item, decision, payload.reason)
    do_decide(
        item, decision, moderator=request.user, reason=payload.reason, labels=payload.labels,
        hours=payload.hours, days=payload.days,
    )  # fmt: skip
    item.refresh_from_db()
    return _item_out(item)


@router.get("/moderation/audit", response=AuditPageOut)
def audit(request: HttpRequest, page: PageNumber = 1):
    check_read_audit_log(request.user)
    rows, meta = paginate(AuditEntry.objects.select_related("community"), page, per_page=50)
    return {
        **meta,
        "items": [
            {
                "id": e.pk,
                "actor": e.actor_label,
                "action": e.action,
                "target_kind": e.target_kind,
                "target_id": e.target_id,
                "community": e.community.slug if e.community else None,
                "reason": e.reason,
                "details": e.details,
                "created_at": e.created_at,
            }
            for e in rows
        ],
    }


# --- Check-ins: a moderator's private messages to a member, and the member's answers


class CheckInSummaryOut(Schema):
    id: int
    created_at: datetime
    last_message_at: datetime


class CheckInMessageOut(Schema):
    id: int
    author: str = Field(description='"Haven moderator" or "you" (for the member).')
    from_moderator: bool
    mine: bool
    body: str
    created_at: datetime
    held: bool


class CheckInWithMessagesOut(Schema):
    id: int
    created_at: datetime
    messages: list[CheckInMessageOut]


class CheckInMessageIn(InputSchema):
    body: MemberText(2000)


class CheckInSentOut(Schema):
    message: CheckInMessageOut
    support: dict | None = Field(
        description="Crisis lines for the member, when their words suggest crisis."
    )


def _check_in_message_out(message, viewer) -> dict:
    mine = message.sender_id == viewer.pk
    return {
        "id": message.pk,
        "author": "Haven moderator" if message.from_moderator else ("you" if mine else "member"),
        "from_moderator": message.from_moderator,
        "mine": mine,
        "body": message.body,
        "created_at": message.created_at,
        "held": message.moderation_state == ModerationState.HELD,
    }


@router.get("/check-ins", response=list[CheckInSummaryOut])
def list_check_ins(request: HttpRequest):
    return [
        {"id": c.pk, "created_at": c.created_at, "last_message_at": c.last_message_at}
        for c in filter_check_ins_for(request.user)[:100]
    ]


@router.get("/check-ins/{check_in_id}", response=CheckInWithMessagesOut)
def read_check_in(request: HttpRequest, check_in_id: int):
    check_in = access_check_in_by_id(request.user, check_in_id)
    if check_in.member_id != request.user.pk:
        do_record_check_in_view(request.user, check_in)
    return {
        "id": check_in.pk,
        "created_at": check_in.created_at,
        "messages": [
            _check_in_message_out(m, request.user)
            for m in visible_check_in_messages(check_in, request.user)
        ],
    }


@router.post("/check-ins/{check_in_id}/messages", response={201: CheckInSentOut})
def answer_check_in(request: HttpRequest, check_in_id: int, payload: CheckInMessageIn):

    check_in = access_check_in_by_id(request.user, check_in_id)
    check_answer_check_in(request.actor, check_in)
    is_member = check_in.member_id == request.user.pk
    message = do_send_check_in_message(
        check_in, sender=request.user, body=payload.body, as_moderator=not is_member
    )
    support = None
    if is_member and "crisis" in message.safety_labels:
        support = support_panel_data(request.user)
    return Status(
        201, {"message": _check_in_message_out(message, request.user), "support": support}
    )
