"""Application forms built by programme staff, and their frozen versions.

A call chooses its form (``CallPage.application_form``, and for a two-stage call the form of
its second stage). Saving a form writes its definition into its newest version, unless an
application was submitted on that version: the version is then frozen and saving makes the
next one, so every submitted application keeps rendering from the questions it answered.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.search import index

from ..application_form_blocks import ApplicationFormBody
from ..application_form_definition import definition_from_body

# The shipped short form for the first stage of two-stage calls (grants.services.reference_form).
PRE_PROPOSAL_FORM_NAME = "Pré-proposition Santé numérique (formulaire court)"


class ApplicationFormQuerySet(models.QuerySet):
    def reference(self) -> ApplicationForm | None:
        """The shipped reference form (``manage.py load_reference_form``), if loaded."""
        return self.filter(is_reference=True).order_by("pk").first()

    def pre_proposal(self) -> ApplicationForm | None:
        """The shipped pre-proposal form, if loaded (and not renamed by staff)."""
        return self.filter(name=PRE_PROPOSAL_FORM_NAME).first()


class ApplicationForm(index.Indexed, models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    body = StreamField(ApplicationFormBody(), verbose_name=_("sections et questions"))
    is_reference = models.BooleanField(
        _("formulaire de référence fourni avec Ruche"), default=False, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationFormQuerySet.as_manager()
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("formulaire de candidature")
        verbose_name_plural = _("formulaires de candidature")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.publish()

    def definition(self) -> dict:
        return definition_from_body(self.body)

    def publish(self) -> ApplicationFormVersion:
        """Write the current definition into the newest version, or into a new one when the
        newest is frozen (an application was submitted on it)."""
        definition = self.definition()
        # Locked: a submission freezing this version meanwhile waits, then is not overwritten.
        newest = self.versions.select_for_update().order_by("-number").first()
        if newest is not None and newest.definition == definition:
            return newest
        if newest is None or newest.frozen_at is not None:
            number = newest.number + 1 if newest else 1
            return self.versions.create(number=number, definition=definition)
        newest.definition = definition
        newest.save(update_fields=["definition", "updated_at"])
        return newest

    def newest_version(self) -> ApplicationFormVersion | None:
        """The version new and draft applications answer (None before the first publish)."""
        return self.versions.order_by("-number").first()

    @property
    def version_count(self) -> int:
        return self.versions.count()


class ApplicationFormVersion(models.Model):
    # Deleting an unused form deletes its versions; a version an application was submitted on
    # is protected by it (Application.form_version), and so is its form.
    form = models.ForeignKey(ApplicationForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    definition = models.JSONField(_("définition figée"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the first application is submitted on this version: never changed afterwards.
    frozen_at = models.DateTimeField(_("figée le"), null=True, blank=True)

    class Meta:
        ordering = ["form", "-number"]
        verbose_name = _("version de formulaire")
        verbose_name_plural = _("versions de formulaire")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="unique_form_version")
        ]

    def __str__(self) -> str:
        return f"{self.form} (v{self.number})"

    def freeze(self) -> None:
        """An application was submitted on this version: later edits make a new one."""
        if self.frozen_at is None:
            self.frozen_at = timezone.now()
            ApplicationFormVersion.objects.filter(pk=self.pk, frozen_at__isnull=True).update(
                frozen_at=self.frozen_at
            )
