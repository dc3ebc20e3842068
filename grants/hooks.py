"""Explicit hooks for the apps above grants: what the applicant's dashboard shows of them.

The dashboard lists the organisation's applications; what happens to them after submission
belongs to the workflow, which sits above grants. An app registers a provider once, in its
``AppConfig.ready()``; the dashboard calls every provider with the applications it lists (one
call per page, so a provider reads them all at once) and shows what they return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DashboardNotice:
    application: object
    text: str
    url: str
    # Something the applicant must do (« À faire »), rather than news.
    to_do: bool = False


NoticeProvider = Callable[[object, list], list[DashboardNotice]]
_providers: list[NoticeProvider] = []


def register_dashboard_notices(provider: NoticeProvider) -> None:
    """``provider(user, applications)`` returns notices about some of the applications."""
    if provider not in _providers:  # ready() may run more than once
        _providers.append(provider)


def dashboard_notices(user, applications: list) -> list[DashboardNotice]:
    return [notice for provider in _providers for notice in provider(user, applications)]
