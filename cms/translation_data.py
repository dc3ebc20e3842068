"""A call's translation shows the French call's data: dates, amounts, relèves, tracks,
documents, operator and themes. Wagtail copies them when the translation is made; after
that, each publication of either page copies them again from the French call, so the English
page never announces another deadline than the one applications are judged against.
Text (titles, summaries, relève labels, FAQ…) stays each page's own."""

from __future__ import annotations

from wagtail.signals import page_published

from .models import CallCutoff, CallDocument, CallPage, CallReviewTrack
from .models.calls import CallStage

DATA_FIELDS = [
    "operator",
    "budget_envelope",
    "max_amount_per_project",
    "aid_rate_percent",
    "opens_at",
    "closed_early_at",
    "eligible_organisation_sizes",
    "contact_email",
]


def copy_call_data(source: CallPage, target: CallPage) -> None:
    """Give ``target`` the data of ``source`` (unsaved). Relève labels are kept by position
    when the target has as many relèves at that stage, else taken from ``source``."""
    for name in DATA_FIELDS:
        setattr(target, name, getattr(source, name))
    target.themes = list(source.themes.all())
    cutoffs = []
    for stage in CallStage:
        theirs, ours = source.sorted_cutoffs(stage), target.sorted_cutoffs(stage)
        labels = [c.label for c in (ours if len(ours) == len(theirs) else theirs)]
        cutoffs += [
            CallCutoff(stage=stage, closes_at=c.closes_at, label=label)
            for c, label in zip(theirs, labels, strict=True)
        ]
    target.cutoffs = cutoffs
    target.review_tracks = [
        CallReviewTrack(track=t.track, weight=t.weight) for t in source.review_tracks.all()
    ]
    titles = {d.document_id: d.title for d in target.documents.all()}
    target.documents = [
        CallDocument(document_id=d.document_id, title=titles.get(d.document_id, d.title))
        for d in source.documents.all()
    ]


def _align(source: CallPage, target: CallPage) -> None:
    # The live row only: the publication that triggered this already made its revision.
    copy_call_data(source, target)
    target.save()


def follow_reference_on_publish(sender, instance: CallPage, **kwargs) -> None:
    call = CallPage.objects.get(pk=instance.pk)
    reference = call.reference
    if reference.pk != call.pk:
        _align(reference, call)
        return
    for translation in CallPage.objects.filter(translation_key=call.translation_key).exclude(
        pk=call.pk
    ):
        _align(call, translation)


def connect() -> None:
    page_published.connect(
        follow_reference_on_publish, sender=CallPage, dispatch_uid="cms_call_translation_data"
    )
