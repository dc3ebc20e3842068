"""Programme staff edit each call's funding terms (template, schedule, indicators) in the
Wagtail admin: their group gets the permissions, as evaluation's groups do."""

from django.contrib.auth.models import Group, Permission

from core.roles import PROGRAMME_STAFF_GROUP

STAFF_PERMISSIONS = ["add_fundingterms", "change_fundingterms", "view_fundingterms"]


def grant_staff_permissions(**kwargs) -> None:
    group, _ = Group.objects.get_or_create(name=PROGRAMME_STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="funding", codename__in=STAFF_PERMISSIONS
        )
    )
