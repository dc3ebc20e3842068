"""The reviewer's side (« Espace expert »), under /expertise/.

A reviewer reaches an assignment only through ``_own_assignment``: someone else's is a 404,
whatever the URL. Before declaring their interests they see the title, organisation and call
only (the anonymised label in blind mode); after declaring a conflict, nothing more. Every rule
(who may rate, a complete review, locking, amendments) is ethics.services'; the views call it
and show its refusals (``ReviewRefused``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grants.application_forms import form_of

from ..forms import AmendForm, DeclarationForm, ReviewForm
from ..models import CallGrid, Review, ReviewAssignment
from ..outcomes import reviewer_scores, score_of, track_outcome
from ..presentation import (
    assignment_state,
    cited_items,
    cited_slots,
    organisation_name,
    project_title,
    value_label,
)
from ..services import (
    ReviewRefused,
    amend,
    declare,
    grid_for,
    open_review,
    save_ratings,
    submit,
)

Conflict = ReviewAssignment.Conflict


def _own_assignment(request: HttpRequest, pk: int) -> ReviewAssignment:
    queryset = ReviewAssignment.objects.select_related(
        "application__call", "application__organisation"
    )
    return get_object_or_404(queryset, pk=pk, reviewer=request.user)


def _is_blind(call_grid: CallGrid | None) -> bool:
    # Without a grid for the track nobody can say the call is not blind: hide.
    return call_grid is None or call_grid.blind


def _heading(assignment: ReviewAssignment, call_grid: CallGrid | None) -> dict:
    application = assignment.application
    blind = _is_blind(call_grid)
    return {
        "assignment": assignment,
        "application": application,
        "call_grid": call_grid,
        "blind": blind,
        "title": project_title(application, blind),
        "organisation": organisation_name(application, blind),
        "call_title": application.call.title,
        "track": assignment.get_track_display(),
    }


# -- Assignments --------------------------------------------------------------------------


@login_required
@require_GET
def assignments(request: HttpRequest) -> HttpResponse:
    queryset = (
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("application__call", "application__organisation")
        .prefetch_related("reviews")
        .order_by(F("due_on").asc(nulls_last=True), "-assigned_at")
    )
    grids: dict[tuple[int, str], CallGrid | None] = {}  # one lookup per call and track
    rows = []
    for assignment in queryset:
        review = assignment.current_review()
        key = (assignment.application.call_id, assignment.track)
        if key not in grids:
            grids[key] = grid_for(assignment.application, assignment.track)
        heading = _heading(assignment, grids[key])
        if assignment.conflict == Conflict.NONE:
            url = reverse("ethics:review", args=[assignment.pk])
            action = _("Ouvrir la grille d'expertise")
        else:
            url = reverse("ethics:declaration", args=[assignment.pk])
            action = (
                _("Déclarer mes liens d'intérêts")
                if assignment.conflict == Conflict.PENDING
                else _("Voir ma déclaration")
            )
        rows.append(
            {**heading, "state": assignment_state(assignment, review), "url": url, "action": action}
        )
    return render(request, "ethics/assignments.html", {"rows": rows})


# -- Declaration of interests -------------------------------------------------------------


@login_required
def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _own_assignment(request, pk)
    form = None
    if assignment.conflict == Conflict.PENDING or request.method == "POST":
        form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declare(assignment, request.user, form.conflicted, form.cleaned_data["reason"])
        except ReviewRefused as refused:
            messages.error(request, refused.message)
            return redirect("ethics:declaration", assignment.pk)
        if form.conflicted:
            messages.info(request, _("Votre déclaration de conflit d'intérêts est enregistrée."))
            return redirect("ethics:declaration", assignment.pk)
        messages.success(request, _("Votre déclaration est enregistrée : le dossier est ouvert."))
        return redirect("ethics:review", assignment.pk)
    context = {
        **_heading(assignment, grid_for(assignment.application, assignment.track)),
        "form": form if assignment.conflict == Conflict.PENDING else None,
        "error_links": form.error_links() if form is not None and form.is_bound else [],
    }
    return render(request, "ethics/declaration.html", context)


# -- Review -------------------------------------------------------------------------------


def _criteria(review: Review | None) -> list:
    return list(review.grid.criteria.all()) if review is not None else []


def _blocks(review, ratings, form, call_grid, application, blind) -> list[dict]:
    """Per criterion: the criterion, its weight for the call, the cited evidence, and either
    the form's fields (editable) or the stored rating (read-only)."""
    ratings = {r.criterion_id: r for r in ratings}
    rows = {row["criterion"].pk: row for row in form.rows()} if form else {}
    snapshot, answered = application.snapshot or {}, form_of(application)
    blocks = []
    for criterion in _criteria(review):
        rating = ratings.get(criterion.pk)
        blocks.append(
            {
                "criterion": criterion,
                "weight": call_grid.weight_of(criterion) if call_grid else criterion.weight,
                "items": cited_items(criterion, snapshot, blind, answered),
                "fields": rows.get(criterion.pk),
                "rating": rating,
                "value_label": value_label(criterion, rating.value if rating else ""),
            }
        )
    return blocks


def _others(assignment: ReviewAssignment, call_grid: CallGrid | None, blind: bool):
    """Other reviewers' submitted reviews of the track, once this reviewer has submitted
    theirs, if the call shows them; with the track's aggregate."""
    if call_grid is None or not call_grid.show_other_reviews:
        return None
    if not assignment.reviews.filter(status=Review.Status.SUBMITTED).exists():
        return None
    application = assignment.application
    reviews = []
    scored = reviewer_scores(application, assignment.track)
    for number, (other, score) in enumerate(
        (pair for pair in scored if pair[0].assignment_id != assignment.pk), start=1
    ):
        reviewer = other.assignment.reviewer
        ratings = other.ratings.all()  # in the grid's order, loaded by reviewer_scores
        reviews.append(
            {
                "number": number,
                "name": _("Expert %(n)s") % {"n": number}
                if blind
                else reviewer.get_full_name() or reviewer.email,
                "review": other,
                "score": score,
                "ratings": [(r, value_label(r.criterion, r.value)) for r in ratings],
            }
        )
    return {"reviews": reviews, "outcome": track_outcome(application, assignment.track)}


def _render_review(
    request, assignment, review, *, refusal="", form=None, amend_form=None, error_title=""
):
    call_grid = grid_for(assignment.application, assignment.track)
    heading = _heading(assignment, call_grid)
    editable = review is not None and not refusal and review.status == Review.Status.DRAFT
    if editable and form is None:
        form = ReviewForm(initial=ReviewForm.initial_from(review), criteria=_criteria(review))
    if not editable:
        form = None
    submitted = review is not None and review.status == Review.Status.SUBMITTED
    if submitted and not refusal and amend_form is None:
        amend_form = AmendForm()
    ratings = list(review.ratings.select_related("criterion")) if review is not None else []
    context = {
        **heading,
        "review": review,
        "refusal": refusal,
        "editable": editable,
        "form": form,
        "error_links": form.error_links() if form is not None and form.is_bound else [],
        "error_title": error_title or _("L'avis n'a pas été enregistré"),
        "amend_form": amend_form if submitted and not refusal else None,
        "blocks": _blocks(
            review,
            ratings,
            form,
            call_grid,
            assignment.application,
            heading["blind"],
        ),
        "score": score_of(ratings, call_grid) if any(r.value for r in ratings) else None,
        "others": _others(assignment, call_grid, heading["blind"]),
    }
    return render(request, "ethics/review.html", context)


def _post_review(request, assignment, review) -> HttpResponse:
    action = request.POST.get("action")
    if action == "amend":
        amend_form = AmendForm(request.POST)
        if not amend_form.is_valid():
            return _render_review(request, assignment, review, amend_form=amend_form)
        try:
            amended = amend(review, amend_form.cleaned_data["reason"])
        except ReviewRefused as refused:
            messages.error(request, refused.message)
            return _render_review(request, assignment, review, amend_form=amend_form)
        messages.success(
            request,
            _("La version %(version)s de votre avis est ouverte en brouillon.")
            % {"version": amended.version},
        )
        return redirect("ethics:review", assignment.pk)

    form = ReviewForm(request.POST, criteria=_criteria(review))
    if not form.is_valid():
        return _render_review(request, assignment, review, form=form)
    data = form.cleaned_data
    try:
        save_ratings(review, form.ratings(), data["recommendation"], data["summary"].strip())
    except ReviewRefused as refused:
        messages.error(request, refused.message)
        return _render_review(request, assignment, review, form=form)
    if action != "submit":
        messages.success(request, _("Votre brouillon est enregistré."))
        return redirect("ethics:review", assignment.pk)
    try:
        submit(review)
    except ReviewRefused as refused:
        messages.error(request, refused.message)
        form.flag_unrated()
        title = _("Votre brouillon est enregistré, mais votre avis n'est pas encore rendu")
        return _render_review(request, assignment, review, form=form, error_title=title)
    messages.success(request, _("Votre avis est rendu. Merci !"))
    return redirect("ethics:review", assignment.pk)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _own_assignment(request, pk)
    if assignment.conflict == Conflict.PENDING:
        return redirect("ethics:declaration", assignment.pk)
    if assignment.conflict == Conflict.CONFLICTED:
        heading = _heading(assignment, grid_for(assignment.application, assignment.track))
        return render(request, "ethics/review.html", {**heading, "conflicted": True}, status=403)

    refusal = ""
    current = assignment.current_review()
    if current is None and grid_for(assignment.application, assignment.track) is None:
        refusal = _("Aucune grille n'est associée à cette expertise pour l'appel.")
    else:
        try:
            current = open_review(assignment)
        except ReviewRefused as refused:
            refusal = refused.message

    if request.method == "POST":
        if current is None:
            messages.error(request, refusal)
            return redirect("ethics:review", assignment.pk)
        # The services decide: a locked or out-of-stage review refuses with its reason.
        return _post_review(request, assignment, current)
    return _render_review(request, assignment, current, refusal=refusal)


# -- Attachments --------------------------------------------------------------------------


@login_required
@require_GET
def download_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """An attachment the grid cites, frozen at submission, for a reviewer who declared no
    conflict on this application; a 404 for anyone else."""
    assignment = _own_assignment(request, pk)
    if assignment.conflict != Conflict.NONE:
        raise Http404
    application = assignment.application
    call_grid = grid_for(application, assignment.track)
    review = assignment.current_review()
    grid = review.grid if review is not None else call_grid.grid if call_grid else None
    allowed = cited_slots(grid.criteria.all() if grid else [], _is_blind(call_grid))
    frozen = {a.get("id") for a in (application.snapshot or {}).get("attachments", [])}
    if attachment_id not in frozen:
        raise Http404
    attachment = get_object_or_404(application.attachments, pk=attachment_id, slot__in=allowed)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
