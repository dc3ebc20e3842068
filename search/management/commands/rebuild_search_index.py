"""Re-index every published sheet (a new index version swapped in for Elasticsearch)."""

from __future__ import annotations

import inspect
import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Re-index every published project sheet of the public catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            default="",
            help="dotted path of a backend class (default: the configured one)",
        )

    def handle(self, *args, **options):
        from search.backends import get_backend

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

        if "progress" in inspect.signature(backend.rebuild).parameters:
            count = backend.rebuild(progress=progress)
        else:
            progress(0, 1)
            count = backend.rebuild()
            progress(count, count)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} projet(s) indexé(s) en {time.monotonic() - started:.1f} s."
            )
        )
