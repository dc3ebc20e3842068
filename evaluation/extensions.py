"""A justified extension of a deadline for one application: its submission (a draft, a
pre-proposal or a full application) or its answer to a request for information.

An applicant who could not submit in time for a reason staff accept (an outage on our side, a
document the administration delivered late) gets a later deadline for their draft alone: the
call's dates do not move, every other draft stays bound by them. The reason and the new
deadline are written in the application's audit trail, and the server enforces the extension
at submission (``Application.check_deadline``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms.models import CallPage
from core.formatting import paris_instant
from core.vocabulary import ApplicationStatus
from grants.models import Application

from . import audit
from .models import InformationRequest, TransitionLog
from .workflow import TransitionRefused


def extendable_by(user):
    """The drafts ``user`` may extend: those of the calls they run."""
    return Application.objects.filter(
        status=ApplicationStatus.DRAFT, call__in=CallPage.objects.run_by(user).values("pk")
    )


def grant_extension(
    application: Application, by, until: datetime, reason: str, now: datetime | None = None
) -> Application:
    """Let ``application`` be submitted until ``until``; ``by`` must run its call."""
    now = now or timezone.now()
    if not extendable_by(by).filter(pk=application.pk).exists():
        raise TransitionRefused(
            [_("Seuls les chargés de mission de l'appel prolongent le délai d'un brouillon.")]
        )
    if not reason.strip():
        raise TransitionRefused([_("Le motif de la prolongation est obligatoire.")])
    if until <= now:
        raise TransitionRefused([_("La nouvelle échéance doit être dans le futur.")])
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise TransitionRefused([_("Ce dossier est déjà déposé.")])
        locked.extended_until = until
        locked.save(update_fields=["extended_until"])
        audit.note(
            locked,
            TransitionLog.DEADLINE_EXTENSION,
            by,
            now,
            _("Dépôt possible jusqu'au %(until)s (heure de Paris). Motif : %(reason)s")
            % {"until": paris_instant(until), "reason": reason.strip()},
            visible_to_applicant=True,
        )
    return locked


def extend_information_request(
    request: InformationRequest, by, until: date, reason: str, now: datetime | None = None
) -> InformationRequest:
    """Let the applicant answer ``request`` until ``until`` (the whole day, in Paris); ``by``
    must run the application's call. Written in the audit trail with its reason."""
    now = now or timezone.now()
    application = request.application
    if not Application.objects.handled_by(by).filter(pk=application.pk).exists():
        raise TransitionRefused(
            [_("Seuls les chargés de mission de l'appel prolongent un délai de réponse.")]
        )
    if not reason.strip():
        raise TransitionRefused([_("Le motif de la prolongation est obligatoire.")])
    if until < timezone.localdate(now):
        raise TransitionRefused([_("La nouvelle échéance ne peut pas être passée.")])
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        request = InformationRequest.objects.get(pk=request.pk)
        if request.answered_at is not None or locked.status != ApplicationStatus.INFO_REQUESTED:
            raise TransitionRefused([_("Cette demande n'attend plus de réponse.")])
        request.due_on = until
        request.save(update_fields=["due_on"])
        audit.note(
            locked,
            TransitionLog.DEADLINE_EXTENSION,
            by,
            now,
            _("Réponse attendue jusqu'au %(until)s. Motif : %(reason)s")
            % {"until": formats.date_format(until, "j F Y"), "reason": reason.strip()},
            visible_to_applicant=True,
        )
    return request
