"""manage.py workflow_diagram: write the workflow's picture, drawn from the transitions, to
docs/workflow.dot and docs/workflow.svg (Graphviz's ``dot`` draws the SVG)."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation.diagram import render_svg, workflow_graph


class Command(BaseCommand):
    help = "Écrit le schéma du circuit d'instruction (docs/workflow.dot et docs/workflow.svg)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.BASE_DIR) / "docs"),
            help="Dossier où écrire workflow.dot et workflow.svg (par défaut : docs/).",
        )

    def handle(self, *args, output_dir, **options):
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        dot_path = folder / "workflow.dot"
        dot_path.write_text(workflow_graph("fr"), encoding="utf-8")
        self.stdout.write(f"Écrit : {dot_path}")
        try:
            svg = render_svg("fr")
        except FileNotFoundError as missing:
            raise CommandError(
                "Graphviz n'est pas installé (commande « dot » introuvable) : "
                "apt-get install graphviz"
            ) from missing
        except subprocess.SubprocessError as failed:
            raise CommandError(f"Graphviz n'a pas pu dessiner le schéma : {failed}") from failed
        svg_path = folder / "workflow.svg"
        svg_path.write_text(svg, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Écrit : {svg_path}"))
