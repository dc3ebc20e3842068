from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EthicsConfig(AppConfig):
    name = "ethics"
    verbose_name = _("Grilles d'évaluation")

    def ready(self) -> None:
        # Imported once the registry is ready, like evaluation's: connects its receivers.
        from . import personal_data  # noqa: F401
