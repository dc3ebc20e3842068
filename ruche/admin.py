"""Django's own admin (/django-admin/) edits users and groups too: the same fresh
confirmation of identity as in the CMS admin (ruche.wagtail_hooks) before a user's groups,
permissions or password, or a group, change, one by one or through a bulk action."""

from __future__ import annotations

# Imported first: it registers User and Group, which are registered again below with the guard
# (the admin's discovery then finds the module already loaded).
import django.contrib.auth.admin as auth_admin
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.mfa import confirm_identity_on_post


class ConfirmIdentityOnPost:
    def changeform_view(self, request, *args, **kwargs):
        confirm_identity_on_post(request)
        return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        confirm_identity_on_post(request)
        return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):  # bulk actions
        confirm_identity_on_post(request)
        return super().changelist_view(request, *args, **kwargs)


class UserAdmin(ConfirmIdentityOnPost, auth_admin.UserAdmin):
    def user_change_password(self, request, *args, **kwargs):
        confirm_identity_on_post(request)
        return super().user_change_password(request, *args, **kwargs)


class GroupAdmin(ConfirmIdentityOnPost, auth_admin.GroupAdmin):
    pass


for model, model_admin in ((get_user_model(), UserAdmin), (Group, GroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
