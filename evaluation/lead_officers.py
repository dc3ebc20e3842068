"""The lead officer of an application: the programme officer who follows it.

Staff of an application's call name one (themself or a colleague who also runs the call),
change or clear them; the new lead officer is told by email. The « mes dossiers » filter of the
queues lists the applications someone leads.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.roles import PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP
from grants.models import Application

from .emails import send_lead_officer_assigned
from .workflow import TransitionRefused


def call_staff(application: Application) -> QuerySet:
    """Active staff who run the application's call: the programme-wide role, its operator's
    staff and the officers assigned to it."""
    call = application.call
    runs_call = Q(groups__name=PROGRAMME_WIDE_GROUP) | Q(assigned_calls=call)
    if call.operator_id:
        runs_call |= Q(operators=call.operator_id)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(groups__name__in=[PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP])
        .filter(pk__in=get_user_model().objects.filter(runs_call).values("pk"))
        .order_by("last_name", "first_name", "email")
        .distinct()
    )


def assign_lead_officer(application: Application, officer, by) -> Application:
    """Make ``officer`` (None: nobody) the lead officer of ``application``. ``by`` must run
    the call, and so must the officer. The new officer is emailed after the commit."""
    from_staff = Application.objects.handled_by(by).filter(pk=application.pk).exists()
    if not from_staff:
        raise TransitionRefused(
            [_("Seuls les chargés de mission de l'appel désignent le référent.")]
        )
    if officer is not None and not call_staff(application).filter(pk=officer.pk).exists():
        raise TransitionRefused([_("Le référent doit être un chargé de mission de l'appel.")])
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        changed = locked.lead_officer_id != (officer.pk if officer else None)
        locked.lead_officer = officer
        locked.save(update_fields=["lead_officer"])
        if changed and officer is not None and officer.pk != by.pk:
            transaction.on_commit(lambda: send_lead_officer_assigned.enqueue(locked.pk))
    return locked
