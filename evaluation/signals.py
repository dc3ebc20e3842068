"""Writes every transition of an application to the audit trail."""

from django.dispatch import receiver
from django.utils import timezone
from django_fsm.signals import post_transition

from . import audit


@receiver(post_transition, dispatch_uid="evaluation.audit_transition")
def record_transition(sender, instance, name, source, target, **kwargs) -> None:
    from grants.models import Application

    if not isinstance(instance, Application):
        return
    method_kwargs = kwargs.get("method_kwargs") or {}
    audit.append(
        application=instance,
        transition=name,
        source=source,
        target=target,
        actor=method_kwargs.get("by"),
        at=method_kwargs.get("at") or timezone.now(),
        comment=method_kwargs.get("comment", ""),
        visible_to_applicant=method_kwargs.get("visible_to_applicant", True),
    )


# Emails after the commit; connected after the audit receiver, whose entry it reads.
from .notifications import schedule_transition_notifications  # noqa: E402

post_transition.connect(schedule_transition_notifications, dispatch_uid="evaluation.notify")
