"""Building and sending emails: absolute links, one message per person, and delivery through
the task queue with retries.

Each app writes its own emails (grants/emails.py, ethics/emails.py, evaluation/emails.py) with
these helpers and hands them to ``grants.inbox.deliver``, which keeps a copy in each recipient's
inbox and calls ``deliver`` here: every message becomes one ``send_email`` task, so
a request never waits for the mail server and a server that is down delays an email without
failing the action that asked for it. A failed attempt is retried with an exponential backoff
(``RUCHE_MAIL_ATTEMPTS``, ``RUCHE_MAIL_RETRY_SECONDS``); after the last one the task is left
FAILED, listed with ``failed_deliveries`` for staff to retry.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

SEND_TASK_PATH = "core.mail.send_email"


def absolute_url(path: str) -> str:
    """The site's address followed by ``path``: links in emails need the full URL."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def message_to(user, subject: str, template: str, context: dict) -> EmailMessage:
    """One email to one person, its body rendered from ``template`` (``recipient`` is set)."""
    body = render_to_string(template, {**context, "recipient": user})
    return EmailMessage(subject=subject, body=body, to=[user.email])


# -- Delivery through the queue --------------------------------------------------------------


def deliver(messages: Iterable[EmailMessage]) -> None:
    """Queue each message for sending. One task per message: retrying one never sends the
    others twice. Call it after the commit (``deliver_on_commit`` from inside a transaction)."""
    for message in messages:
        if not message.reply_to and settings.RUCHE_EMAIL_REPLY_TO:
            message.reply_to = list(settings.RUCHE_EMAIL_REPLY_TO)
        send_email.enqueue(serialise(message))


def deliver_on_commit(messages: Iterable[EmailMessage]) -> None:
    """Queue the messages once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(deliver, list(messages)), robust=True)


def retry_delay(attempt: int) -> timedelta:
    """After attempt 1, 2, 3…: 1, 2, 4… times RUCHE_MAIL_RETRY_SECONDS."""
    return timedelta(seconds=settings.RUCHE_MAIL_RETRY_SECONDS * 2 ** (attempt - 1))


@task()
def send_email(message: dict, attempt: int = 1) -> str:
    """Send one serialised message; on a failure, enqueue the next attempt later."""
    email = deserialise(message)
    try:
        get_connection(fail_silently=False).send_messages([email])
    except OSError as error:  # smtplib's errors, refused connections, timeouts, TLS
        last = attempt >= settings.RUCHE_MAIL_ATTEMPTS
        if last or not send_email.get_backend().supports_defer:
            logger.error(
                "Email %r to %s not delivered after %d attempt(s): %s",
                email.subject,
                ", ".join(email.recipients()),
                attempt,
                error,
            )
            raise
        delay = retry_delay(attempt)
        send_email.using(run_after=timezone.now() + delay).enqueue(message, attempt + 1)
        logger.warning(
            "Email %r not delivered (attempt %d: %s); next attempt in %s.",
            email.subject,
            attempt,
            error,
            delay,
        )
        return "retry"
    return "sent"


def serialise(message: EmailMessage) -> dict:
    """The message as JSON for the task queue, attachments in base64."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def deserialise(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data.get("from_email"),
        to=data.get("to", []),
        cc=data.get("cc", []),
        bcc=data.get("bcc", []),
        reply_to=data.get("reply_to", []),
        headers=data.get("headers", {}),
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data.get("attachments", []):
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


# -- Failed deliveries -----------------------------------------------------------------------


def failed_deliveries():
    """The emails whose every attempt failed, newest first (database queue only)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.failed().filter(task_path=SEND_TASK_PATH).order_by("-finished_at")


def retry_delivery(result_id) -> bool:
    """Queue a failed email again, from its first attempt; False if it is no longer failed
    (retried meanwhile by someone else, or pruned)."""
    with transaction.atomic():
        failed = failed_deliveries().select_for_update().filter(pk=result_id).first()
        if failed is None:
            return False
        args, kwargs = failed.args_kwargs["args"], failed.args_kwargs["kwargs"]
        message = kwargs.get("message", args[0] if args else None)
        send_email.enqueue(message)
        # The new task carries the email now: the failed one leaves the list.
        failed.delete()
    return True
