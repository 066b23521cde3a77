"""Signals that let higher apps react to account events without accounts importing them.

`access_revoked` is sent, after the transaction commits, whenever a member's existing ways in
stop being valid: a suspension or ban, a role change (gained or lost), account deletion, a
password change. Receivers close what they hold open for that member (WebSockets in chat,
notifications and care). Keyword arguments: `user_id` (int) and `reason` (a short code such as
"suspended", "banned", "role_changed", "deleted", "password_changed").
"""

from django.dispatch import Signal

access_revoked = Signal()

# Sent inside the transaction when a member's site role really changes, so the audit log
# (moderation, a higher app) records who changed it. Keyword arguments: `user`, `old_role`,
# `new_role`, `acting_user` (None for a change the member made themselves, e.g. by applying).
role_changed = Signal()
