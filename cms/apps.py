from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site public")

    def ready(self) -> None:
        from . import signals, translation_data

        translation_data.connect()
        signals.connect()
