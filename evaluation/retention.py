"""Retention of closed applications: rejected, ineligible and withdrawn applications are
anonymised, and their files deleted, once their operator's retention period
(``cms.Operator.closed_file_retention_years``) has passed since the decision.

Selected and funded applications are the programme's records and never purged here; drafts
have their own rule (grants.services.retention). The decision's date is the application's
last transition. Each application is locked, checked again and anonymised in its own
transaction, so a run is idempotent and safe on two nodes; files go after the commit.

What remains: the reference, call, organisation (a legal person), status, dates, amounts,
title, scores and outcome; the receipt's fingerprint; the audit chain, whose entries hash
ids and each comment's keyed digest, so erasing comments leaves it verifiable (an entry
``anonymise`` records the purge itself). What goes: answers, frozen copy, attachments,
information requests' questions, answers and files, reviewers', committee members' and
staff's free text (conflict declarations included).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from cms.models import Operator
from cms.models.snippets import DEFAULT_CLOSED_FILE_RETENTION_YEARS
from core.vocabulary import ApplicationStatus as S
from ethics.models import CriterionRating, Review, ReviewAssignment
from grants.models import Application
from grants.services.anonymisation import anonymise_application, delete_files_on_commit

from . import audit
from .models import (
    CommitteeDecision,
    ConflictDeclaration,
    HearingInvitation,
    InformationAnswer,
    InformationAnswerFile,
    InformationRequest,
    StageOverride,
    TransitionLog,
)

logger = logging.getLogger(__name__)

PURGED_STATES = (S.REJECTED, S.INELIGIBLE, S.WITHDRAWN)
ANONYMISE = "anonymise"  # the audit entry that records the purge


@dataclass(frozen=True)
class PurgeReport:
    anonymised: list[str]  # references

    @property
    def count(self) -> int:
        return len(self.anonymised)


def due(now: datetime) -> list[int]:
    """Ids of the closed applications whose retention period has passed, operator by
    operator (each with its own period)."""
    closed = (
        Application.objects.filter(status__in=PURGED_STATES, anonymised_at__isnull=True)
        .annotate(
            # A message written after the decision does not postpone the purge.
            decided_at=Max(
                "transition_logs__at",
                filter=~Q(transition_logs__transition=TransitionLog.MESSAGE),
            )
        )
        .exclude(decided_at__isnull=True)
    )
    ids: list[int] = []
    periods = dict(Operator.objects.values_list("pk", "closed_file_retention_years"))
    for pk, operator_id, decided_at in closed.values_list("pk", "call__operator_id", "decided_at"):
        years = periods.get(operator_id, DEFAULT_CLOSED_FILE_RETENTION_YEARS)
        if decided_at + relativedelta(years=years) <= now:
            ids.append(pk)
    return ids


def purge_closed_applications(now: datetime | None = None) -> PurgeReport:
    now = now or timezone.now()
    done = []
    for pk in due(now):
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=PURGED_STATES, anonymised_at__isnull=True)
                .first()
            )
            if application is None:  # purged by another node meanwhile
                continue
            anonymise(application, now)
            done.append(application.reference)
    if done:
        logger.info("Retention: %s closed applications anonymised.", len(done))
    return PurgeReport(done)


def anonymise(application: Application, at: datetime) -> None:
    """Erase the application's personal data in every app; record it in its audit chain.
    Runs in the caller's transaction, the application's row locked."""
    anonymise_application(application, at)
    _erase_information(application)
    _erase_reviews(application)
    StageOverride.objects.filter(application=application).update(justification="")
    CommitteeDecision.objects.filter(application=application).update(motivation="")
    ConflictDeclaration.objects.filter(application=application).update(reason="")
    # The applicant's reason for asking another hearing slot (jury notes are reviews, above).
    HearingInvitation.objects.filter(application=application).update(change_reason="")
    audit.redact_comments(application.pk, at)
    audit.note(application, ANONYMISE, None, at)


def _erase_information(application: Application) -> None:
    requests = InformationRequest.objects.filter(application=application)
    answers = InformationAnswer.objects.filter(request__in=requests)
    files = InformationAnswerFile.objects.filter(answer__in=answers)
    # A kept file is one stored file shared by several versions' rows: delete it once.
    delete_files_on_commit({f.file.name: f.file for f in files}.values())
    files.delete()
    answers.update(text="")
    requests.update(question="")


def _erase_reviews(application: Application) -> None:
    assignments = ReviewAssignment.objects.filter(application=application)
    reviews = Review.objects.filter(assignment__in=assignments)
    CriterionRating.objects.filter(review__in=reviews).update(comment="")
    reviews.update(summary="", amendment_reason="")
    assignments.update(conflict_reason="")
