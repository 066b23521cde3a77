"""Short personal updates with an optional mood, and who follows whom."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.core.content import ModerationState
from haven.core.public_ids import public_id_field

UPDATE_MAX_LENGTH = 500


class Mood(models.TextChoices):
    GREAT = "great", pgettext_lazy("mood", "Great")
    GOOD = "good", pgettext_lazy("mood", "Good")
    OKAY = "okay", pgettext_lazy("mood", "Okay")
    LOW = "low", pgettext_lazy("mood", "Low")
    ANXIOUS = "anxious", pgettext_lazy("mood", "Anxious")
    STRUGGLING = "struggling", pgettext_lazy("mood", "Struggling")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone on Haven")
    FOLLOWERS = "followers", _("Only my followers (people I approved to follow me)")
    PRIVATE = "private", _("Only me")


class Update(models.Model):
    public_id = public_id_field()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="updates"
    )
    body = models.CharField(max_length=UPDATE_MAX_LENGTH)
    mood = models.CharField(max_length=12, choices=Mood.choices, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(default=timezone.now)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    removal_reason = models.CharField(max_length=500, blank=True)
    safety_labels = models.JSONField(default=list, blank=True)
    # Theme keys (haven.core.themes) a member may have muted.
    themes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "-created_at"])]

    def __str__(self) -> str:
        return f"update {self.pk} by {self.author_id}"

    @property
    def reaction_buttons(self) -> list[tuple[str, str, int, bool]]:
        """(kind, label, count, mine) per kind, from what queries.with_reactions_and_replies
        attached; without it every count reads 0."""
        mine = {reaction.kind for reaction in getattr(self, "my_reactions", [])}
        return [
            (kind, label, getattr(self, f"{kind}_count", 0), kind in mine)
            for kind, label in UpdateReaction.Kind.choices
        ]


class FollowStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    ACCEPTED = "accepted", _("Approved")


class Follow(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A follow starts as a request when the followed member approves new followers; only an
    # accepted follow lets someone read followers-only updates.
    status = models.CharField(
        max_length=10, choices=FollowStatus.choices, default=FollowStatus.PENDING
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_once"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="no_self_follow"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"


class FollowerSetting(models.Model):
    """How a member takes new followers. Without a row, new followers wait for approval."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_setting"
    )
    approve_new_followers = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"follower setting of {self.member_id}"


REPLY_MAX_LENGTH = 500


class UpdateReaction(models.Model):
    """Support sent on an update: the same kinds as forums' reactions, one per kind per member."""

    class Kind(models.TextChoices):
        HUG = "hug", pgettext_lazy("reaction", "Hug")
        METOO = "metoo", pgettext_lazy("reaction", "Me too")
        THANKS = "thanks", pgettext_lazy("reaction", "Thank you")

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="update_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["update", "user", "kind"], name="one_update_reaction_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on update {self.update_id}"


class UpdateReply(models.Model):
    """A short answer under an update, seen by exactly those who can see the update."""

    public_id = public_id_field()
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="update_replies"
    )
    body = models.CharField(max_length=REPLY_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    removal_reason = models.CharField(max_length=500, blank=True)
    safety_labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["update", "created_at"])]
        verbose_name_plural = "update replies"

    def __str__(self) -> str:
        return f"reply {self.pk} on update {self.update_id}"

    @property
    def is_visible(self) -> bool:
        return self.moderation_state == ModerationState.VISIBLE
