"""The role groups exist in every database, with the permissions they need."""

from django.contrib.auth.models import Group, Permission

from core.roles import COMMITTEE_GROUP, PROGRAMME_STAFF_GROUP, REVIEWERS_GROUP

GROUP_PERMISSIONS = {
    PROGRAMME_STAFF_GROUP: [
        ("grants", "view_application"),
        ("grants", "view_organisation"),
        # Review grids and the grids of each call are edited in the Wagtail admin.
        ("wagtailadmin", "access_admin"),
        ("ethics", "add_reviewgrid"),
        ("ethics", "change_reviewgrid"),
        ("ethics", "view_reviewgrid"),
        ("ethics", "add_callgrid"),
        ("ethics", "change_callgrid"),
        ("ethics", "delete_callgrid"),
        ("ethics", "view_callgrid"),
    ],
    COMMITTEE_GROUP: [("grants", "view_application")],
    REVIEWERS_GROUP: [],
}


def ensure_role_groups(**kwargs) -> None:
    for name, permissions in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission:
                group.permissions.add(permission)
