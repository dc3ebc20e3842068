"""Catalogue sheets shown on public pages: a change starts a new content generation, so the
cached catalogue and sheet pages are computed afresh (cms.page_cache)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from cms import page_cache

from .models import PublicProject


def sheet_changed(sender, **kwargs) -> None:
    page_cache.invalidate()


def connect() -> None:
    uid = "ruche-catalogue-sheets"
    post_save.connect(sheet_changed, sender=PublicProject, dispatch_uid=f"{uid}-save")
    post_delete.connect(sheet_changed, sender=PublicProject, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        sheet_changed, sender=PublicProject.themes.through, dispatch_uid=f"{uid}-themes"
    )
