"""Sensitive changes made in the CMS admin ask for a fresh confirmation of identity when MFA is
required (core/mfa.py): a call's settings (criteria, required reviews, envelope), the review
grids, and users with their groups (who is staff, committee, expert)."""

from __future__ import annotations

from django.http import HttpRequest
from wagtail import hooks

from cms.models import CallPage
from core.mfa import confirm_identity
from ethics.models import CallGrid, ReviewGrid

GUARDED_SNIPPETS = (ReviewGrid, CallGrid)


def _on_post(request: HttpRequest) -> None:
    if request.method == "POST":
        confirm_identity(request)


@hooks.register("before_edit_page")
@hooks.register("before_delete_page")
def guard_call_page(request: HttpRequest, page) -> None:
    if page.specific_class is not None and issubclass(page.specific_class, CallPage):
        _on_post(request)


@hooks.register("before_create_page")
def guard_new_call(request: HttpRequest, parent_page, page_class) -> None:
    if issubclass(page_class, CallPage):
        _on_post(request)


@hooks.register("before_edit_snippet")
def guard_grid(request: HttpRequest, instance) -> None:
    if isinstance(instance, GUARDED_SNIPPETS):
        _on_post(request)


@hooks.register("before_create_snippet")
def guard_new_grid(request: HttpRequest, model) -> None:
    if issubclass(model, GUARDED_SNIPPETS):
        _on_post(request)


@hooks.register("before_delete_snippet")
def guard_grid_deletion(request: HttpRequest, instances) -> None:
    if any(isinstance(instance, GUARDED_SNIPPETS) for instance in instances):
        _on_post(request)


@hooks.register("before_create_user")
def guard_new_user(request: HttpRequest) -> None:
    _on_post(request)


@hooks.register("before_edit_user")
@hooks.register("before_delete_user")
def guard_user(request: HttpRequest, user) -> None:
    _on_post(request)
