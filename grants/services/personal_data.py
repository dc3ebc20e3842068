"""A person's own data (GDPR art. 15 and 20): the export they download, and closing their
account (art. 17, within the records the programme must keep).

The export is what the person entered or received: their account, their memberships, the
applications they created with their answers, the files they uploaded, the messages they
wrote in applications' threads (with their files) and the messages Ruche sent them; nothing
of other people (no colleague's name or address, no invitee's address, no one else's message).
Upper apps add their own parts through ``collect_personal_data`` (reviews an expert wrote,
transitions an officer fired) and drop what they hold for a closing account through
``account_closing``: grants does not know them.

Closing an account keeps the records the organisation and the programme need (applications,
the audit trail, reviews) but removes the person from them: the account row stays, with no
name, no address, no password and no way to sign in; its memberships, email addresses,
external logins, second factors and messages are deleted.
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from core.refusals import Refused

from ..models import (
    Application,
    Attachment,
    Invitation,
    Membership,
    MembershipEvent,
    Message,
    MessageFile,
)

logger = logging.getLogger(__name__)

# send(sender=None, user=...) -> each receiver returns {section name: JSON-able data}.
collect_personal_data = Signal()
# send(sender=None, user=...) inside the closing transaction: upper apps forget the person.
account_closing = Signal()

EXPORT_FORMAT = "ruche-personal-data/1"
# Spooled to disk past this size: a person with many files does not fill the worker's memory.
SPOOL_BYTES = 16 * 1024 * 1024


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def _file_path(attachment: Attachment) -> str:
    # The stored name is a random key; the zip shows the person's own file name.
    name = PurePosixPath(attachment.original_name).name or "piece"
    return f"fichiers/{attachment.application_id}/{attachment.pk}-{name}"


def _message_file_path(stored: MessageFile) -> str:
    name = PurePosixPath(stored.original_name).name or "fichier"
    return f"messages/{stored.message.application_id}/{stored.pk}-{name}"


def _thread_messages(user) -> tuple[list[dict], list[tuple[str, object]]]:
    """The messages the person wrote in applications' threads, with their files; the other
    participants' messages are theirs, not exported here."""
    written = (
        Message.objects.filter(author=user).prefetch_related("files").order_by("created_at", "pk")
    )
    rows, files = [], []
    for message in written:
        paths = []
        for stored in message.files.all():
            stored.message = message
            paths.append(_message_file_path(stored))
            files.append((_message_file_path(stored), stored.file))
        rows.append(
            {
                "application": message.application_id,
                "side": message.side,
                "text": message.body,
                "sent_at": message.created_at,
                "files": paths,
            }
        )
    return rows, files


def _account(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "external_logins": [
            {"provider": s.provider, "uid": s.uid, "date_joined": s.date_joined}
            for s in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
    }


def _memberships(user) -> list[dict]:
    return [
        {
            "organisation": m.organisation.legal_name,
            "siren": m.organisation.siren,
            "role": m.role,
            "joined_at": m.joined_at,
        }
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]


def _membership_events(user) -> list[dict]:
    # Only what the person did or what was done about them; the other party stays unnamed.
    events = MembershipEvent.objects.filter(actor=user) | MembershipEvent.objects.filter(
        member=user
    )
    return [
        {
            "organisation": e.organisation.legal_name,
            "event": e.kind,
            "detail": e.detail,
            "by_me": e.actor_id == user.pk,
            "at": e.at,
        }
        for e in events.select_related("organisation").order_by("at", "pk")
    ]


def _applications(user, files: list[Attachment]) -> list[dict]:
    mine = Application.objects.filter(created_by=user).select_related("call", "organisation")
    return [
        {
            "id": a.pk,
            "reference": a.reference,
            "call": a.call.title,
            "organisation": a.organisation.legal_name,
            "status": a.status,
            "project_title": a.project_title,
            "amount_requested": a.amount_requested,
            "created_at": a.created_at,
            "submitted_at": a.submitted_at,
            "fingerprint": a.fingerprint,
            "answers": a.answers,
            "files": [_file_path(f) for f in files if f.application_id == a.pk],
        }
        for a in mine.order_by("pk")
    ]


def _uploads(files: list[Attachment]) -> list[dict]:
    return [
        {
            "application": f.application_id,
            "slot": f.slot,
            "name": f.original_name,
            "size": f.size,
            "sha256": f.sha256,
            "uploaded_at": f.uploaded_at,
            "path": _file_path(f),
        }
        for f in files
    ]


def _notifications(user) -> list[dict]:
    return [
        {
            "subject": n.subject,
            "body": n.body,
            "link": n.link,
            "received_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in user.notifications.order_by("created_at", "pk")
    ]


def personal_data(user) -> tuple[dict, list[tuple[str, object]]]:
    """The person's data as one JSON-able document, and the files it refers to (their path in
    the export, the stored file)."""
    files = list(Attachment.objects.filter(uploaded_by=user).order_by("application_id", "pk"))
    thread_messages, message_files = _thread_messages(user)
    document = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "account": _account(user),
        "memberships": _memberships(user),
        "membership_events": _membership_events(user),
        "applications_created": _applications(user, files),
        "files_uploaded": _uploads(files),
        "messages": _notifications(user),
        "thread_messages": thread_messages,
    }
    for _receiver, sections in collect_personal_data.send(sender=None, user=user):
        document.update(sections or {})
    return document, [(_file_path(f), f.file) for f in files] + message_files


def export_zip(user) -> IO[bytes]:
    """A zip of ``donnees.json`` and the person's files, rewound, ready to stream."""
    document, files = personal_data(user)
    # Returned open: the FileResponse streams and closes it.
    archive = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(
            "donnees.json",
            json.dumps(document, default=_json_default, ensure_ascii=False, indent=2),
        )
        for path, stored in files:
            try:
                with stored.open("rb") as source, zipped.open(path, "w") as target:
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        target.write(chunk)
            except FileNotFoundError:  # purged under retention meanwhile: the JSON says so
                logger.warning("Export: the file of %s is missing.", path)
    archive.seek(0)
    return archive


# -- Closing an account ----------------------------------------------------------------------


@dataclass(frozen=True)
class ClosingCheck:
    """Why an account cannot be closed yet (empty: it can)."""

    reasons: list[str]

    @property
    def ok(self) -> bool:
        return not self.reasons


def closing_check(user) -> ClosingCheck:
    reasons = []
    if user.is_staff or user.is_superuser:
        reasons.append(
            _("Les comptes des agents et des administrateurs sont fermés par un administrateur.")
        )
    for membership in Membership.objects.filter(
        user=user, role=Membership.Role.OWNER
    ).select_related("organisation"):
        organisation = membership.organisation
        owners = organisation.memberships.filter(role=Membership.Role.OWNER).count()
        if owners == 1 and organisation.memberships.exclude(user=user).exists():
            reasons.append(
                _(
                    "Vous êtes le dernier responsable de « %(name)s » : désignez d'abord un "
                    "autre responsable."
                )
                % {"name": organisation.legal_name}
            )
    return ClosingCheck(reasons)


@transaction.atomic
def close_account(user) -> None:
    """Remove the person from every record that must be kept; refuse (``Refused``) while they
    are the last owner of an organisation with other members, or staff."""
    check = closing_check(user)
    if not check.ok:
        raise Refused(check.reasons)
    addresses = [
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    ]
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        membership.delete()
        MembershipEvent.objects.create(
            organisation=membership.organisation,
            kind=MembershipEvent.Kind.LEFT,
            actor=user,
            member=user,
        )
    # Invitations addressed to the person carry their address.
    for address in filter(None, addresses):
        Invitation.objects.filter(email__iexact=address).delete()
    account_closing.send(sender=None, user=user)
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    user.notifications.all().delete()
    # Their messages stay in the threads (the organisation's record), signed by a closed
    # account: the name goes with the account's below.
    user.thread_reads.all().delete()
    Authenticator.objects.filter(user=user).delete()
    user.first_name = user.last_name = user.email = ""
    user.username = f"compte-ferme-{user.pk}"
    user.is_active = False
    user.set_unusable_password()  # also ends their other sessions (session hash)
    user.save()
