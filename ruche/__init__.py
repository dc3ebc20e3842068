"""Ruche: the Django project package (settings, URLs, WSGI).

Named so that it shadows nothing: the standard library owns ``site``, whose folder holds the
website's templates and static assets instead.
"""
