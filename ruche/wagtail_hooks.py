"""Sensitive changes made in the CMS admin ask for a fresh confirmation of identity when MFA is
required (core/mfa.py): a call's settings (criteria, required reviews, envelope), the review
grids, and users with their groups (who is staff, committee, expert), one by one or in bulk
(« assign role »). The groups' own pages are guarded by their views (ruche.admin_groups)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from wagtail import hooks

from cms.models import CallPage
from core.mfa import confirm_identity_on_post
from ethics.models import CallGrid, ReviewGrid

GUARDED_SNIPPETS = (ReviewGrid, CallGrid)


_on_post = confirm_identity_on_post


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


@hooks.register("before_bulk_action")
def guard_users_in_bulk(request: HttpRequest, action_type: str, objects, action_class) -> None:
    if get_user_model() in getattr(action_class, "models", ()):
        _on_post(request)
