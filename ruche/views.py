"""Project-level pages: the health endpoint."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import health

from .health import checks


@never_cache
@require_GET
def health_check(request: HttpRequest) -> JsonResponse:
    """200 with ``"status": "ok"`` when the database, the cache, the task queue and the search
    engine all answer in time; 503 otherwise, so that a load balancer takes the node out."""
    ok, results = health.run(checks())
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": results}, status=200 if ok else 503
    )
