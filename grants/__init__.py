"""Organisations, applicants and their applications (see issue "Applicants")."""
