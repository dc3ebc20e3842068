"""The bottom layer: what every app shares and nothing of the apps.

Vocabulary (states, review tracks, regions, organisation sizes), the role groups, a rule's
refusal, amounts as people read them, email helpers and a form field. Modules here import
Django and the standard library only, never ``cms``, ``grants``, ``ethics``, ``evaluation`` or
``search``: the import-graph test keeps it so.
"""
