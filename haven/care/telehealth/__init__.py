"""Telehealth: informed consent, the member's location for each session, and the video room.

consent.py holds the consent text and its version, location.py where the member is, room.py
when a room is open and what a browser needs to join it; permissions.py who may prepare a
session and enter its room; actions.py records consent and location; consumers.py is the
room's WebSocket, which relays signalling and stores nothing. views.py, api.py, forms.py and
urls.py are the pages and the JSON API.
"""
