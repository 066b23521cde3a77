"""Short personal updates with an optional mood, and who follows whom."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from haven.core.content import ModerationState
from haven.core.public_ids import public_id_field

UPDATE_MAX_LENGTH = 500


class Mood(models.TextChoices):
    GREAT = "great", "Great"
    GOOD = "good", "Good"
    OKAY = "okay", "Okay"
    LOW = "low", "Low"
    ANXIOUS = "anxious", "Anxious"
    STRUGGLING = "struggling", "Struggling"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Everyone on Haven"
    FOLLOWERS = "followers", "Only my followers (people I approved to follow me)"
    PRIVATE = "private", "Only me"


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

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "-created_at"])]

    def __str__(self) -> str:
        return f"update {self.pk} by {self.author_id}"


class FollowStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    ACCEPTED = "accepted", "Approved"


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
