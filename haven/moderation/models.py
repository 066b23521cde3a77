"""Reports, the moderator queue, sanctions, appeals, and the audit log that records every act."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.core.content import ModerationState


class ReportReason(models.TextChoices):
    DANGER = "danger", _("Someone may be in danger")
    HARASSMENT = "harassment", _("Harassment or bullying")
    HATE = "hate", _("Hate or discrimination")
    MISINFORMATION = "misinformation", _("Harmful health information")
    PERSONAL_DATA = "personal_data", _("Shares someone's personal information")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", _("Something else")


class QueueKind(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    FLAGGED = "flagged", _("Flagged automatically")
    REPORTED = "reported", _("Reported by members")
    APPEAL = "appeal", pgettext_lazy("noun: asking to review a moderator's decision", "Appeal")


class QueueItem(models.Model):
    """One open item per piece of content and kind; new reports join the open item."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status of a moderation queue item", "Open")
        RESOLVED = "resolved", _("Resolved")

    kind = models.CharField(max_length=12, choices=QueueKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    post = models.ForeignKey(
        "forums.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    update = models.ForeignKey(
        "updates.Update", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    update_reply = models.ForeignKey(
        "updates.UpdateReply", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
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
    room_message = models.ForeignKey(
        "rooms.RoomMessage", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    direct_message = models.ForeignKey(
        "direct_messages.DirectMessage", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
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
    # The first time a person reached the member of an urgent item (a check-in, a reply as
    # Haven moderator, joining the chat): the wait the queue shows and the team measures.
    first_contact_at = models.DateTimeField(null=True, blank=True)
    first_contact_kind = models.CharField(max_length=20, blank=True)

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
        if self.update_reply_id:
            return "update_reply"
        if self.conversation_id:
            return "chat"
        if self.room_message_id:
            return "room_message"
        if self.direct_message_id:
            return "direct_message"
        return "profile"

    @property
    def target_id(self) -> int | None:
        return (
            self.post_id
            or self.update_id
            or self.update_reply_id
            or self.conversation_id
            or self.room_message_id
            or self.direct_message_id
            or self.member_id
        )

    @property
    def wait(self) -> timedelta:
        """From creation to first human contact; still running while nobody has reached out."""
        return (self.first_contact_at or timezone.now()) - self.created_at

    @property
    def wait_words(self) -> str:
        return timesince(self.created_at, self.first_contact_at or timezone.now())


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
        WARN = "warn", _("Warning")
        MUTE = "mute", _("Muted")
        SUSPEND = "suspend", _("Suspended")
        BAN = "ban", _("Banned")

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
        OPEN = "open", _("Waiting for a moderator")
        GRANTED = "granted", _("Granted: restored")
        DENIED = "denied", _("Not granted")

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
    """Who did what, when and why. Rows are only ever added: never edited, and deleted only
    past the retention the host sets (HAVEN_AUDIT_KEEP_DAYS).

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


class CrisisOutcome(models.Model):
    """What came of reaching out on an urgent item, in the moderator's words."""

    class Outcome(models.TextChoices):
        SAFE_FOR_NOW = "safe_for_now", _("Checked in, safe for now")
        RESOURCES_SENT = "resources_sent", _("Resources sent")
        EMERGENCY_ADVISED = "emergency_advised", _("Emergency services advised")
        NO_REPLY = "no_reply", _("No reply")

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.CharField(max_length=1000, blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} on item {self.item_id}"


class CheckIn(models.Model):
    """A private conversation a moderator opens with a member who may be in crisis. Only the
    member and site moderators can read it; every moderator look is audited."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    item = models.ForeignKey(
        QueueItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="check_ins"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["member", "-last_message_at"])]

    def __str__(self) -> str:
        return f"check-in {self.pk} with {self.member_id}"


CHECK_IN_MESSAGE_MAX_LENGTH = 2000


class CheckInMessage(models.Model):
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Shown as "Haven moderator" to the member: moderators reach out as the team, not by name.
    from_moderator = models.BooleanField(default=False)
    body = models.TextField(max_length=CHECK_IN_MESSAGE_MAX_LENGTH)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    safety_labels = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} in check-in {self.check_in_id}"
