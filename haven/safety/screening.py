"""How actions use the pipeline: screen a member's text in context, and stop before writing when
the policy refuses it or first wants the writer to reconsider."""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser as User
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.safety.pipeline import ScreenContext, Verdict, screen
from haven.safety.signals import crisis_words_written, verdict_reached


class TextRefused(Exception):
    """The text is not published (personal data). Nothing was written; the writer can edit."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        found = ", ".join(f"{f.description} ({f.text})" for f in verdict.findings)
        super().__init__(
            _(
                "To protect your anonymity, we can't post this: it contains %(found)s. Please "
                "remove it and post again."
            )
            % {"found": found}
        )


class TextNeedsReviewChoice(Exception):
    """The text may hurt someone: the writer may edit it, or send it to a moderator."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        super().__init__(
            _(
                "This may hurt someone. You can edit it, or send it as it is for a moderator to "
                "review before it appears."
            )
        )


# Apps that store public words register how to read a member's recent ones (forums: posts,
# updates: updates), in their wiring.py: safety sits below them and never imports them.
RecentTexts = Callable[[User, datetime], Iterable[str]]
_recent_text_sources: list[RecentTexts] = []
RECENT_WINDOW = timedelta(hours=1)
RECENT_PER_SOURCE = 10


def register_recent_texts(source: RecentTexts) -> None:
    """`source(author, since)` gives the author's texts written since then, newest first."""
    if source not in _recent_text_sources:
        _recent_text_sources.append(source)


def _recent_texts(author: User) -> tuple[str, ...]:
    since = timezone.now() - RECENT_WINDOW
    return tuple(
        text
        for source in _recent_text_sources
        for text in list(source(author, since))[:RECENT_PER_SOURCE]
    )


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
        crisis_words_written.send(sender=screen_member_text, author=author)
    if verdict.decision.refuse:
        raise TextRefused(verdict)
    if verdict.decision.nudge and not send_for_review:
        raise TextNeedsReviewChoice(verdict)
    return verdict


def file_verdict(
    verdict: Verdict, *, post=None, update=None, update_reply=None, member=None
) -> None:
    """Hand a stored text's verdict to whoever queues it (moderation), in this transaction."""
    verdict_reached.send(
        sender=file_verdict,
        verdict=verdict,
        post=post,
        update=update,
        update_reply=update_reply,
        member=member,
    )
