"""The « Messages » panel of an application's pages, applicant's and staff's alike: the
thread as the reader's side sees it (marked read) and the form of a new message."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from grants.models import Application

from ..thread import Side, is_open, thread
from ..thread_forms import MessageForm


def thread_context(
    application: Application, user, side: str, form: MessageForm | None = None
) -> dict:
    shown = thread(application, user, side)
    post = "evaluation:message_post" if side == Side.APPLICANT else "evaluation:staff_message_post"
    return {
        "thread": shown,
        "thread_new": sum(1 for item in shown if item.new),
        "thread_open": is_open(application),
        "thread_side": side,
        "message_form": form or MessageForm(),
        "message_post_url": reverse(post, args=[application.pk]),
        "message_max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }
