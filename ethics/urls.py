"""Reviewers' and staff's review pages, under /expertise/."""

from django.urls import path

from .views import reports, reviewer, staff

app_name = "ethics"

urlpatterns = [
    # Experts
    path("", reviewer.assignments, name="assignments"),
    path("affectations/<int:pk>/declaration/", reviewer.declaration, name="declaration"),
    path("affectations/<int:pk>/avis/", reviewer.review, name="review"),
    path(
        "affectations/<int:pk>/pieces/<int:attachment_id>/",
        reviewer.download_attachment,
        name="attachment",
    ),
    # Programme staff
    path("gestion/dossiers/<int:pk>/experts/", staff.assign, name="assign"),
    path("gestion/affectations/lot/", staff.bulk_assign, name="bulk_assign"),
    path("gestion/charge/", staff.workload, name="workload"),
    path("gestion/dossiers/<int:pk>/rapport.pdf", reports.report, name="report"),
    path(
        "gestion/dossiers/<int:pk>/rapport-anonymise.pdf",
        reports.report_anonymised,
        name="report_anonymised",
    ),
]
