"""Back office: the picture of the workflow (« Circuit d'instruction »), for programme staff.

The diagram is drawn at request time from the transitions (evaluation/diagram.py), cached in
the process; a table lists the same transitions for those who cannot see the picture.
"""

from __future__ import annotations

import logging
import re
import subprocess

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.roles import staff_only

from ..diagram import render_svg, workflow_edges

logger = logging.getLogger(__name__)

SVG_START = re.compile(r"<svg\b")


def inline_svg(svg: str) -> str:
    """Graphviz's SVG made fit for inlining: no XML prolog, an image with a name that points
    to the text alternative, and a width that follows the page."""
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    return SVG_START.sub(
        '<svg role="img" aria-labelledby="workflow-diagram-title" '
        'aria-describedby="workflow-diagram-help" focusable="false" '
        'style="max-width: 100%; height: auto"',
        svg,
        count=1,
    )


@staff_only
def workflow_diagram(request: HttpRequest) -> HttpResponse:
    try:
        svg = mark_safe(inline_svg(render_svg(get_language() or "fr")))  # noqa: S308 (our own drawing)
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("Workflow diagram not drawn (is Graphviz installed?): %s", error)
        svg = None
    return render(
        request,
        "evaluation/workflow_diagram.html",
        {"svg": svg, "edges": workflow_edges()},
    )


@staff_only
def workflow_diagram_svg(request: HttpRequest) -> HttpResponse:
    """The drawing alone, at full size, for zooming in a browser tab."""
    try:
        svg = render_svg(get_language() or "fr")
    except (OSError, subprocess.SubprocessError) as error:
        raise Http404("Graphviz is not installed") from error
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
