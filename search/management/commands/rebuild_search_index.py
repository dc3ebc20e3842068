"""Re-index every published sheet (a new index version swapped in on a search engine)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from search.backends import get_backend


class Command(BaseCommand):
    help = "Re-index every published project sheet of the public catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            default="",
            help="dotted path of a backend class (default: the configured one)",
        )

    def handle(self, *args, **options):
        backend = import_string(options["backend"])() if options["backend"] else get_backend()
        name = type(backend).__name__
        self.stdout.write(f"Reconstruction de l'index ({name})…")
        started = time.monotonic()
        last = {"pct": -1}

        def progress(done: int, total: int) -> None:
            pct = 100 if total == 0 else done * 100 // total
            if pct == last["pct"]:
                return
            last["pct"] = pct
            bar = "#" * (pct // 5) + "." * (20 - pct // 5)
            self.stdout.write(f"[{bar}] {pct:3d} % ({done}/{total})")

        count = backend.rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} projet(s) indexé(s) en {time.monotonic() - started:.1f} s."
            )
        )
