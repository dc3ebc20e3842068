"""The public catalogue: project sheets published from funded applications, and the outbox
that carries every change to the search index.

Only the fields below ever leave the private application. A change to a sheet and its outbox
row are written in the same transaction, so the index never misses an update.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.vocabulary import Region


class PublicProject(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        PUBLISHED = "published", _("Publié")

    application = models.OneToOneField(
        "grants.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="public_project",
    )
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    title = models.CharField(_("titre public"), max_length=200)
    summary = models.TextField(_("résumé"), max_length=1500)
    description = models.TextField(_("description"), blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    region = models.CharField(_("région"), max_length=2, choices=Region.choices)
    themes = models.ManyToManyField("cms.Theme", verbose_name=_("thématiques"), blank=True)
    call = models.ForeignKey(
        "cms.CallPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    call_title = models.CharField(_("appel à projets"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("année"))
    amount_granted = models.DecimalField(_("montant accordé (€)"), max_digits=14, decimal_places=2)
    trl = models.PositiveSmallIntegerField(_("maturité (TRL)"), null=True, blank=True)
    partners = models.TextField(_("partenaires"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("projet financé")
        verbose_name_plural = _("projets financés")

    def __str__(self) -> str:
        return self.title


class IndexOutbox(models.Model):
    """One pending change for the search engine: index (or re-index) or remove a project."""

    class Action(models.TextChoices):
        INDEX = "index", _("Indexer")
        REMOVE = "remove", _("Retirer")

    project_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["processed_at", "id"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.action} {self.project_id}"


class PublicationLog(models.Model):
    """Who published or unpublished a sheet, and when."""

    project = models.ForeignKey(PublicProject, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.project_id} {self.action}"


class IndexGeneration(models.Model):
    """One row whose token changes with every write to the database backend's index: the
    cached landing page of the catalogue is keyed by it, so a publication, an edit or a
    removal is seen by every process at once. Random, not a counter: a write rolled back
    must never let its cached page pass for a later one's."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


class ThemeIds(models.Field):
    """A sheet's theme ids: an array on PostgreSQL; elsewhere an empty text column (SQLite
    reads the sheet's theme links). Written and read by the backend's own SQL only."""

    def db_type(self, connection) -> str:
        return "bigint[]" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    """A sheet in the database backend's index: a row exists while the sheet is published
    and indexed, with what facets, filters and sorts read, as indexed. On PostgreSQL it also
    holds the sheet's weighted French tsvector (A title, B summary, C the rest), GIN-indexed;
    on SQLite the text is in the FTS5 table search_fts. On PostgreSQL, the theme facet and
    filter read the sheet's theme ids as indexed (``theme_ids``); SQLite reads the sheet's own
    theme links.
    """

    project = models.OneToOneField(
        PublicProject, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    document = SearchVectorField(null=True)
    region = models.CharField(max_length=2)
    call_id = models.BigIntegerField(null=True)
    year = models.PositiveSmallIntegerField()
    trl = models.PositiveSmallIntegerField(null=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    amount_band = models.CharField(max_length=10)
    published_at = models.DateTimeField(null=True)
    # PostgreSQL only, written with the tsvector: the theme facet groups the matched sheets
    # by their few combinations of themes, then counts each theme, instead of joining every
    # sheet to its links (3 ms less for a word found in 7,500 sheets of 10,000).
    theme_ids = ThemeIds(null=True)

    class Meta:
        # The unfiltered catalogue's pages, read in each sort's order (statement.ORDER_BY).
        indexes = [
            models.Index(fields=["-published_at", "-project"], name="search_doc_newest"),
            models.Index(fields=["-amount", "-published_at", "-project"], name="search_doc_amount"),
        ]

    def __str__(self) -> str:
        return f"indexed {self.project_id}"
