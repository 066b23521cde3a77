"""Therapists: applying with licences, their review by moderators, expiry, and the directory.

permissions.py decides who is practising (an approved, unexpired licence) and who may see or
review what; actions.py holds every write (profiles, licences, decisions, expiry notices) and
tasks.py the hourly expiry job; queries.py the dashboard's warnings, the review queue and the
directory; vocabulary.py the choices the models leave open; evidence.py the rules for uploaded
licence evidence. views.py, api.py, forms.py and urls.py are the pages and the JSON API.
"""
