from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Instruction")

    def ready(self) -> None:
        # Imported here, not at the top: an app's modules that use models load once the
        # registry is ready.
        from ethics.services import register_rating_check
        from grants.hooks import register_dashboard_notices

        from . import personal_data  # noqa: F401  (connects its receivers)
        from .groups import ensure_role_groups
        from .hearing_notices import hearing_notices
        from .hearings import hearing_rating_check

        # The jury rates a hearing the team attended (the grids know nothing of hearings).
        register_rating_check(hearing_rating_check)
        # The applicant's dashboard shows the hearings to confirm and to come.
        register_dashboard_notices(hearing_notices)

        post_migrate.connect(ensure_role_groups, sender=self)
