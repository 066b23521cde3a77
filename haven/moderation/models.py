"""Reports, the moderator queue, sanctions, appeals, and the audit log that records every act."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ModerationState(models.TextChoices):
    """Where a post or update stands. Only VISIBLE items are shown to other members."""

    VISIBLE = "visible", "Visible"
    HELD = "held", "Waiting for a moderator"
    REMOVED = "removed", "Removed by a moderator"


class ReportReason(models.TextChoices):
    DANGER = "danger", "Someone may be in danger"
    HARASSMENT = "harassment", "Harassment or bullying"
    HATE = "hate", "Hate or discrimination"
    MISINFORMATION = "misinformation", "Harmful health information"
    PERSONAL_DATA = "personal_data", "Shares someone's personal information"
    SPAM = "spam", "Spam or advertising"
    OTHER = "other", "Something else"


class QueueKind(models.TextChoices):
    URGENT = "urgent", "Urgent"
    FLAGGED = "flagged", "Flagged automatically"
    REPORTED = "reported", "Reported by members"
    APPEAL = "appeal", "Appeal"


class QueueItem(models.Model):
    """One open item per piece of content and kind; new reports join the open item."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    kind = models.CharField(max_length=12, choices=QueueKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    post = models.ForeignKey(
        "forums.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    update = models.ForeignKey(
        "updates.Update", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", help_text="For a profile: the member whose profile it is.",
    )  # fmt: skip
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", help_text="Set for forum posts, so community moderators see them.",
    )  # fmt: skip
    conversation = models.ForeignKey(
        "chat.Conversation", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text="A reported or escalated chat: only then may moderators read it.",
    )  # fmt: skip
    labels = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    appeal = models.ForeignKey(
        "Appeal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    resolution = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} item {self.pk} ({self.status})"

    @property
    def target_kind(self) -> str:
        if self.post_id:
            return "post"
        if self.update_id:
            return "update"
        if self.conversation_id:
            return "chat"
        return "profile"


class Report(models.Model):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    details = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"report {self.pk}: {self.reason}"


class Sanction(models.Model):
    class Kind(models.TextChoices):
        WARN = "warn", "Warning"
        MUTE = "mute", "Muted"
        SUSPEND = "suspend", "Suspended"
        BAN = "ban", "Banned"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=500)
    until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} of {self.member_id}"


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        GRANTED = "granted", "Granted: restored"
        DENIED = "denied", "Not granted"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    post = models.ForeignKey(
        "forums.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="appeals"
    )
    update = models.ForeignKey(
        "updates.Update", on_delete=models.CASCADE, null=True, blank=True, related_name="appeals"
    )
    text = models.CharField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision_reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"appeal {self.pk} ({self.status})"


class AuditEntry(models.Model):
    """Who did what, when and why. Rows are only ever added: never edited, never deleted.

    Targets are plain ids, so the record outlives the content it speaks of.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=40)
    action = models.CharField(max_length=40)
    target_kind = models.CharField(max_length=20, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    community = models.ForeignKey(
        "communities.Community", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target_kind} {self.target_id}"


class ModeratorDuty(models.Model):
    """Moderators mark themselves on duty; urgent items notify those on duty first."""

    moderator = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty"
    )
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.moderator_id} on duty"


class DailyActivity(models.Model):
    """Minutes a member was active on a day, for the gentle over-reliance nudge. Nothing else."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    active_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "day"], name="one_activity_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.day}: {self.active_minutes} min"
