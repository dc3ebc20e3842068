"""Changes that public pages show start a new content generation (cms.caching): fragments
and anonymous pages are then computed afresh."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from dsfr.models import DsfrConfig
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import caching
from .models import Operator, Theme

# Whatever a public page, its menu or its footer reads besides the pages themselves.
SHOWN_MODELS = (Operator, Theme, Site, Locale, PageViewRestriction, DsfrConfig)


# Wagtail records a document's size and hash the first time a page asks for them: the page
# showed the right size already.
DOCUMENT_BOOKKEEPING = frozenset({"file_size", "file_hash"})


def content_changed(sender, update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= DOCUMENT_BOOKKEEPING:
        return
    caching.bump()


def page_saved(sender, instance, **kwargs) -> None:
    # Pages are saved through many paths (publishing, moving, imports, tests): any of them.
    if isinstance(instance, Page):
        caching.bump()


def connect() -> None:
    uid = "ruche-content-generation"
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"{uid}-{id(signal)}")
    post_save.connect(page_saved, dispatch_uid=f"{uid}-page-save")
    post_delete.connect(page_saved, dispatch_uid=f"{uid}-page-delete")
    for model in (*SHOWN_MODELS, get_document_model()):
        for signal in (post_save, post_delete):
            signal.connect(content_changed, sender=model, dispatch_uid=f"{uid}-{model.__name__}")
