"""The message thread of an application (grants.Message): who may read and write, posting a
message with its files, and how each side sees the other.

Who: the applicant organisation's owners and members, and the staff who run the call
(``Application.objects.handled_by``: the operator's officers, the officers assigned to the
call, the programme-wide role). Reviewers and committee members read the frozen file through
their own pages, not the conversation: they are not in the thread.

When: from the submission (staff never see drafts) until the retention purge anonymises the
application. Withdrawn and decided applications keep an open thread: questions about a
decision or a convention come after it, and a thread closed at the decision would send them
to personal mailboxes, outside the audit trail.

What the applicant sees of staff: « Équipe du programme » and the operator's name, not the
officer's name. Applicants write to the programme, not to a person: officers change during an
application's life (a new lead officer, a colleague on leave) and the thread must read as one
conversation; officers' names stay inside the administration. Staff see each author's name,
and the audit trail records every author.

Each message is an entry of the application's audit trail, chained with the digest of its
text (not the text, which the message keeps and the retention purge erases), and leaves
the application's state unchanged. The other side is emailed after the commit
(``thread_emails``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.refusals import Refused
from core.vocabulary import ApplicationStatus
from grants import permissions
from grants.models import Application, Message, MessageFile, ThreadRead
from grants.models.thread import mark_read
from grants.uploads import FileKind, inspect_upload

from . import audit
from .models import TransitionLog
from .thread_emails import notify_new_message

MESSAGE_FORMATS = (FileKind.PDF, FileKind.XLSX, FileKind.ODS)
MAX_FILES_PER_MESSAGE = 5
MAX_MESSAGE_CHARS = 10_000

Side = Message.Side


def is_open(application: Application) -> bool:
    """Whether the thread takes new messages: submitted, not yet anonymised."""
    return application.status != ApplicationStatus.DRAFT and application.anonymised_at is None


def may_write(user, application: Application, side: str) -> bool:
    if side == Side.APPLICANT:
        return permissions.is_member(user, application.organisation)
    return Application.objects.handled_by(user).filter(pk=application.pk).exists()


def post_message(
    application: Application, author, side: str, text: str, files: Sequence = ()
) -> Message:
    """Store a message and its files, chain it in the audit trail, email the other side after
    the commit. Every file is checked by content first: a ``ValidationError`` (with the
    file's name) or a ``Refused`` stores nothing."""
    text = (text or "").strip()
    files = list(files)
    if not text:
        raise Refused([_("Écrivez votre message avant de l'envoyer.")])
    if len(text) > MAX_MESSAGE_CHARS:
        raise Refused([_("Un message compte au plus %(n)d caractères.") % {"n": MAX_MESSAGE_CHARS}])
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationError(
            _("Joignez au plus %(n)d fichiers à un message.") % {"n": MAX_FILES_PER_MESSAGE},
            code="too_many_files",
        )
    inspected = [(upload, _inspect(upload)) for upload in files]
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not may_write(author, locked, side):
            raise Refused([_("Vous ne participez pas aux échanges de ce dossier.")])
        if not is_open(locked):
            raise Refused([_("Les échanges de ce dossier sont clos.")])
        message = Message.objects.create(application=locked, author=author, side=side, body=text)
        for upload, checked in inspected:
            MessageFile.objects.create(
                message=message,
                file=upload,
                original_name=(getattr(upload, "name", "") or "fichier")[:255],
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
        audit.append(
            application=locked,
            transition=TransitionLog.MESSAGE,
            source=locked.status,
            target=locked.status,
            actor=author,
            at=message.created_at,
            comment=text,
            keep_comment=False,
        )
        mark_read(author, locked, message.pk)
        transaction.on_commit(partial(notify_new_message.enqueue, message.pk), robust=True)
    return message


def _inspect(upload):
    try:
        return inspect_upload(upload, MESSAGE_FORMATS, settings.ATTACHMENT_MAX_BYTES)
    except ValidationError as error:
        name = getattr(upload, "name", "") or _("fichier")
        raise ValidationError(
            [_("« %(name)s » : %(message)s") % {"name": name, "message": m} for m in error.messages]
        ) from error


# -- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownMessage:
    message: Message
    author: str  # the name shown
    role: str  # the side, as the reader understands it
    mine: bool
    new: bool  # written by someone else since the reader last opened the thread


def _person(user) -> str:
    # A closed account has neither name nor address left: its author is no longer named.
    return user.get_full_name() or user.email or _("Compte fermé")


def thread(application: Application, reader, reader_side: str) -> list[ShownMessage]:
    """The thread, oldest first, as ``reader`` on ``reader_side`` sees it, and marks it
    read. A fixed number of queries whatever its length."""
    seen = (
        ThreadRead.objects.filter(user=reader, application=application)
        .values_list("last_read_id", flat=True)
        .first()
        or 0
    )
    messages = list(
        application.messages.select_related("author").prefetch_related("files").order_by("pk")
    )
    operator = application.call.operator
    team = _("Équipe du programme")
    if operator is not None:
        team = f"{team} — {operator.acronym or operator.name}"
    shown = []
    for message in messages:
        if message.side == Side.STAFF:
            if reader_side == Side.STAFF:
                author, role = _person(message.author), _("équipe du programme")
            else:
                author, role = team, _("équipe du programme")
        else:
            author = _person(message.author)
            role = _("candidat — %(organisation)s") % {
                "organisation": application.organisation.legal_name
            }
        mine = message.author_id == reader.pk
        shown.append(ShownMessage(message, author, role, mine, not mine and message.pk > seen))
    if messages:
        mark_read(reader, application, messages[-1].pk)
    return shown
