"""The message thread of an application: free conversation between the applicant
organisation and the staff who run its call, with files checked by content.

A message changes nothing of the application's state (a request for information,
evaluation.information, is the formal way to ask for a document with a deadline). Who may
write and when, the audit entry and the emails are the workflow's (evaluation.thread); here
are the rows, and each person's « read up to » mark that the unread counts read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage, random_attachment_name


class Message(models.Model):
    class Side(models.TextChoices):
        APPLICANT = "applicant", _("candidat")
        STAFF = "staff", _("équipe du programme")

    application = models.ForeignKey(
        "grants.Application", on_delete=models.CASCADE, related_name="messages"
    )
    # The account stays when a person closes it (without name or address): the author's name
    # then disappears from the thread, the organisation keeps what was said.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The side the author wrote from, fixed when written: what the other side is told of.
    side = models.CharField(_("côté"), max_length=10, choices=Side.choices)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    # Set when the retention purge erased the text and files (the audit entry keeps a digest).
    redacted_at = models.DateTimeField(_("effacé le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "id"], name="message_thread")]
        verbose_name = _("message du fil")
        verbose_name_plural = _("messages du fil")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_side_display()} {self.created_at:%Y-%m-%d}"


class MessageFile(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        storage=private_storage, upload_to=random_attachment_name, max_length=200
    )
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("fichier joint à un message")
        verbose_name_plural = _("fichiers joints aux messages")

    def __str__(self) -> str:
        return self.original_name


class ThreadRead(models.Model):
    """How far one person has read one application's thread: the id of the newest message
    they were shown. A row per person and thread, so colleagues each keep their own count."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads"
    )
    application = models.ForeignKey(
        "grants.Application", on_delete=models.CASCADE, related_name="thread_reads"
    )
    last_read_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "application"], name="one_read_mark_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.application_id}: {self.last_read_id}"


def unread_messages(user) -> Coalesce:
    """An annotation for an Application queryset: how many messages of its thread ``user``
    has not seen, their own excepted. One correlated subquery, whatever the page size."""
    mark = ThreadRead.objects.filter(user=user, application=OuterRef(OuterRef("pk"))).values(
        "last_read_id"
    )[:1]
    unread = (
        Message.objects.filter(application=OuterRef("pk"))
        .exclude(author=user)
        .filter(id__gt=Coalesce(Subquery(mark), 0))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=models.IntegerField()), 0)


def mark_read(user, application, up_to: int) -> None:
    """``user`` has seen the thread up to message ``up_to``; a mark never goes back."""
    if not up_to:
        return
    updated = ThreadRead.objects.filter(
        user=user, application=application, last_read_id__lt=up_to
    ).update(last_read_id=up_to)
    if not updated:
        ThreadRead.objects.get_or_create(
            user=user, application=application, defaults={"last_read_id": up_to}
        )
