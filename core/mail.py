"""Building emails: absolute links built from the one configured site address, one message per
person. Each app writes its own emails (grants/emails.py, ethics/emails.py,
evaluation/emails.py); ``grants.inbox.deliver`` sends them and keeps a copy in each inbox.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """The site's address followed by ``path``: links in emails need the full URL."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def message_to(user, subject: str, template: str, context: dict) -> EmailMessage:
    """One email to one person, its body rendered from ``template`` (``recipient`` is set)."""
    body = render_to_string(template, {**context, "recipient": user})
    return EmailMessage(subject=subject, body=body, to=[user.email])
