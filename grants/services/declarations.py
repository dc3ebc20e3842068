"""Declarations on honour: signed at submission by the person submitting.

The form says which declarations a call asks (``FormSpec.declarations``); the person
submitting ticks them on the confirmation page and states their role in the organisation.
What they signed (their name, role, the instant and the exact texts) is frozen in the
snapshot, so it is covered by the fingerprint and printed on the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from core.refusals import Refused

from ..application_forms import Declaration, form_of


@dataclass(frozen=True)
class Signatory:
    """Who signs and what they ticked (``section.key`` of each declaration); ``ticked`` None:
    the ticks already in the draft's answers (submissions made outside the confirmation page)."""

    role: str = ""
    ticked: frozenset[str] | None = None


def declaration_id(declaration: Declaration) -> str:
    return f"{declaration.section}.{declaration.key}"


def unticked(declarations, ticked: set[str]) -> list[Declaration]:
    """The required declarations missing from ``ticked``."""
    return [d for d in declarations if d.required and declaration_id(d) not in ticked]


def _membership_role(application, user) -> str:
    membership = application.organisation.memberships.filter(user=user).first()
    return str(membership.get_role_display()) if membership else ""


def sign_declarations(
    locked, user, at: datetime, signatory: Signatory | None = None
) -> dict | None:
    """Record the ticks in ``locked``'s answers and return the signature to freeze; raises
    ``Refused`` when a required declaration is not ticked. None if the form asks none."""
    declarations = form_of(locked).declarations
    if not declarations:
        return None
    signatory = signatory or Signatory()
    if signatory.ticked is None:
        ticked = {
            declaration_id(d)
            for d in declarations
            if locked.section_answers(d.section).get(d.key) is True
        }
    else:
        ticked = set(signatory.ticked)
    missing = unticked(declarations, ticked)
    if missing:
        raise Refused([_("Déclaration à cocher : %(text)s") % {"text": d.text} for d in missing])
    answers = dict(locked.answers)
    for declaration in declarations:
        section = dict(answers.get(declaration.section, {}))
        section[declaration.key] = declaration_id(declaration) in ticked
        answers[declaration.section] = section
    locked.answers = answers
    return {
        "name": user.get_full_name() or user.email,
        "email": user.email,
        "role": signatory.role.strip() or _membership_role(locked, user),
        "signed_at": at.isoformat(),
        "texts": [
            {"key": declaration_id(d), "text": str(d.text)}
            for d in declarations
            if declaration_id(d) in ticked
        ],
    }
