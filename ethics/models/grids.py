"""Review grids: criteria with guidance, evidence, weight, scale and blocking flag.

A grid used by a submitted review is never changed under it: editing it makes a new version
(``ReviewGrid.new_version``) and reviews keep pointing at the version they used.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ChildObjectsDescriptor, ParentalKey
from modelcluster.models import ClusterableModel

from cms.application_form_rules import cited_keys
from cms.models import ApplicationFormVersion
from core.vocabulary import ReviewTrack
from grants.questions import ATTACHMENT_SLOTS_BY_KEY, SECTIONS_BY_SLUG, TABLE_LABELS

from ..aggregation import COMPLIANCE, SCORE_0_5

ANCHORS_0_5 = {
    0: _("absent"),
    1: _("très insuffisant"),
    2: _("insuffisant"),
    3: _("acceptable"),
    4: _("bon"),
    5: _("exemplaire"),
}


class _CriteriaDescriptor(ChildObjectsDescriptor):
    @cached_property
    def child_object_manager_cls(self):
        deferring = super().child_object_manager_cls
        live = self.related_manager_cls

        class CriteriaManager(deferring):
            def create(self, **kwargs):
                # A saved grid whose criteria are not being edited in memory (by an admin
                # form) creates in the database, as a ForeignKey's manager does.
                if self.instance.pk is not None and not self.is_deferring:
                    return live(self.instance).create(**kwargs)
                return super().create(**kwargs)

        return CriteriaManager


class CriteriaKey(ParentalKey):
    """The grid of a criterion: a ParentalKey (inline editing in the Wagtail admin) whose
    ``grid.criteria.create(...)`` still saves at once outside a form."""

    related_accessor_class = _CriteriaDescriptor


ATTACHMENT_PREFIX = "piece:"
# The parts of the sections that are tables rather than questions (grants/forms/editors.py).
SECTION_PARTS = {
    "team": ("lead", "members", "partners"),
    "budget": ("lines", "cofunding", "amount_requested"),
}


def evidence_label(key: str) -> str | None:
    """What an evidence key cites, as ethics/presentation.py shows it, or None if it names
    nothing: "section.question_key" or a whole "section" (grants/questions.py), a part of the
    team or budget section ("equipe.members"), "organisation.field", "piece:slot_key"."""
    if not isinstance(key, str):
        return None
    if key.startswith(ATTACHMENT_PREFIX):
        slot = ATTACHMENT_SLOTS_BY_KEY.get(key.removeprefix(ATTACHMENT_PREFIX))
        return str(slot.label) if slot else None
    slug, dot, name = key.partition(".")
    if slug == "organisation":
        organisation = apps.get_model("grants", "Organisation")
        field = next((f for f in organisation._meta.concrete_fields if f.name == name), None)
        return str(field.verbose_name) if field else None
    section = SECTIONS_BY_SLUG.get(slug)
    if section is None:
        return None
    if not dot:
        return str(section.title)
    question = next((q for q in section.questions if q.key == name), None)
    if question is not None:
        return str(question.label)
    labels = {
        **TABLE_LABELS,
        "lead": _("Contact principal"),
        "amount_requested": _("Aide demandée"),
    }
    if name in SECTION_PARTS.get(section.kind, ()):
        return f"{section.title} — {labels[name]}"
    return None


def keys_of_forms() -> set[str]:
    """Every key some version of a staff-built form offers to grids (``cited_keys``)."""
    keys: set[str] = set()
    for definition in ApplicationFormVersion.objects.values_list("definition", flat=True):
        keys |= cited_keys(definition)
    return keys


def validate_evidence_keys(value) -> None:
    """Each key names something of the reference catalogue or of a staff-built form; whether
    a call's own form has it is checked when the grid is attached to the call
    (``ethics.form_checks``)."""
    if not isinstance(value, list):
        raise ValidationError(_('Donnez une liste de clés, par exemple ["securite.host_name"].'))
    unknown = [str(key) for key in value if evidence_label(key) is None]
    if unknown:
        known = keys_of_forms()
        unknown = [key for key in unknown if key.strip() not in known]
    if unknown:
        raise ValidationError(
            _("Clés inconnues : %(keys)s. Citez « section.question » ou « piece:emplacement »."),
            params={"keys": ", ".join(unknown)},
        )


class ReviewGrid(ClusterableModel):
    name = models.CharField(_("nom"), max_length=200)
    track = models.CharField(_("expertise"), max_length=30, choices=ReviewTrack.choices)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    is_reference = models.BooleanField(_("grille de référence fournie avec Ruche"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["track", "name", "-version"]
        verbose_name = _("grille d'évaluation")
        verbose_name_plural = _("grilles d'évaluation")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="unique_grid_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_in_use(self) -> bool:
        """A submitted review used it: its criteria are frozen."""
        return self.reviews.filter(status="submitted").exists()

    @transaction.atomic
    def new_version(self) -> ReviewGrid:
        """A copy with its criteria, numbered next, to edit while this one stays as it was."""
        copy = ReviewGrid.objects.create(
            name=self.name,
            track=self.track,
            description=self.description,
            version=self.version + 1,
            previous=self,
            is_reference=False,
        )
        for criterion in self.criteria.all():
            criterion.pk = None
            criterion.grid = copy
            criterion.save()
        CallGrid.objects.filter(grid=self).update(grid=copy)
        return copy


class Criterion(models.Model):
    class Scale(models.TextChoices):
        SCORE = SCORE_0_5, _("Note de 0 à 5")
        COMPLIANCE = COMPLIANCE, _("Conforme / partiel / non conforme")

    # A ParentalKey so that the Wagtail admin edits the criteria inline with their grid.
    grid = CriteriaKey(ReviewGrid, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=10)
    label = models.CharField(_("critère"), max_length=200)
    guidance = models.TextField(_("consignes à l'expert"), blank=True)
    evidence = models.TextField(_("éléments de preuve attendus"), blank=True)
    # Keys of the applicant's answers and attachment slots this criterion cites (questions.py).
    evidence_keys = models.JSONField(
        _("réponses citées"), default=list, blank=True, validators=[validate_evidence_keys]
    )
    weight = models.PositiveSmallIntegerField(_("pondération"), default=1)
    scale = models.CharField(_("échelle"), max_length=20, choices=Scale.choices, default=SCORE_0_5)
    allows_not_applicable = models.BooleanField(_("« sans objet » possible"), default=False)
    blocking = models.BooleanField(_("critère bloquant"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    # The Wagtail admin's inline panel orders criteria by this field.
    sort_order_field = "order"

    class Meta:
        ordering = ["grid", "order", "code"]
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        constraints = [
            models.UniqueConstraint(fields=["grid", "code"], name="unique_criterion_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class CallGrid(models.Model):
    """A grid used for one track of a call, with the call's own weights if any."""

    call = models.ForeignKey("cms.CallPage", on_delete=models.CASCADE, related_name="review_grids")
    grid = models.ForeignKey(ReviewGrid, on_delete=models.PROTECT, related_name="calls")
    # {criterion code: weight} overriding the grid's default weights for this call.
    weights = models.JSONField(_("pondérations propres à l'appel"), default=dict, blank=True)
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("experts par dossier"), default=2
    )
    disagreement_threshold = models.PositiveSmallIntegerField(
        _("seuil de divergence (points sur 100)"), default=25
    )
    blind = models.BooleanField(_("expertise à l'aveugle"), default=False)
    show_other_reviews = models.BooleanField(
        _("l'expert voit les autres avis après avoir rendu le sien"), default=True
    )

    class Meta:
        verbose_name = _("grille d'un appel")
        verbose_name_plural = _("grilles des appels")
        constraints = [models.UniqueConstraint(fields=["call", "grid"], name="unique_call_grid")]

    def __str__(self) -> str:
        return f"{self.call} — {self.grid}"

    def weight_of(self, criterion: Criterion) -> int:
        return int(self.weights.get(criterion.code, criterion.weight))
