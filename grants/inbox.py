"""Sending emails and keeping each in its recipients' inbox (« Mes messages »).

Every app sends its emails through ``deliver``: each is queued for sending (``core.mail``,
with retries) and copied to the inbox of its recipients at once, so people who missed, lost or
have not yet received an email find it in their space, with its link, read or unread.
"""

from __future__ import annotations

import re
from functools import partial

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction

from core import mail

from .models import Notification

_SITE_LINK = re.compile(r"https?://\S+")


def deliver(messages: list[EmailMessage]) -> None:
    """Queue ``messages`` for sending, and copy each to the inbox of every user it was
    addressed to (to and cc)."""
    if not messages:
        return
    mail.deliver(messages)
    addresses = {address.lower() for m in messages for address in [*m.to, *m.cc]}
    users = {}
    for user in get_user_model().objects.filter(email__in=addresses, is_active=True):
        users.setdefault(user.email.lower(), []).append(user)
    Notification.objects.bulk_create(
        Notification(user=user, subject=m.subject[:300], body=m.body, link=_link(m.body))
        for m in messages
        for address in dict.fromkeys(a.lower() for a in [*m.to, *m.cc])
        for user in users.get(address, [])
    )


def deliver_on_commit(messages: list[EmailMessage]) -> None:
    """``deliver`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(deliver, list(messages)), robust=True)


def _link(body: str) -> str:
    """The email's first link into the site, if any."""
    base = mail.absolute_url("/")
    return next((url for url in _SITE_LINK.findall(body) if url.startswith(base)), "")[:500]
