"""Which calls: by status at an instant, in the default locale, run by a member of staff."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Case, F, Max, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.query import PageQuerySet

from core.roles import is_programme_staff, is_programme_wide

from ..locales import default_language
from .serving import PublicQuerySetMixin


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", _("À venir")
    OPEN = "open", _("Ouvert")
    CLOSED = "closed", _("Clos")


class CallStage(models.IntegerChoices):
    """Two-stage calls take a short pre-proposal first, then full applications from shortlisted
    projects; single-stage calls only have first-stage cut-offs."""

    FIRST = 1, _("Dépôt (ou pré-proposition)")
    SECOND = 2, _("Dossier complet (2e étape)")


class CallQuerySet(PublicQuerySetMixin, PageQuerySet):
    def with_closing(self) -> CallQuerySet:
        """Annotate ``closing_instant``: the last first-stage cut-off, or the early closure if
        it comes first. Kept equal to :attr:`CallPage.closing_at`."""
        return self.annotate(
            annotated_last_cutoff=Max(
                "cutoffs__closes_at", filter=Q(cutoffs__stage=CallStage.FIRST)
            )
        ).annotate(
            closing_instant=Case(
                When(
                    Q(closed_early_at__isnull=False)
                    & (
                        Q(annotated_last_cutoff__isnull=True)
                        | Q(closed_early_at__lt=F("annotated_last_cutoff"))
                    ),
                    then=F("closed_early_at"),
                ),
                default=F("annotated_last_cutoff"),
            )
        )

    def open(self, now: datetime | None = None) -> CallQuerySet:
        now = now or timezone.now()
        return self.with_closing().filter(opens_at__lte=now, closing_instant__gt=now)

    def upcoming(self, now: datetime | None = None) -> CallQuerySet:
        now = now or timezone.now()
        return self.with_closing().filter(opens_at__gt=now, closing_instant__gt=now)

    def closed(self, now: datetime | None = None) -> CallQuerySet:
        now = now or timezone.now()
        return self.with_closing().filter(
            Q(closing_instant__lte=now) | Q(closing_instant__isnull=True)
        )

    def references(self) -> CallQuerySet:
        """The calls in the default locale (French), one per call whatever its translations:
        applications belong to these, and back-office lists offer only these."""
        return self.filter(locale__language_code=default_language())

    def run_by(self, user) -> CallQuerySet:
        """The calls ``user`` works on as staff: every call for the programme-wide role, else
        the calls of their operators and the calls they are assigned to."""
        if is_programme_wide(user):
            return self
        if not is_programme_staff(user):
            return self.none()
        return self.filter(pk__in=self._assigned_to(user))

    def _assigned_to(self, user):
        """Ids of the calls of ``user``'s operators and of the calls they are an officer of."""
        return (
            self.model.objects.filter(Q(operator__staff=user) | Q(officers=user))
            .values("pk")
            .distinct()
        )

    def with_status(self, status: str, now: datetime | None = None) -> CallQuerySet:
        return {
            CallStatus.OPEN: self.open,
            CallStatus.UPCOMING: self.upcoming,
            CallStatus.CLOSED: self.closed,
        }[CallStatus(status)](now)
