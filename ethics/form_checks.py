"""Review grids cite the applicant's answers by key: every key a call's grids cite must exist
in the call's application form. Checked when a grid is attached to a call (CallGridForm), when
a grid's criteria are edited (ReviewGridForm, against the forms of the calls using it) and,
through the cms hook ``check_application_form``, when a call changes form or a form is edited.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from cms.application_form_rules import cited_keys
from grants.application_forms import newest_version, reference_definition

from .models.grids import CallGrid, ReviewGrid


def call_definition(call) -> dict:
    """The definition the call's reviewed applications answer (its form's newest version): in
    a two-stage call the full application's form, since pre-proposals are never reviewed."""
    version = newest_version(call, 2 if call.is_two_stage else 1)
    return version.definition if version else reference_definition()


def missing_keys(grid: ReviewGrid, definition: dict) -> list[str]:
    """Keys cited by ``grid`` that ``definition`` does not have."""
    cited = [key for criterion in grid.criteria.all() for key in criterion.evidence_keys or []]
    return missing_from(cited, definition)


def missing_from(cited: Iterable, definition: dict) -> list[str]:
    """Of the ``cited`` keys, those ``definition`` does not have, once each (organisation
    fields aside: they are the applicant's profile, not the form)."""
    known = cited_keys(definition)
    missing = []
    for raw in cited:
        key = str(raw).strip()
        if key.startswith("organisation.") or key in known or key in missing:
            continue
        missing.append(key)
    return missing


def grid_problem(grid: ReviewGrid, definition: dict) -> str | None:
    missing = missing_keys(grid, definition)
    if not missing:
        return None
    return _(
        "La grille « %(grid)s » cite des réponses absentes du formulaire de l'appel : %(keys)s."
    ) % {"grid": grid, "keys": ", ".join(missing)}


def call_form_problems(call, definition: dict) -> list[str]:
    """The cms hook: what the grids attached to ``call`` cite that ``definition`` lacks."""
    if call.pk is None:
        return []
    grids = ReviewGrid.objects.filter(
        pk__in=CallGrid.objects.filter(call=call).values("grid")
    ).prefetch_related("criteria")
    return [problem for grid in grids if (problem := grid_problem(grid, definition))]
