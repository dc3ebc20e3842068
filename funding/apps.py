from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Suivi des projets financés")

    def ready(self) -> None:
        # Imported here: these modules use models, which load once the registry is ready.
        from . import hooks
        from .groups import grant_staff_permissions

        hooks.register()
        post_migrate.connect(grant_staff_permissions, sender=self)
