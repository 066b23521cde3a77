"""Secure messaging between a member and their therapist, session notes, the member's own
record, a listener's hand-off summary, and sharing a safety plan with a therapist.

permissions.py holds access_relationship and the checks run before each write; actions.py
every write; queries.py the threads, notes, the record (and the account export's care data),
hand-offs and shared plans. views.py, api.py, forms.py and urls.py are the pages and the JSON
API. Nothing here enters the search index, the admin site, the moderation queue or the audit
log.
"""
