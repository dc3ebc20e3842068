"""Who is staff, committee member or expert is a group, and what a group may do is its
permissions: creating, editing or deleting a group in the CMS admin asks for a fresh
confirmation of identity when MFA is required (core/mfa.py), like editing a user.

Wagtail offers no hook before a group's change; its documented way to change the group pages
is the ``group_viewset`` of its users app, set in ``wagtail_users.RucheUsersConfig``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from wagtail.users.views import groups

from core.mfa import confirm_identity_on_post


class ConfirmIdentityOnPost:
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        confirm_identity_on_post(request)
        return super().post(request, *args, **kwargs)


class CreateView(ConfirmIdentityOnPost, groups.CreateView):
    pass


class EditView(ConfirmIdentityOnPost, groups.EditView):
    pass


class DeleteView(ConfirmIdentityOnPost, groups.DeleteView):
    pass


class GroupViewSet(groups.GroupViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
