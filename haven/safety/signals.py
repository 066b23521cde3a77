"""What safety tells the apps above it, without knowing them.

`verdict_reached` is sent by `file_verdict` once a screened text is stored, with the verdict
and what it is about (`post`, `update`, `update_reply` or `member`): moderation queues what
the policy says to queue and alerts moderators for urgent items, in the writer's transaction.

`crisis_words_written` is sent (sender: the screening) when a member's text is labelled crisis
as it is screened, with `author`. Moderation resets its over-reliance nudge on it: someone in
crisis sees help at once, not a suggestion to look for a therapist.
"""

from django.dispatch import Signal

crisis_words_written = Signal()
verdict_reached = Signal()
