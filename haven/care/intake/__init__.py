"""Finding a therapist: the matching questionnaire, the PHQ-9 / GAD-7 screening, and fit.

questionnaire.py holds the questions, the screening instruments, and reading and saving a
member's answers; fit.py ranks practising therapists against them, with the reasons in plain
words; actions.py chooses (or changes) a therapist and permissions.py says who may be chosen.
views.py, api.py, forms.py and urls.py are the pages and the JSON API. Everything here is the
signed-in member's own.
"""
