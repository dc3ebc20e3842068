"""The application's state machine (django-fsm-2). Every change of state goes through a
transition method below; the ``status`` field is protected against assignment.

    draft → submitted → eligibility → [ethics] → [security] → [interoperability] → committee
          → selected → funded;  ineligible / rejected as outcomes;  information requested
          from eligibility or a review stage, back to that stage once answered;  withdrawn
          by the applicant before the committee's decision.

A review stage the call does not require is skipped by the conditions (``call_requires_*``
and ``skipped_stages_not_required``), not by special cases. Who may fire what is decided by the
predicates in roles.py. Side effects (emails, PDFs) are not here: services enqueue them after
the commit. Each transition is written to the audit trail by the ``post_transition`` handler
in signals.py, inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from . import conditions as c
from . import roles
from .states import WITHDRAWABLE, ApplicationStatus

S = ApplicationStatus
INFORMATION_SOURCES = [S.ELIGIBILITY, S.ETHICS_REVIEW, S.SECURITY_REVIEW, S.INTEROPERABILITY_REVIEW]


class TransitionRefused(Exception):
    """A transition's rule refused it; ``messages`` say why, in the user's language."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def _require_comment(comment: str, message: str) -> None:
    if not (comment or "").strip():
        raise TransitionRefused([message])


class ApplicationWorkflow(ConcurrentTransitionMixin, models.Model):
    status = FSMField(
        gettext_lazy("état"),
        default=S.DRAFT,
        choices=S.choices,
        protected=True,
        db_index=True,
    )
    # The stage that asked for more information, where the answer sends the application back.
    information_requested_from = models.CharField(max_length=30, blank=True)

    class Meta:
        abstract = True

    def latest_committee_decision(self):
        return self.committee_decisions.order_by("-decided_at", "-pk").first()

    # -- Applicant -----------------------------------------------------------------------

    @transition(
        field=status,
        source=S.DRAFT,
        target=S.SUBMITTED,
        # Only grants.services.submission freezes the answers first: no other path submits.
        conditions=[c.answers_frozen],
        permission=roles.is_applicant,
    )
    def submit(self, *, by, at: datetime, comment: str = "") -> None:
        # The deadline is judged at the instant of submission, on the server.
        if not self.call.is_open(at):
            raise TransitionRefused(
                [
                    _("L'appel est clos depuis le %(at)s : le dépôt n'est plus possible.")
                    % {"at": timezone.localtime(self.call.closing_at).strftime("%d/%m/%Y %H:%M")}
                ]
            )
        self.submitted_at = at
        self.submitted_by = by

    @transition(
        field=status,
        source=S.INFO_REQUESTED,
        target=RETURN_VALUE(*INFORMATION_SOURCES),
        permission=roles.is_applicant,
    )
    def answer_information(self, *, by, at: datetime, comment: str = "") -> str:
        """The applicant answered: back to the stage that asked."""
        back_to = self.information_requested_from
        self.information_requested_from = ""
        return back_to

    @transition(
        field=status, source=WITHDRAWABLE, target=S.WITHDRAWN, permission=roles.is_applicant
    )
    def withdraw(self, *, by, at: datetime, comment: str = "") -> None:
        """The applicant withdraws the application before the committee's decision."""

    # -- Programme staff -----------------------------------------------------------------

    @transition(
        field=status, source=S.SUBMITTED, target=S.ELIGIBILITY, permission=roles.is_programme_staff
    )
    def start_eligibility_check(self, *, by, at: datetime, comment: str = "") -> None:
        """A programme officer takes the application up for the eligibility check."""

    @transition(
        field=status,
        source=S.ELIGIBILITY,
        target=S.INELIGIBLE,
        conditions=[c.automatic_checks_recorded],
        permission=roles.is_programme_staff,
    )
    def declare_ineligible(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Motivez la décision d'irrecevabilité."))

    @transition(
        field=status,
        source=[S.ELIGIBILITY],
        target=S.ETHICS_REVIEW,
        conditions=[c.current_stage_can_be_left, c.call_requires_ethics],
        permission=roles.is_programme_staff,
    )
    def start_ethics_review(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Motivez le passage de l'étape."))

    @transition(
        field=status,
        source=[S.ELIGIBILITY, S.ETHICS_REVIEW],
        target=S.SECURITY_REVIEW,
        conditions=[
            c.current_stage_can_be_left,
            c.call_requires_security,
            c.skipped_stages_not_required(S.SECURITY_REVIEW),
        ],
        permission=roles.is_programme_staff,
    )
    def start_security_review(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Motivez le passage de l'étape."))

    @transition(
        field=status,
        source=[S.ELIGIBILITY, S.ETHICS_REVIEW, S.SECURITY_REVIEW],
        target=S.INTEROPERABILITY_REVIEW,
        conditions=[
            c.current_stage_can_be_left,
            c.call_requires_interoperability,
            c.skipped_stages_not_required(S.INTEROPERABILITY_REVIEW),
        ],
        permission=roles.is_programme_staff,
    )
    def start_interoperability_review(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Motivez le passage de l'étape."))

    @transition(
        field=status,
        source=[S.ELIGIBILITY, S.ETHICS_REVIEW, S.SECURITY_REVIEW, S.INTEROPERABILITY_REVIEW],
        target=S.COMMITTEE,
        conditions=[c.current_stage_can_be_left, c.skipped_stages_not_required(S.COMMITTEE)],
        permission=roles.is_programme_staff,
    )
    def send_to_committee(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Motivez le passage de l'étape."))

    @transition(
        field=status,
        source=INFORMATION_SOURCES,
        target=S.INFO_REQUESTED,
        permission=roles.is_programme_staff,
    )
    def request_information(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Écrivez la question posée au candidat."))
        self.information_requested_from = self.status

    @transition(
        field=status, source=S.SELECTED, target=S.FUNDED, permission=roles.is_programme_staff
    )
    def mark_funded(self, *, by, at: datetime, comment: str = "") -> None:
        """The grant agreement is signed: the project is funded."""

    # -- Selection committee -------------------------------------------------------------

    @transition(
        field=status,
        source=S.COMMITTEE,
        target=S.SELECTED,
        conditions=[c.committee_selected_it],
        permission=roles.is_committee_member,
    )
    def select(self, *, by, at: datetime, comment: str = "") -> None:
        """Record the committee's decision to select the project."""

    @transition(
        field=status,
        source=S.COMMITTEE,
        target=S.REJECTED,
        conditions=[c.committee_rejected_it],
        permission=roles.is_committee_member,
    )
    def reject(self, *, by, at: datetime, comment: str = "") -> None:
        """Record the committee's decision not to select the project."""
