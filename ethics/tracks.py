"""The review tracks a call can require. Shared vocabulary of the workflow and the grids."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewTrack(models.TextChoices):
    """Specialist review tracks, in the order the workflow runs them."""

    ETHICS = "ethics", _("Éthique")
    SECURITY = "security", _("Sécurité")
    INTEROPERABILITY = "interoperability", _("Interopérabilité")
    INNOVATION = "innovation", _("Innovation et impact")
