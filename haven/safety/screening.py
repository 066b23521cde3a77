"""How actions use the pipeline: screen a member's text in context, and stop before writing when
the policy refuses it or first wants the writer to reconsider."""

from datetime import timedelta

from django.utils import timezone

from haven.safety.pipeline import ScreenContext, Verdict, screen


class TextRefused(Exception):
    """The text is not published (personal data). Nothing was written; the writer can edit."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        found = ", ".join(f"{f.description} ({f.text})" for f in verdict.findings)
        super().__init__(
            f"To protect your anonymity, we can't post this: it contains {found}. "
            "Please remove it and post again."
        )


class TextNeedsReviewChoice(Exception):
    """The text may hurt someone: the writer may edit it, or send it to a moderator."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        super().__init__(
            "This may hurt someone. You can edit it, or send it as it is for a moderator to "
            "review before it appears."
        )


def _recent_texts(author) -> tuple[str, ...]:
    from haven.forums.models import Post
    from haven.updates.models import Update

    since = timezone.now() - timedelta(hours=1)
    posts = Post.objects.filter(author=author, created_at__gte=since).values_list("body", flat=True)
    updates = Update.objects.filter(author=author, created_at__gte=since).values_list(
        "body", flat=True
    )
    return tuple(posts[:10]) + tuple(updates[:10])


# Surfaces where the same text posted again and again is spam.
REPEATABLE_SURFACES = ("thread", "reply", "update", "profile", "report")


def screen_member_text(
    text: str, *, surface: str, author, send_for_review: bool = False
) -> Verdict:
    context = ScreenContext(
        surface=surface,
        account_age_days=(timezone.now() - author.date_joined).total_seconds() / 86400,
        # Repeats across forum posts and updates are spam; a chat's own rate limit and its two
        # participants (who can block and report) cover chats and journals.
        recent_texts=_recent_texts(author) if surface in REPEATABLE_SURFACES else (),
    )
    verdict = screen(text, context)
    if "crisis" in verdict.labels:
        from haven.moderation.nudges import forget_nudge

        forget_nudge(author)
    if verdict.decision.refuse:
        raise TextRefused(verdict)
    if verdict.decision.nudge and not send_for_review:
        raise TextNeedsReviewChoice(verdict)
    return verdict
