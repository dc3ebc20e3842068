"""What evaluation holds of a person, for their export (signal of
grants.services.personal_data): the transitions they fired with their comments, their
answers to requests for information, a committee member's conflict declarations. Connected
in EvaluationConfig.ready."""

from __future__ import annotations

from django.dispatch import receiver

from grants.services.personal_data import collect_personal_data

from .models import ConflictDeclaration, InformationAnswer, TransitionLog


@receiver(collect_personal_data, dispatch_uid="evaluation.personal_data")
def actions_and_answers(sender, user, **kwargs) -> dict:
    return {
        "transitions_fired": [
            {
                "application": entry.application_id,
                "transition": entry.transition,
                "from": entry.source,
                "to": entry.target,
                "at": entry.at,
                "comment": entry.comment,
            }
            for entry in TransitionLog.objects.filter(actor=user).order_by("at", "pk")
        ],
        "information_answers": [
            {
                "application": answer.request.application_id,
                "version": answer.version,
                "text": answer.text,
                "answered_at": answer.answered_at,
                "files": [f.original_name for f in answer.files.all()],
            }
            for answer in InformationAnswer.objects.filter(answered_by=user)
            .select_related("request")
            .prefetch_related("files")
            .order_by("answered_at", "pk")
        ],
        "conflict_declarations": [
            {
                "application": d.application_id,
                "session": d.session_id,
                "conflicted": d.conflicted,
                "reason": d.reason,
                "declared_at": d.declared_at,
            }
            for d in ConflictDeclaration.objects.filter(member=user).order_by("declared_at", "pk")
        ],
    }
