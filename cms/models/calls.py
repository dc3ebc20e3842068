"""Calls for projects: the page, its schedule, its form and who runs it. Its inline lists
(relèves, criteria, tracks, documents, FAQ) are in ``call_parts``, its queries in ``call_queries``.

A call is open from ``opens_at`` until its last first-stage cut-off, unless it is closed early.
Instants are stored in UTC; editors type them in Paris time (``TIME_ZONE``), so a cut-off
"15 janvier 2027 à 12h00" is that Paris instant whatever the daylight-saving time.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from core.formatting import paris_instant
from core.refusals import Refused
from core.roles import PROGRAMME_STAFF_GROUP
from core.vocabulary import OrganisationSize

from ..blocks import BodyBlock
from ..fields import MultipleChoiceJSONField
from ..forms import CallPageForm
from .call_parts import CallCutoff
from .call_queries import CallQuerySet, CallStage, CallStatus
from .serving import ServedPageMixin

# The one refusal of a late application, whatever path it took.
CLOSED_MESSAGE = _(
    "L'appel est clos depuis le %(at)s (heure de Paris) : le dépôt n'est plus possible."
)


CallManager = PageManager.from_queryset(CallQuerySet)


class CallPage(ServedPageMixin, Page):
    """A call for projects (appel à projets) as published by a programme operator."""

    summary = models.TextField(
        _("résumé"), max_length=600, help_text=_("Deux ou trois phrases, reprises dans les listes.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("présentation"), blank=True)
    operator = models.ForeignKey(
        "cms.Operator", verbose_name=_("opérateur"), on_delete=models.PROTECT, related_name="calls"
    )
    themes = ParentalManyToManyField("cms.Theme", verbose_name=_("thématiques"), blank=True)
    budget_envelope = models.DecimalField(
        _("enveloppe budgétaire (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_amount_per_project = models.DecimalField(
        _("montant maximal par projet (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    aid_rate_percent = models.PositiveSmallIntegerField(
        _("taux d'aide maximal (% du coût total)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    opens_at = models.DateTimeField(_("ouverture"), help_text=_("Heure de Paris."))
    closed_early_at = models.DateTimeField(
        _("clôture anticipée le"),
        null=True,
        blank=True,
        help_text=_(
            "À renseigner si l'appel ferme avant sa dernière relève (enveloppe consommée)."
        ),
    )
    early_closure_reason = models.TextField(_("motif de la clôture anticipée"), blank=True)
    eligible_organisation_sizes = MultipleChoiceJSONField(
        _("catégories d'organisation éligibles"),
        choices_source=OrganisationSize,
        help_text=_("Aucune case cochée : toutes les catégories sont éligibles."),
    )
    eligibility = RichTextField(
        _("conditions d'éligibilité"), features=["bold", "italic", "link", "ol", "ul"]
    )
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("courriel de contact"))
    # Officers assigned to this call beside its operator's staff.
    officers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chargés de mission de l'appel"),
        related_name="assigned_calls",
        blank=True,
        limit_choices_to={"groups__name": PROGRAMME_STAFF_GROUP},
    )

    # The questions applicants answer; none: the reference catalogue (grants.questions). A
    # two-stage call's full applications answer the second-stage form.
    application_form = models.ForeignKey(
        "cms.ApplicationForm",
        verbose_name=_("formulaire de candidature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
        help_text=_("Vide : le formulaire de référence."),
    )
    second_stage_form = models.ForeignKey(
        "cms.ApplicationForm",
        verbose_name=_("formulaire de la 2e étape"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_stage_calls",
        help_text=_("Appels en deux étapes : le dossier complet des projets présélectionnés."),
    )

    objects = CallManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("operator"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("budget_envelope"), FieldPanel("max_amount_per_project")]
                ),
                FieldPanel("aid_rate_percent"),
            ],
            heading=_("Financement"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("opens_at"),
                InlinePanel("cutoffs", label=_("Relève"), min_num=1),
                FieldRowPanel([FieldPanel("closed_early_at"), FieldPanel("early_closure_reason")]),
            ],
            heading=_("Calendrier"),
        ),
        FieldPanel("body"),
        FieldPanel("eligibility"),
        FieldPanel("eligible_organisation_sizes"),
        MultiFieldPanel(
            [FieldPanel("application_form"), FieldPanel("second_stage_form")],
            heading=_("Formulaire de candidature"),
        ),
        InlinePanel("criteria", label=_("Critère d'évaluation")),
        InlinePanel("review_tracks", label=_("Expertise requise")),
        InlinePanel("documents", label=_("Document")),
        InlinePanel("questions", label=_("Question fréquente")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")])],
            heading=_("Contact"),
        ),
        FieldPanel("officers", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("opens_at"),
    ]

    # Read with the page when it is served (cms.routing): status, relèves and countdown.
    serve_prefetch = ("cutoffs",)
    base_form_class = CallPageForm
    parent_page_types = ["cms.CallIndexPage"]
    subpage_types: list[str] = []
    template = "cms/call_page.html"

    class Meta:
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")

    # -- Schedule ---------------------------------------------------------------------------

    def sorted_cutoffs(self, stage: int = CallStage.FIRST) -> list[CallCutoff]:
        # Works on unsaved clusters too (previews, clean()), hence no database ordering.
        return sorted(
            (c for c in self.cutoffs.all() if c.stage == stage), key=lambda c: c.closes_at
        )

    @property
    def last_cutoff_at(self) -> datetime | None:
        cutoffs = self.sorted_cutoffs()
        return cutoffs[-1].closes_at if cutoffs else None

    @property
    def closing_at(self) -> datetime | None:
        """The instant after which no new application is accepted."""
        last = self.last_cutoff_at
        if self.closed_early_at and (last is None or self.closed_early_at < last):
            return self.closed_early_at
        return last

    @property
    def is_closed_early(self) -> bool:
        last = self.last_cutoff_at
        return bool(self.closed_early_at and (last is None or self.closed_early_at < last))

    @property
    def is_two_stage(self) -> bool:
        return bool(self.sorted_cutoffs(CallStage.SECOND))

    def status(self, now: datetime | None = None) -> CallStatus:
        now = now or timezone.now()
        closing = self.closing_at
        if closing is None or now >= closing:
            return CallStatus.CLOSED
        if now < self.opens_at:
            return CallStatus.UPCOMING
        return CallStatus.OPEN

    def is_open(self, now: datetime | None = None) -> bool:
        return self.status(now) == CallStatus.OPEN

    def is_run_by(self, user) -> bool:
        """Whether ``user`` works on this call as programme staff (``CallQuerySet.run_by``)."""
        return CallPage.objects.run_by(user).filter(pk=self.pk).exists()

    def check_open(self, at: datetime | None = None) -> None:
        """The deadline rule, judged on the server at ``at``: raises ``Refused`` with the one
        message every path shows (starting a draft, saving it, submitting)."""
        at = at or timezone.now()
        status = self.status(at)
        if status == CallStatus.UPCOMING:
            raise Refused(
                [
                    _("Cet appel ouvre le %(at)s (heure de Paris) : revenez à cette date.")
                    % {"at": paris_instant(self.opens_at)}
                ]
            )
        if status == CallStatus.CLOSED:
            raise Refused([CLOSED_MESSAGE % {"at": paris_instant(self.closing_at)}])

    def next_cutoff(self, now: datetime | None = None) -> CallCutoff | None:
        """The next first-stage relève still ahead, none once the call is closed."""
        now = now or timezone.now()
        if self.status(now) == CallStatus.CLOSED:
            return None
        return next((c for c in self.sorted_cutoffs() if c.closes_at > now), None)

    def changes_at(self, now: datetime) -> datetime | None:
        """Status, next relève and the past relèves change at these instants."""
        instants = [
            self.opens_at,
            self.closed_early_at,
            *(c.closes_at for c in self.sorted_cutoffs()),
        ]
        return min((at for at in instants if at is not None and at > now), default=None)

    def cutoff_for(self, at: datetime) -> CallCutoff | None:
        """The first-stage relève an application submitted at ``at`` belongs to: the first one
        still ahead, or the last one for a submission under an extension granted after it."""
        cutoffs = self.sorted_cutoffs()
        return next((c for c in cutoffs if c.closes_at > at), cutoffs[-1] if cutoffs else None)

    def close_early(self, reason: str, at: datetime | None = None) -> None:
        """Close the call before its last relève, e.g. when its envelope is spent."""
        if not reason.strip():
            raise ValidationError(
                {"early_closure_reason": _("Le motif de clôture est obligatoire.")}
            )
        self.closed_early_at = at or timezone.now()
        self.early_closure_reason = reason.strip()

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        # Status, next relève, countdown and both lists read the cut-offs: once, here.
        prefetch_related_objects([self], "cutoffs")
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context.update(
            now=now,
            status=self.status(now),
            next_cutoff=self.next_cutoff(now),
            first_stage_cutoffs=self.sorted_cutoffs(CallStage.FIRST),
            second_stage_cutoffs=self.sorted_cutoffs(CallStage.SECOND),
            draft=self.draft_of(request.user),
        )
        return context

    @cached_property
    def reference(self) -> CallPage:
        """The call applications belong to: the default-locale (French) original of this page,
        whichever language's page the applicant read. Itself if it has no such original."""
        original = CallPage.objects.references().filter(translation_key=self.translation_key)
        return original.first() or self

    def draft_of(self, user):
        """The draft this user's organisation holds on the call, for "reprendre mon brouillon"
        (the same draft from the French and the English page)."""
        if not user.is_authenticated:
            return None
        return self.reference.applications.of_user(user).filter(status="draft").first()

    # -- Tracks -----------------------------------------------------------------------------

    def accepts_organisation_size(self, size: str) -> bool:
        return not self.eligible_organisation_sizes or size in self.eligible_organisation_sizes

    def requires_track(self, track: str) -> bool:
        return any(t.track == track for t in self.review_tracks.all())

    def form_for_stage(self, stage: int = CallStage.FIRST):
        """The form applicants answer at ``stage``; None: the reference catalogue."""
        if stage == CallStage.SECOND and self.second_stage_form_id:
            return self.second_stage_form
        return self.application_form

    # -- Validation -------------------------------------------------------------------------

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if (
            self.budget_envelope is not None
            and self.max_amount_per_project is not None
            and self.max_amount_per_project > self.budget_envelope
        ):
            errors.setdefault("max_amount_per_project", []).append(
                _("Le montant maximal par projet dépasse l'enveloppe de l'appel.")
            )
        if self.closed_early_at and not self.early_closure_reason.strip():
            errors.setdefault("early_closure_reason", []).append(
                _("Indiquez le motif de la clôture anticipée.")
            )
        if self.closed_early_at and self.opens_at and self.closed_early_at < self.opens_at:
            errors.setdefault("closed_early_at", []).append(
                _("La clôture anticipée ne peut précéder l'ouverture.")
            )
        if errors:
            raise ValidationError(errors)
