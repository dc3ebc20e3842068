"""Delete the drafts nobody touched for RUCHE_DRAFT_RETENTION_DAYS (0 keeps them)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Delete abandoned drafts and their files (retention; safe to run twice)."

    def handle(self, *args, **options):
        from grants.services.retention import purge_abandoned_drafts

        days = settings.RUCHE_DRAFT_RETENTION_DAYS
        if days <= 0:
            self.stdout.write("Conservation des brouillons illimitée : rien à supprimer.")
            return
        deleted = purge_abandoned_drafts(timezone.now() - timedelta(days=days))
        self.stdout.write(f"{deleted} brouillon(s) abandonné(s) supprimé(s).")
