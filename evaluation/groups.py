"""The role groups exist in every database, with the permissions they need.

Which applications staff see is not a permission: it is the calls they run (cms
``CallPage.objects.run_by``)."""

from django.contrib.auth.models import Group, Permission

from core.roles import (
    COMMITTEE_GROUP,
    JURY_GROUP,
    PROGRAMME_STAFF_GROUP,
    PROGRAMME_WIDE_GROUP,
    REVIEWERS_GROUP,
)

STAFF_PERMISSIONS = [
    # Review grids and the grids of each call are edited in the Wagtail admin.
    ("wagtailadmin", "access_admin"),
    ("ethics", "add_reviewgrid"),
    ("ethics", "change_reviewgrid"),
    ("ethics", "view_reviewgrid"),
    ("ethics", "add_callgrid"),
    ("ethics", "change_callgrid"),
    ("ethics", "delete_callgrid"),
    ("ethics", "view_callgrid"),
    # So are the calls' application forms.
    ("cms", "add_applicationform"),
    ("cms", "change_applicationform"),
    ("cms", "view_applicationform"),
]
GROUP_PERMISSIONS = {
    PROGRAMME_STAFF_GROUP: STAFF_PERMISSIONS,
    PROGRAMME_WIDE_GROUP: STAFF_PERMISSIONS,
    # The committee reads the files of the sessions it sits on, nothing else: no blanket
    # permission here (evaluation.committee decides, application by application).
    COMMITTEE_GROUP: [],
    REVIEWERS_GROUP: [],
    # A jury member reads and rates the hearings they are seated on (evaluation.hearings).
    JURY_GROUP: [],
}


def ensure_role_groups(**kwargs) -> None:
    """Each group holds exactly these permissions: one removed here is removed in the database
    too (the committee's former blanket view of every application, for one)."""
    for name, permissions in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            permission
            for app_label, codename in permissions
            for permission in Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )[:1]
        ]
        group.permissions.set(wanted)
