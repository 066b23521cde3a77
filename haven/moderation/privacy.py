"""What moderation holds about a member, in their data export (haven.accounts.personal_data): the
reports they filed, their appeals, the sanctions given to them and the check-ins moderators
opened with them. Never a moderator's name, never who else reported the same thing, never
another member's reports."""

from typing import Any

from django.db.models import Prefetch

from haven.accounts.models import User
from haven.core.content import ModerationState
from haven.moderation.models import Appeal, CheckIn, CheckInMessage, Report, Sanction


def reports_export(user: User) -> list[dict[str, Any]]:
    reports = Report.objects.filter(reporter=user).select_related("item").order_by("created_at")
    return [
        {
            "about": report.item.target_kind,
            "reason": report.reason,
            "details": report.details,
            "created_at": report.created_at.isoformat(),
        }
        for report in reports
    ]


def check_ins_export(user: User) -> list[dict[str, Any]]:
    """The member's side of each check-in: their own words, and the moderators' words as they
    were shown to them (as "Haven moderator"; held ones they never saw are left out)."""
    check_ins = (
        CheckIn.objects.filter(member=user)
        .prefetch_related(
            Prefetch("messages", queryset=CheckInMessage.objects.order_by("created_at", "id"))
        )
        .order_by("created_at", "id")
    )
    return [
        {
            "started_at": check_in.created_at.isoformat(),
            "messages": [
                {
                    "from": "Haven moderator" if message.from_moderator else "you",
                    "body": message.body,
                    "created_at": message.created_at.isoformat(),
                }
                for message in check_in.messages.all()
                if not message.from_moderator or message.moderation_state == ModerationState.VISIBLE
            ],
        }
        for check_in in check_ins
    ]


def moderation_export(user: User) -> dict[str, Any]:
    return {
        "check_ins": check_ins_export(user),
        "appeals": [
            {
                "about": "post" if appeal.post_id else "update",
                "text": appeal.text,
                "status": appeal.status,
                "decision_reason": appeal.decision_reason,
                "created_at": appeal.created_at.isoformat(),
                "decided_at": appeal.decided_at.isoformat() if appeal.decided_at else None,
            }
            for appeal in Appeal.objects.filter(author=user).order_by("created_at")
        ],
        "sanctions": [
            {
                "kind": sanction.kind,
                "reason": sanction.reason,
                "until": sanction.until.isoformat() if sanction.until else None,
                "created_at": sanction.created_at.isoformat(),
            }
            for sanction in Sanction.objects.filter(member=user).order_by("created_at")
        ],
    }


PERSONAL_DATA = {
    "moderation.QueueItem.member": "the member's own items appear in moderation; deleted",
    "moderation.QueueItem.resolved_by": "a moderator's work: not exported; set empty",
    "moderation.Report.reporter": "exported as reports_filed; kept for the queue, unnamed",
    "moderation.Sanction.member": "exported in moderation.sanctions; deleted",
    "moderation.Sanction.created_by": "a moderator's work: not exported; set empty",
    "moderation.Appeal.author": "exported in moderation.appeals; deleted",
    "moderation.Appeal.decided_by": "a moderator's work: not exported; set empty",
    "moderation.AuditEntry.actor": "the audit log outlives its actors: not exported; unnamed",
    "moderation.ModeratorDuty.moderator": "a rota, not exported; deleted",
    "moderation.DailyActivity.member": "minutes of use for nudges, not exported; deleted",
    "moderation.CrisisOutcome.moderator": "a moderator's work: not exported; set empty",
    "moderation.CheckIn.member": "exported in moderation.check_ins; deleted",
    "moderation.CheckIn.started_by": "a moderator's work: not exported; set empty",
    "moderation.CheckInMessage.sender": "exported in moderation.check_ins; deleted with it",
}


def export(user: User) -> dict[str, Any]:
    return {"reports_filed": reports_export(user), "moderation": moderation_export(user)}


def erase(user: User, *, erase_content: bool) -> None:
    """Reports stay (unnamed) so the queue keeps its reasons; the rest goes with the account."""
