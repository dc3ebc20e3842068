"""Applications to a call and their attachments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from cms.models import CallPage
from core.formatting import paris_instant
from core.refusals import Refused
from core.roles import is_programme_wide
from core.vocabulary import APPLICANT_WORDING, ApplicationStatus

from ..application_forms import form_of
from ..storage import private_storage, random_attachment_name


class ApplicationQuerySet(models.QuerySet):
    def of_user(self, user) -> ApplicationQuerySet:
        """Applications of the organisations the user belongs to: all an applicant may see."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def submitted(self) -> ApplicationQuerySet:
        """Every application but drafts: what staff may work on (drafts are the applicants')."""
        return self.exclude(status=ApplicationStatus.DRAFT)

    def handled_by(self, user) -> ApplicationQuerySet:
        """The submitted applications ``user`` works on as programme staff: those of the calls
        they run (every call for the programme-wide role); none for anyone else."""
        if is_programme_wide(user):
            return self.submitted()
        return self.submitted().filter(call__in=CallPage.objects.run_by(user).values("pk"))


class Application(FSMModelMixin, models.Model):
    """An organisation's application to a call: drafted here, then carried through review by
    the workflow (evaluation.workflow), which alone changes ``status``."""

    # Protected: assigning it raises; only the workflow's transitions move it (FSMModelMixin
    # lets refresh_from_db read it again).
    status = FSMField(
        _("état"),
        default=ApplicationStatus.DRAFT,
        choices=ApplicationStatus.choices,
        protected=True,
        db_index=True,
    )
    # The stage that asked for more information, where the answer sends the application back.
    information_requested_from = models.CharField(max_length=30, blank=True)
    call = models.ForeignKey(
        "cms.CallPage",
        verbose_name=_("appel"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organisation = models.ForeignKey(
        "grants.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The version of the call's form the application was submitted on (a draft follows the
    # newest one: grants.application_forms.form_of). Empty on a draft, and on an application
    # submitted on a call without a form of its own (the reference catalogue).
    form_version = models.ForeignKey(
        "cms.ApplicationFormVersion",
        verbose_name=_("version du formulaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Answers per section slug, as the call's form describes them.
    answers = models.JSONField(default=dict, blank=True)
    # Per section slug, what the applicant typed when part of it was refused (a wrong SIRET, an
    # amount above the cap), as posted: the section shows it again with its errors until a save
    # without error. Nothing typed is lost; the answers above hold only valid values.
    rejected_input = models.JSONField(default=dict, blank=True)
    # Copied from the answers for lists and checks; the answers stay the source.
    project_title = models.CharField(_("titre du projet"), max_length=200, blank=True)
    amount_requested = models.DecimalField(
        _("montant demandé"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Frozen at submission: what staff and reviewers see, and what the receipt fingerprints.
    snapshot = models.JSONField(null=True, blank=True)
    fingerprint = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    eligibility_checks = models.JSONField(default=list, blank=True)
    # Set when a closed application's personal data and files were purged (retention): its
    # reference, dates, status and fingerprint stay, its answers and files are gone.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)
    # The programme officer who follows the application (the « mes dossiers » queue); set and
    # changed by staff of its call (evaluation.services.assign_lead_officer).
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chargé de mission référent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_applications",
    )
    # The relève the application was submitted for: applications are examined relève by
    # relève. Set at submission; a draft belongs to none (it rolls over to the next one).
    cutoff = models.ForeignKey(
        "cms.CallCutoff",
        verbose_name=_("relève"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    # A later deadline granted to this application alone, with a written reason recorded in
    # the audit trail (evaluation.extensions.grant_extension); the call's own dates are unchanged.
    extended_until = models.DateTimeField(_("délai prolongé jusqu'au"), null=True, blank=True)
    # Two-stage calls: a pre-proposal (stage 1) is filed first; once shortlisted, its full
    # application (stage 2) is opened from it, due by the second-stage relève set in ``cutoff``.
    stage = models.PositiveSmallIntegerField(_("étape"), default=1)
    pre_proposal = models.OneToOneField(
        "self",
        verbose_name=_("pré-proposition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="full_application",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-updated_at"]
        constraints = [
            # One draft per organisation and call: co-applicants never edit competing drafts.
            # (per stage: a shortlisted team drafts its full application while it may also
            # prepare a new pre-proposal for a later relève).
            models.UniqueConstraint(
                fields=["organisation", "call", "stage"],
                condition=Q(status=ApplicationStatus.DRAFT),
                name="one_draft_per_organisation_call_and_stage",
            )
        ]

    def __str__(self) -> str:
        return self.project_title or _("Candidature n° %(pk)s") % {"pk": self.pk}

    @property
    def is_full_application(self) -> bool:
        return self.stage == 2

    def deadline_open(self, at: datetime | None = None) -> bool:
        """Whether the application may still be submitted at ``at``: the call is open (for a
        full application: its second-stage relève is ahead), or an extension granted to this
        application runs past ``at`` (never before the call opens)."""
        at = at or timezone.now()
        if self.extended_until is not None and self.call.opens_at <= at < self.extended_until:
            return True
        if self.is_full_application:
            return self.cutoff is not None and at < self.cutoff.closes_at
        return self.call.is_open(at)

    def next_deadline(self, now: datetime | None = None):
        """The relève a draft must be submitted before: the call's next one, or for a full
        application the second-stage relève it was invited to. None once submitted."""
        if not self.is_editable:
            return None
        if self.is_full_application:
            return self.cutoff
        return self.call.next_cutoff(now)

    def check_deadline(self, at: datetime | None = None) -> None:
        """The deadline rule at ``at`` for this application: raises ``Refused`` like
        ``CallPage.check_open`` unless an extension covers ``at``."""
        if self.deadline_open(at):
            return
        if self.is_full_application:
            raise Refused(
                [
                    _("Le dossier complet était attendu avant le %(at)s (heure de Paris).")
                    % {"at": paris_instant(self.cutoff.closes_at) if self.cutoff else "—"}
                ]
            )
        self.call.check_open(at)

    @property
    def reference(self) -> str:
        return f"RUCHE-{self.created_at:%Y}-{self.pk:06d}"

    @property
    def applicant_status(self) -> str:
        return APPLICANT_WORDING[ApplicationStatus(self.status)]

    @property
    def is_editable(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def frozen_answers(self) -> dict:
        """The answers as submitted (the snapshot), or as they stand for a draft."""
        return (self.snapshot or {}).get("answers") or self.answers or {}

    def section_answers(self, slug: str) -> dict:
        return self.answers.get(slug, {})

    def budget_totals(self) -> dict[str, Decimal]:
        section = next((s for s in form_of(self).sections if s.kind == "budget"), None)
        budget = self.section_answers(section.slug if section else "budget")
        total = sum(
            (Decimal(line.get("amount") or 0) for line in budget.get("lines", [])), Decimal(0)
        )
        cofunding = sum(
            (Decimal(c.get("amount") or 0) for c in budget.get("cofunding", [])), Decimal(0)
        )
        return {"total_cost": total, "cofunding": cofunding}


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    # The key of an attachment slot of the application's form.
    slot = models.CharField(_("pièce"), max_length=40)
    file = models.FileField(
        storage=private_storage, upload_to=random_attachment_name, max_length=200
    )
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot", "uploaded_at"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.original_name

    def get_slot_display(self) -> str:
        """The slot's label in the application's form (its key if the form no longer has it)."""
        slot = form_of(self.application).slots_by_key.get(self.slot)
        return str(slot.label) if slot else self.slot
