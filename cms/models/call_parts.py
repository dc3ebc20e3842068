"""What a call lists inline in the admin: relèves, criteria, review tracks, documents, FAQ."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from core.vocabulary import ReviewTrack

from .call_queries import CallStage


class CallCutoff(Orderable):
    """A relève: applications filed before it are collected and processed together."""

    call = ParentalKey("cms.CallPage", on_delete=models.CASCADE, related_name="cutoffs")
    stage = models.PositiveSmallIntegerField(
        _("étape"), choices=CallStage.choices, default=CallStage.FIRST
    )
    closes_at = models.DateTimeField(_("date et heure limite"), help_text=_("Heure de Paris."))
    label = models.CharField(_("libellé"), max_length=100, blank=True)

    panels = [FieldRowPanel([FieldPanel("stage"), FieldPanel("closes_at"), FieldPanel("label")])]

    class Meta(Orderable.Meta):
        verbose_name = _("relève")
        verbose_name_plural = _("relèves")

    def __str__(self) -> str:
        return self.label or timezone.localtime(self.closes_at).strftime("%d/%m/%Y %H:%M")


class CallCriterion(Orderable):
    """A selection criterion stated in the call, with its weight in the overall assessment."""

    call = ParentalKey("cms.CallPage", on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(_("critère"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("pondération (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("weight")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")


class CallReviewTrack(Orderable):
    """A specialist review the call requires, with its weight in the overall score."""

    call = ParentalKey("cms.CallPage", on_delete=models.CASCADE, related_name="review_tracks")
    track = models.CharField(_("expertise"), max_length=30, choices=ReviewTrack.choices)
    weight = models.PositiveSmallIntegerField(
        _("poids dans la note globale"), default=1, validators=[MinValueValidator(1)]
    )

    panels = [FieldRowPanel([FieldPanel("track"), FieldPanel("weight")])]

    class Meta(Orderable.Meta):
        verbose_name = _("expertise requise")
        verbose_name_plural = _("expertises requises")
        constraints = [
            models.UniqueConstraint(fields=["call", "track"], name="unique_track_per_call")
        ]


class CallDocument(Orderable):
    """A downloadable document: cahier des charges, templates, regulations."""

    call = ParentalKey("cms.CallPage", on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("intitulé"), max_length=200, blank=True, help_text=_("Par défaut, le titre du document.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class CallQuestion(Orderable):
    """A frequently asked question about the call."""

    call = ParentalKey("cms.CallPage", on_delete=models.CASCADE, related_name="questions")
    question = models.CharField(_("question"), max_length=300)
    answer = RichTextField(_("réponse"), features=["bold", "italic", "link", "ol", "ul"])

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("question fréquente")
        verbose_name_plural = _("questions fréquentes")
