"""manage.py load_reference_grids: the reference review grids, safe to run again."""

from django.core.management.base import BaseCommand

from ethics.reference_grids import load_reference_grids


class Command(BaseCommand):
    help = (
        "Charge les grilles d'évaluation de référence (inspirées de la doctrine du numérique "
        "en santé). Idempotent : une grille déjà utilisée par un avis rendu n'est jamais "
        "modifiée, une nouvelle version est créée."
    )

    def handle(self, *args, **options):
        grids = load_reference_grids()
        for grid in grids:
            count = grid.criteria.count()
            blocking = grid.criteria.filter(blocking=True).count()
            detail = f"dont {blocking} bloquant(s)" if blocking else "aucun bloquant"
            self.stdout.write(f"{grid} : {count} critères, {detail}")
        self.stdout.write(self.style.SUCCESS(f"{len(grids)} grilles de référence à jour."))
