"""Requests for information (demandes de compléments): staff ask, the applicant answers.

``ask`` stores the question and fires ``request_information``; ``save_answer`` stores a new
version of the applicant's answer (text and files, checked by content) while the request is
open; ``send_answer`` closes the request and fires ``answer_information``, which returns the
application to the stage that asked. Emails leave after the commit (effects.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.vocabulary import ApplicationStatus
from grants.models import Application
from grants.uploads import FileKind, InspectedFile, inspect_upload

from .models import InformationAnswer, InformationAnswerFile, InformationRequest
from .roles import is_member_of_organisation
from .services import fire
from .workflow import TransitionRefused

logger = logging.getLogger(__name__)

ANSWER_FORMATS = (FileKind.PDF, FileKind.XLSX, FileKind.ODS)
# Files of one answer version: enough for a few documents, not a second application.
MAX_FILES_PER_ANSWER = 10


def ask(
    application: Application,
    staff_user,
    question: str,
    due_on: date | None = None,
    *,
    expected_status: str | None = None,
) -> InformationRequest:
    """Ask the applicant a question; the application waits for the answer in info_requested.

    ``expected_status`` is the state the staff member saw (by default the one in hand): if
    someone moved the application since, nothing is stored and ``ConcurrentChange`` says so.
    """
    question = (question or "").strip()
    if not question:
        raise TransitionRefused([_("Écrivez la question posée au candidat.")])
    if due_on is not None and due_on < timezone.localdate():
        raise TransitionRefused([_("La date limite de réponse ne peut pas être passée.")])
    stage = expected_status or application.status
    with transaction.atomic():
        request = InformationRequest.objects.create(
            application=application,
            stage=stage,
            question=question,
            asked_by=staff_user,
            due_on=due_on,
        )
        # Locks the row and checks the state: a refusal rolls the request back with it.
        fire(
            application, "request_information", staff_user, comment=question, expected_status=stage
        )
    return request


def save_answer(
    request: InformationRequest,
    user,
    text: str,
    files: Sequence = (),
    keep_file_ids: Iterable[int] | None = None,
    expected_version: int | None = None,
) -> InformationAnswer:
    """Store a new version of the answer: its text, the files of the previous version kept
    (all of them unless ``keep_file_ids`` says which) and the new ``files``.

    Allowed to members of the organisation while the request is open. Every file is checked
    by content before anything is stored; a ``ValidationError`` stores nothing. Saving exactly
    what the latest version holds creates no new version. ``expected_version`` is the version
    the user started from (0: none): if another member saved since, nothing is stored.
    """
    text = (text or "").strip()
    files = list(files)
    if len(files) > MAX_FILES_PER_ANSWER:
        raise ValidationError(
            _("Joignez au plus %(n)d fichiers à une réponse.") % {"n": MAX_FILES_PER_ANSWER},
            code="too_many_files",
        )
    inspected = [
        (upload, inspect_upload(upload, ANSWER_FORMATS, settings.ATTACHMENT_MAX_BYTES))
        for upload in files
    ]
    with transaction.atomic():
        request = _lock_open_request(request, user)
        latest = request.latest_answer()
        if expected_version is not None and expected_version != (latest.version if latest else 0):
            raise TransitionRefused(
                [
                    _(
                        "Un autre membre de votre organisation a modifié la réponse entre-temps : "
                        "relisez la dernière version avant d'enregistrer la vôtre."
                    )
                ]
            )
        kept = _kept_files(latest, keep_file_ids)
        if not text and not kept and not inspected:
            raise TransitionRefused([_("Écrivez une réponse ou joignez au moins un fichier.")])
        if latest is not None and not inspected and _same_as(latest, text, kept):
            return latest
        if len(kept) + len(inspected) > MAX_FILES_PER_ANSWER:
            raise ValidationError(
                _("Joignez au plus %(n)d fichiers à une réponse.") % {"n": MAX_FILES_PER_ANSWER},
                code="too_many_files",
            )
        answer = InformationAnswer.objects.create(
            request=request,
            version=(latest.version + 1) if latest else 1,
            text=text,
            answered_by=user,
        )
        for old in kept:
            # Same stored file, new row: the earlier version keeps its own rows untouched.
            InformationAnswerFile.objects.create(
                answer=answer,
                file=old.file.name,
                original_name=old.original_name,
                content_type=old.content_type,
                size=old.size,
                sha256=old.sha256,
            )
        for upload, checked in inspected:
            _store_file(answer, upload, checked)
    return answer


def send_answer(request: InformationRequest, user) -> Application:
    """Send the latest version to staff: the request closes, the application goes back to
    the stage that asked, and the staff member who asked is told by email."""
    with transaction.atomic():
        request = _lock_open_request(request, user)
        if request.is_overdue():
            raise TransitionRefused(
                [
                    _(
                        "La réponse était attendue au plus tard le %(date)s : demandez au "
                        "chargé de mission de prolonger le délai. Votre réponse est enregistrée."
                    )
                    % {"date": formats.date_format(request.due_on, "j F Y")}
                ]
            )
        latest = request.latest_answer()
        if latest is None or not (latest.text or latest.files.exists()):
            raise TransitionRefused(
                [_("Enregistrez d'abord une réponse (texte ou fichier) avant de l'envoyer.")]
            )
        request.answered_at = timezone.now()
        request.save(update_fields=["answered_at"])
        application = fire(
            request.application,
            "answer_information",
            user,
            expected_status=ApplicationStatus.INFO_REQUESTED,
            comment=_("Réponse envoyée (version %(version)d).") % {"version": latest.version},
        )
    return application


def is_editable(request: InformationRequest) -> bool:
    """Whether the applicant may still change the answer (no lock: for display only)."""
    return (
        request.answered_at is None
        and request.application.status == ApplicationStatus.INFO_REQUESTED
        and not request.application.information_requests.filter(pk__gt=request.pk).exists()
    )


def _lock_open_request(request: InformationRequest, user) -> InformationRequest:
    """Lock the application, then check the request is open and ``user`` may answer it.
    Locking the application row serialises the versions and the sending of an answer."""
    application = Application.objects.select_for_update().get(pk=request.application_id)
    if not is_member_of_organisation(user, application):
        raise TransitionRefused([_("Seuls les membres de l'organisation peuvent répondre.")])
    request = InformationRequest.objects.select_related("application").get(pk=request.pk)
    request.application = application
    if not is_editable(request):
        raise TransitionRefused(
            [_("Cette demande de compléments est close : la réponse ne peut plus être modifiée.")]
        )
    return request


def _kept_files(latest: InformationAnswer | None, keep_file_ids) -> list[InformationAnswerFile]:
    if latest is None:
        return []
    files = list(latest.files.all())
    if keep_file_ids is None:
        return files
    wanted = {int(pk) for pk in keep_file_ids}
    return [f for f in files if f.pk in wanted]


def _same_as(latest: InformationAnswer, text: str, kept: list[InformationAnswerFile]) -> bool:
    return latest.text == text and len(kept) == latest.files.count()


def _store_file(answer: InformationAnswer, upload, checked: InspectedFile) -> None:
    InformationAnswerFile.objects.create(
        answer=answer,
        file=upload,
        original_name=(getattr(upload, "name", "") or "fichier")[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
