"""Gentle nudges towards professional help for members who lean on peers very heavily:
several crisis-flagged posts in a short time, or very long use in one day."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from haven.accounts.models import Role
from haven.forums.models import Post
from haven.moderation.models import DailyActivity

DISMISS_KEY = "haven_nudge_dismissed"
NUDGE_CACHE_SECONDS = 300


def record_activity(user) -> None:
    """Counts active minutes: the first request in each minute adds one to today's row."""
    now = timezone.now()
    minute_key = f"active:{user.pk}:{now:%Y%m%d%H%M}"
    if not cache.add(minute_key, 1, 120):
        return
    updated = DailyActivity.objects.filter(member=user, day=now.date()).update(
        active_minutes=F("active_minutes") + 1
    )
    if not updated:
        DailyActivity.objects.get_or_create(
            member=user, day=now.date(), defaults={"active_minutes": 1}
        )


def over_reliance_reason(user) -> str | None:

    since = timezone.now() - timedelta(hours=settings.HAVEN_NUDGE_CRISIS_HOURS)
    # A member's own posts of the last hours are few; counting them here works on every database.
    crisis_posts = sum(
        "crisis" in labels
        for labels in Post.objects.filter(author=user, created_at__gte=since).values_list(
            "safety_labels", flat=True
        )
    )
    if crisis_posts >= settings.HAVEN_NUDGE_CRISIS_POSTS:
        return "crisis"
    if user.role != Role.MEMBER:
        # Listeners, therapists and moderators spend long hours here because they are helping:
        # "you have been here a lot today, a professional could help" is a member's text.
        return None
    minutes = (
        DailyActivity.objects.filter(member=user, day=timezone.now().date())
        .values_list("active_minutes", flat=True)
        .first()
        or 0
    )
    if minutes >= settings.HAVEN_NUDGE_DAILY_MINUTES:
        return "time"
    return None


def forget_nudge(user) -> None:
    """A new crisis-flagged text may change the answer: work it out again on the next page."""
    cache.delete(f"nudge:{user.pk}")


def forget_nudge_after_crisis(sender, *, author, **kwargs) -> None:
    """Receiver of safety's crisis_words_written (connected in moderation/wiring.py)."""
    forget_nudge(author)


def nudge_context(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    today = timezone.now().date().isoformat()
    if request.session.get(DISMISS_KEY) == today:
        return {}
    # Worked out at most every few minutes per member: it changes slowly, pages are many.
    cache_key = f"nudge:{user.pk}"
    reason = cache.get(cache_key)
    if reason is None:
        reason = over_reliance_reason(user) or ""
        cache.set(cache_key, reason, NUDGE_CACHE_SECONDS)
    return {"over_reliance_nudge": reason} if reason else {}
