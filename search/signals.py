"""Catalogue sheets shown on public pages: a change starts a new content generation, so the
cached catalogue and sheet pages are computed afresh (cms.page_cache). A theme renamed (its
name or slug) is re-indexed in its published sheets: both backends index them."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from cms import page_cache
from cms.models import Theme

from .models import IndexOutbox, PublicProject
from .tasks import schedule_outbox


def sheet_changed(sender, **kwargs) -> None:
    page_cache.invalidate()


def theme_saving(sender, instance: Theme, **kwargs) -> None:
    """Remember how the theme is indexed now, to tell a rename from a plain save."""
    if instance.pk:
        instance._indexed_as = (
            Theme.objects.filter(pk=instance.pk).values_list("name", "slug").first()
        )


def theme_saved(sender, instance: Theme, created: bool, **kwargs) -> None:
    indexed_as = getattr(instance, "_indexed_as", None)
    if created or indexed_as in (None, (instance.name, instance.slug)):
        return
    sheets = PublicProject.objects.filter(
        themes=instance, status=PublicProject.Status.PUBLISHED
    ).values_list("pk", flat=True)
    IndexOutbox.objects.bulk_create(
        IndexOutbox(project_id=pk, action=IndexOutbox.Action.INDEX) for pk in sheets
    )
    schedule_outbox()
    page_cache.invalidate()


def connect() -> None:
    uid = "ruche-catalogue-sheets"
    post_save.connect(sheet_changed, sender=PublicProject, dispatch_uid=f"{uid}-save")
    post_delete.connect(sheet_changed, sender=PublicProject, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        sheet_changed, sender=PublicProject.themes.through, dispatch_uid=f"{uid}-themes"
    )
    pre_save.connect(theme_saving, sender=Theme, dispatch_uid=f"{uid}-theme-renaming")
    post_save.connect(theme_saved, sender=Theme, dispatch_uid=f"{uid}-theme-renamed")
