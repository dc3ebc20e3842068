"""The convention (grant agreement) of a selected application: its state machine, its versions
(the document as generated, then each amendment) and their signatures.

    draft → sent → signed (by the beneficiary) → countersigned → in force → closed;
    terminated with a reason from any state between sent and in force;
    sent → draft to revise the document before anyone signed it.

The ``status`` field is protected: only the transitions below move it, and only the services
of ``funding.services`` call them, each writing the change in the application's audit trail.
An amendment is a new version signed by both parties while the convention stays in force.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from grants.storage import private_storage, random_attachment_name

from ..amounts import euros


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    SENT = "sent", _("Envoyée pour signature")
    SIGNED = "signed", _("Signée par le bénéficiaire")
    COUNTERSIGNED = "countersigned", _("Contresignée")
    IN_FORCE = "in_force", _("En vigueur")
    CLOSED = "closed", _("Clôturée")
    TERMINATED = "terminated", _("Résiliée")


class ProjectStatus(models.TextChoices):
    """The project's status as the public sheet shows it, read from its convention."""

    IN_PROGRESS = "in_progress", _("En cours")
    COMPLETED = "completed", _("Terminé")
    STOPPED = "stopped", _("Arrêté")


CS = ConventionStatus
# The states in which the money is legally committed (engagé).
COMMITTED_STATES = [CS.COUNTERSIGNED, CS.IN_FORCE, CS.CLOSED]
TERMINABLE_STATES = [CS.SENT, CS.SIGNED, CS.COUNTERSIGNED, CS.IN_FORCE]


class Convention(FSMModelMixin, models.Model):
    application = models.OneToOneField(
        "grants.Application", on_delete=models.PROTECT, related_name="convention"
    )
    status = FSMField(
        _("état"), default=CS.DRAFT, choices=CS.choices, protected=True, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The day the convention takes effect: the schedule's dates count from it.
    start_date = models.DateField(_("date de prise d'effet"), null=True, blank=True)
    in_force_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The reason of a termination, or the closing note.
    end_reason = models.TextField(_("motif"), blank=True)
    # Closed after a failure: the repayable advance is not to be repaid.
    advance_waived = models.BooleanField(_("avance non remboursable (échec)"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"CONV-{self.created_at:%Y}-{self.application_id:06d}"

    # -- Transitions (called by funding.services only) -------------------------------------

    @transition(field="status", source=CS.DRAFT, target=CS.SENT)
    def send(self) -> None:
        """The document goes to the beneficiary for signature."""

    @transition(field="status", source=CS.SENT, target=CS.DRAFT)
    def withdraw(self) -> None:
        """Back to preparation before anyone signed: the next document is a new version."""

    @transition(field="status", source=CS.SENT, target=CS.SIGNED)
    def sign(self) -> None:
        """The beneficiary's legal representative signed."""

    @transition(field="status", source=CS.SIGNED, target=CS.COUNTERSIGNED)
    def countersign(self) -> None:
        """Programme staff signed for the operator."""

    @transition(field="status", source=CS.COUNTERSIGNED, target=CS.IN_FORCE)
    def bring_into_force(self) -> None:
        """Notified and in effect: the advance may be paid."""

    @transition(field="status", source=CS.IN_FORCE, target=CS.IN_FORCE)
    def amend(self) -> None:
        """An amendment is drafted: a new version to sign while the convention stays in force."""

    @transition(field="status", source=CS.IN_FORCE, target=CS.CLOSED)
    def close(self) -> None:
        """The final report is accepted: the project is completed."""

    @transition(field="status", source=TERMINABLE_STATES, target=CS.TERMINATED)
    def terminate(self) -> None:
        """Ended early, with a reason: the project is stopped."""

    # -- Reading ---------------------------------------------------------------------------

    def latest_version(self) -> ConventionVersion | None:
        return self.versions.order_by("-number").first()

    def effective_version(self) -> ConventionVersion | None:
        """The version whose terms apply: the latest signed by both, else the latest."""
        return (
            self.versions.filter(effective_at__isnull=False).order_by("-number").first()
            or self.latest_version()
        )

    @property
    def project_status(self) -> str | None:
        if self.status == CS.CLOSED:
            return ProjectStatus.COMPLETED
        if self.status == CS.TERMINATED:
            return ProjectStatus.STOPPED
        if self.status in (CS.COUNTERSIGNED, CS.IN_FORCE):
            return ProjectStatus.IN_PROGRESS
        return None

    def get_project_status_display(self) -> str:
        status = self.project_status
        return str(ProjectStatus(status).label) if status else ""

    @property
    def is_public_to_beneficiary(self) -> bool:
        """A draft is staff's own work: the beneficiary sees the convention once sent."""
        return self.status != CS.DRAFT


class ConventionVersion(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("Convention")
        AMENDMENT = "amendment", _("Avenant")

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INITIAL)
    reason = models.TextField(_("motif"), blank=True)
    # The terms this version states.
    grant_cents = models.BigIntegerField()
    advance_cents = models.BigIntegerField()
    eligible_costs_cents = models.BigIntegerField()
    duration_months = models.PositiveSmallIntegerField(_("durée (mois)"))
    # The document: the filled template, its PDF and the PDF's SHA-256 (what is signed).
    html = models.TextField()
    pdf = models.FileField(storage=private_storage, upload_to=random_attachment_name)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Both parties signed: its terms apply from then on.
    effective_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["convention", "number"]
        verbose_name = _("version de convention")
        verbose_name_plural = _("versions de convention")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="one_convention_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.convention_id} v{self.number}"

    @property
    def total_cents(self) -> int:
        return self.grant_cents + self.advance_cents

    @property
    def total(self):
        return euros(self.total_cents)

    @property
    def file_name(self) -> str:
        kind = "avenant" if self.kind == self.Kind.AMENDMENT else "convention"
        return f"{kind}-{self.convention.reference}-v{self.number}.pdf"

    def signature_of(self, party: str) -> Signature | None:
        return next((s for s in self.signatures.all() if s.party == party), None)


class Signature(models.Model):
    """One party's signature of one version: online (after re-entering a password or an MFA
    code) or by uploading the signed PDF, always against the version's SHA-256."""

    class Party(models.TextChoices):
        BENEFICIARY = "beneficiary", _("Bénéficiaire")
        OPERATOR = "operator", _("Opérateur du programme")

    class Method(models.TextChoices):
        ONLINE = "online", _("Signature dans Ruche")
        UPLOAD = "upload", _("Dépôt du PDF signé")

    version = models.ForeignKey(
        ConventionVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.CharField(max_length=12, choices=Party.choices)
    method = models.CharField(max_length=8, choices=Method.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("nom du signataire"), max_length=200)
    signer_role = models.CharField(_("qualité du signataire"), max_length=200)
    signed_at = models.DateTimeField(_("signée le"))
    # The SHA-256 of the version's PDF, as the signer was shown it.
    document_sha256 = models.CharField(max_length=64)
    # How the signer proved it was them, for an online signature: "password" or "totp".
    confirmed_with = models.CharField(max_length=10, blank=True)
    signed_file = models.FileField(
        storage=private_storage, upload_to=random_attachment_name, blank=True
    )
    signed_file_name = models.CharField(max_length=255, blank=True)
    signed_file_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_signature_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.version} — {self.party}"
