"""Booking sessions: a therapist's hours, free slots, booking, cancelling and moving.

slots.py is the pure arithmetic of free slots (no database, no models); queries.py loads what it
reads and a person's appointments; actions.py books without double booking, cancels,
reschedules and edits hours; permissions.py holds access_appointment and the checks run before
those writes, and care's shared write gates. calendar.py serves the secret iCalendar feed,
tasks.py the session reminders. views.py, api.py, forms.py and urls.py are the pages and the
JSON API.
"""
