"""The application's state machine (django-fsm-2). Every change of state goes through a
transition method below; the ``status`` field (grants.Application) is protected against
assignment.

    draft → submitted → eligibility → [ethics] → [security] → [interoperability] → [hearing]
          → committee → selected → funded;  ineligible / rejected as outcomes;  information
          requested from eligibility, a review stage or the hearing, back to that stage once
          answered;  withdrawn by the applicant before the committee's decision.
    Two-stage calls: a pre-proposal goes from eligibility to shortlisted (its full
          application, a second row, then runs the pipeline above) or not shortlisted.

The machine is a proxy of ``grants.Application``: grants keeps the application's data and knows
nothing of the workflow, which sits above it and consults the calls (cms), the reviews (ethics)
and the committee's decisions. A review stage the call does not require is skipped by the
conditions (``call_requires_*`` and ``skipped_stages_not_required``), not by special cases.
Who may fire what is decided by the predicates in roles.py. Nothing else happens here:
``services.fire`` runs a transition, then its audit entry and its side effects, in that order.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, transition

from core.refusals import Refused
from core.vocabulary import UNDER_INSTRUCTION, ApplicationStatus
from grants.models import Application

from . import conditions as c
from . import roles

S = ApplicationStatus
INFORMATION_SOURCES = [
    S.ELIGIBILITY,
    S.ETHICS_REVIEW,
    S.SECURITY_REVIEW,
    S.INTEROPERABILITY_REVIEW,
    S.HEARING,
]


class TransitionRefused(Refused):
    """A transition's rule refused it; ``messages`` say why, in the user's language."""


def _require_comment(comment: str, message: str) -> None:
    if not (comment or "").strip():
        raise TransitionRefused([message])


class ApplicationWorkflow(ConcurrentTransitionMixin, Application):
    """An application as the workflow moves it: a proxy of grants.Application (same table,
    same rows) carrying the transitions."""

    class Meta:
        proxy = True
        verbose_name = gettext_lazy("candidature (instruction)")

    # -- Applicant -----------------------------------------------------------------------

    @transition(
        field="status",
        source=S.DRAFT,
        target=S.SUBMITTED,
        # Only services.submit_application freezes the answers first: no other path submits.
        conditions=[c.answers_frozen, c.pre_proposal_shortlisted],
        permission=roles.may_submit,
    )
    def submit(self, *, by, at: datetime, comment: str = "") -> None:
        # The deadline (or this application's extension) is judged at the instant of
        # submission, on the server.
        self.check_deadline(at)
        self.submitted_at = at
        self.submitted_by = by

    @transition(
        field="status",
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
        field="status", source=UNDER_INSTRUCTION, target=S.WITHDRAWN, permission=roles.may_withdraw
    )
    def withdraw(self, *, by, at: datetime, comment: str = "") -> None:
        """The applicant withdraws the application before the committee's decision."""

    # -- Programme staff -----------------------------------------------------------------

    @transition(
        field="status",
        source=S.SUBMITTED,
        target=S.ELIGIBILITY,
        permission=roles.is_programme_staff,
    )
    def start_eligibility_check(self, *, by, at: datetime, comment: str = "") -> None:
        """A programme officer takes the application up for the eligibility check."""

    @transition(
        field="status",
        source=S.ELIGIBILITY,
        target=S.INELIGIBLE,
        conditions=[c.automatic_checks_recorded],
        permission=roles.is_programme_staff,
    )
    def declare_ineligible(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Motivez la décision d'irrecevabilité."))

    @transition(
        field="status",
        source=[S.ELIGIBILITY],
        target=S.ETHICS_REVIEW,
        conditions=[c.current_stage_can_be_left, c.call_requires_ethics],
        permission=roles.is_programme_staff,
    )
    def start_ethics_review(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Motivez le passage de l'étape."))

    @transition(
        field="status",
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
        field="status",
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
        field="status",
        source=[S.ELIGIBILITY, S.ETHICS_REVIEW, S.SECURITY_REVIEW, S.INTEROPERABILITY_REVIEW],
        target=S.HEARING,
        conditions=[
            c.current_stage_can_be_left,
            c.call_requires_hearing,
            c.skipped_stages_not_required(S.HEARING),
        ],
        permission=roles.is_programme_staff,
    )
    def start_hearing(self, *, by, at: datetime, comment: str = "") -> None:
        """The jury hears the team (evaluation.hearings schedules it and seats the jury)."""
        _require_comment(comment, _("Motivez le passage de l'étape."))

    @transition(
        field="status",
        source=[
            S.ELIGIBILITY,
            S.ETHICS_REVIEW,
            S.SECURITY_REVIEW,
            S.INTEROPERABILITY_REVIEW,
            S.HEARING,
        ],
        target=S.COMMITTEE,
        conditions=[
            c.current_stage_can_be_left,
            c.skipped_stages_not_required(S.COMMITTEE),
        ],
        permission=roles.is_programme_staff,
    )
    def send_to_committee(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Motivez le passage de l'étape."))

    @transition(
        field="status",
        source=S.ELIGIBILITY,
        target=S.SHORTLISTED,
        conditions=[c.is_pre_proposal, c.automatic_checks_recorded],
        permission=roles.is_programme_staff,
    )
    def shortlist(self, *, by, at: datetime, comment: str = "") -> None:
        """The pre-proposal is shortlisted: its full application is opened (shortlisting)."""
        _require_comment(comment, _("Motivez la présélection."))

    @transition(
        field="status",
        source=S.ELIGIBILITY,
        target=S.NOT_SHORTLISTED,
        conditions=[c.is_pre_proposal, c.automatic_checks_recorded],
        permission=roles.is_programme_staff,
    )
    def decline_shortlist(self, *, by, at: datetime, comment: str = "") -> None:
        """The pre-proposal is not shortlisted; the letter states the reason."""
        _require_comment(comment, _("Motivez la décision de non-présélection."))

    @transition(
        field="status",
        source=INFORMATION_SOURCES,
        target=S.INFO_REQUESTED,
        permission=roles.is_programme_staff,
    )
    def request_information(self, *, by, at: datetime, comment: str = "") -> None:
        _require_comment(comment, _("Écrivez la question posée au candidat."))
        self.information_requested_from = self.status

    @transition(
        field="status", source=S.SELECTED, target=S.FUNDED, permission=roles.is_programme_staff
    )
    def mark_funded(self, *, by, at: datetime, comment: str = "") -> None:
        """The award is confirmed: the project is funded, and the follow-up (``funding``,
        through ``hooks.application_funded``) prepares its convention."""

    # -- Selection committee -------------------------------------------------------------

    @transition(
        field="status",
        source=S.COMMITTEE,
        target=S.SELECTED,
        conditions=[c.committee_selected_it],
        permission=roles.is_committee_member,
    )
    def select(self, *, by, at: datetime, comment: str = "") -> None:
        """Record the committee's decision to select the project."""

    @transition(
        field="status",
        source=S.COMMITTEE,
        target=S.REJECTED,
        conditions=[c.committee_rejected_it],
        permission=roles.is_committee_member,
    )
    def reject(self, *, by, at: datetime, comment: str = "") -> None:
        """Record the committee's decision not to select the project."""
