"""Reference lists editors pick from: programme operators and themes."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

DEFAULT_CLOSED_FILE_RETENTION_YEARS = 5


@register_snippet
class Operator(index.Indexed, models.Model):
    """The body that runs a call on behalf of the State (Bpifrance, ANS, ANR…)."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    acronym = models.CharField(_("sigle"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    # The operator's programme officers: they see and act on the operator's calls.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chargés de mission de l'opérateur"),
        related_name="operators",
        blank=True,
    )

    # Rejected, ineligible and withdrawn applications are anonymised and their files deleted
    # this long after the decision (grants.services.anonymisation). Five years by default: the
    # limitation period of actions in liability (Code civil, art. 2224), during which the
    # operator may have to show how it judged a file; shorter periods suit operators without
    # litigation risk.
    closed_file_retention_years = models.PositiveSmallIntegerField(
        _("conservation des dossiers non retenus (années)"),
        default=DEFAULT_CLOSED_FILE_RETENTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "Dossiers rejetés, irrecevables ou retirés : anonymisés et leurs pièces supprimées "
            "après ce délai, compté depuis la décision."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("website"),
        FieldPanel("staff", widget=forms.CheckboxSelectMultiple),
        FieldPanel("closed_file_retention_years"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("opérateur")
        verbose_name_plural = _("opérateurs")

    def __str__(self) -> str:
        return self.acronym or self.name


@register_snippet
class Theme(index.Indexed, models.Model):
    """A theme of the programme (télésurveillance, santé mentale…), shared by calls and projects."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")

    def __str__(self) -> str:
        return self.name
