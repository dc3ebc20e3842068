"""Explicit hooks for the apps above the workflow.

The workflow cannot import the apps that sit above it (the follow-up of funded projects, in
``funding``), yet two things it shows come from them: entries they write in an application's
audit trail (a convention signed, a payment recorded: ``audit.append``), which the staff
history must name, and the page that follows an application's decision (its convention),
which the staff and applicant pages link to. Those apps register a function here once, in
their ``AppConfig.ready()``; the workflow calls what was registered and knows nothing else of
them. Nothing registered: the pages show the entry's code and no extra link.

``application_funded`` is the one event the workflow emits upward: sent inside the transaction
of ``mark_funded``, after its audit entry, so a receiver's work (the convention's first draft)
commits or rolls back with the transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

# Sent with ``application`` (the funded application) and ``by`` (who marked it funded).
application_funded = Signal()


@dataclass(frozen=True)
class Link:
    label: str
    url: str


EntryLabeller = Callable[[str], str | None]
LinkProvider = Callable[[object, object], list[Link]]

_entry_labellers: list[EntryLabeller] = []
_staff_links: list[LinkProvider] = []
_applicant_links: list[LinkProvider] = []


def _add(registry: list, function: Callable) -> None:
    if function not in registry:  # ready() may run more than once (tests, reloads)
        registry.append(function)


def register_entry_labels(labeller: EntryLabeller) -> None:
    """``labeller(code)`` names an audit entry its app wrote, or returns None."""
    _add(_entry_labellers, labeller)


def register_staff_links(provider: LinkProvider) -> None:
    """``provider(application, user)``: links for the staff page of an application."""
    _add(_staff_links, provider)


def register_applicant_links(provider: LinkProvider) -> None:
    """``provider(application, user)``: links for the applicant's page of an application."""
    _add(_applicant_links, provider)


def entry_label(code: str) -> str | None:
    return next((label for f in _entry_labellers if (label := f(code))), None)


def staff_links(application, user) -> list[Link]:
    return [link for provider in _staff_links for link in provider(application, user)]


def applicant_links(application, user) -> list[Link]:
    return [link for provider in _applicant_links for link in provider(application, user)]
