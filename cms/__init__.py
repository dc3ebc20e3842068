"""The CMS: calls for projects, home, news and content pages (Wagtail page models).

Its templates and static assets live in the top-level ``site/`` folder.
"""
