"""What safety tells the apps above it, without knowing them.

`crisis_words_written` is sent (sender: the screening) when a member's text is labelled crisis
as it is screened, with `author`. Moderation resets its over-reliance nudge on it: someone in
crisis sees help at once, not a suggestion to look for a therapist.
"""

from django.dispatch import Signal

crisis_words_written = Signal()
