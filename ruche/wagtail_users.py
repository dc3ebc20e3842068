"""Wagtail's users app with the group pages that confirm identity (ruche.admin_groups). Not
in ruche/apps.py: Django would take it for the ruche app's own configuration."""

from wagtail.users.apps import WagtailUsersAppConfig


class RucheUsersConfig(WagtailUsersAppConfig):
    group_viewset = "ruche.admin_groups.GroupViewSet"
