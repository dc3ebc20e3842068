"""What ethics holds of a person, for their export and when they close their account
(signals of grants.services.personal_data). Connected in EthicsConfig.ready."""

from __future__ import annotations

from django.dispatch import receiver

from grants.services.personal_data import account_closing, collect_personal_data

from .models import Review, ReviewerProfile


@receiver(collect_personal_data, dispatch_uid="ethics.personal_data")
def reviews_written(sender, user, **kwargs) -> dict:
    reviews = (
        Review.objects.filter(assignment__reviewer=user)
        .select_related("assignment")
        .prefetch_related("ratings__criterion")
        .order_by("assignment__application_id", "assignment__track", "version")
    )
    profile = ReviewerProfile.objects.filter(user=user).first()
    return {
        "reviewer_profile": (
            {"tracks": profile.tracks, "organisation": profile.organisation_name}
            if profile
            else None
        ),
        "reviews_written": [
            {
                "application": review.assignment.application_id,
                "track": review.assignment.track,
                "version": review.version,
                "status": review.status,
                "recommendation": review.recommendation,
                "summary": review.summary,
                "amendment_reason": review.amendment_reason,
                "ratings": [
                    {"criterion": r.criterion.code, "value": r.value, "comment": r.comment}
                    for r in review.ratings.all()
                ],
            }
            for review in reviews
        ],
    }


@receiver(account_closing, dispatch_uid="ethics.account_closing")
def leave_the_pool(sender, user, **kwargs) -> None:
    """The reviews stay (records of the decisions); the person leaves the experts' pool."""
    ReviewerProfile.objects.filter(user=user).delete()
