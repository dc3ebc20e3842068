"""Server errors mailed to the administrators through the task queue."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.log import AdminEmailHandler


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Like Django's: a request that failed does not also wait for the mail server."""

    def send_mail(self, subject: str, message: str, *args, **kwargs) -> None:
        # Logging is configured before the apps load; the task queue is reached once needed.
        from .mail import deliver

        if not settings.ADMINS:
            return
        email = EmailMultiAlternatives(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
            body=message,
            from_email=settings.SERVER_EMAIL,
            to=[address for _name, address in settings.ADMINS],
        )
        if kwargs.get("html_message"):
            email.attach_alternative(kwargs["html_message"], "text/html")
        try:
            deliver([email])
        except Exception:
            # The queue lives in the database, which may be what failed: send directly.
            super().send_mail(subject, message, *args, **kwargs)
