"""Project-level pages: the health endpoint."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import health

from .health import NODE_CHECKS, checks


@never_cache
@require_GET
def health_check(request: HttpRequest) -> JsonResponse:
    """``ok`` when every check passes. ``error`` and 503 when this node cannot serve (no
    database, no cache): the load balancer takes it out. ``degraded`` and 200 when a shared
    service is late or down (the task queue, the search engine): every node would fail alike,
    and applicants can still work, so monitoring alerts while the nodes keep serving."""
    ok, results = health.run(checks())
    if ok:
        status = "ok"
    elif any(not results[name]["ok"] for name in NODE_CHECKS):
        status = "error"
    else:
        status = "degraded"
    return JsonResponse(
        {"status": status, "checks": results}, status=503 if status == "error" else 200
    )
