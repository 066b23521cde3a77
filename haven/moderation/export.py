"""What moderation holds about a member, in their data export (haven.accounts.export): the
reports they filed, their appeals, and the sanctions given to them. Never a moderator's name,
never who else reported the same thing, never another member's reports."""

from typing import Any

from haven.accounts.models import User
from haven.moderation.models import Appeal, Report, Sanction


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


def moderation_export(user: User) -> dict[str, Any]:
    return {
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
