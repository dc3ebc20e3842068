"""The follow-up's pages: staff's under /gestion/suivi/, the beneficiary's under /espace/,
the public figures at /chiffres/ (a stable address, with its open data)."""

from django.urls import include, path

from .views import applicant, dashboards, staff

app_name = "funding"

staff_patterns = [
    path("tableau-de-bord/", dashboards.staff_dashboard, name="staff_dashboard"),
    path("tableau-de-bord/export.csv", dashboards.staff_dashboard_csv, name="staff_dashboard_csv"),
    path("dossiers/<int:pk>/", staff.staff_convention, name="staff_convention"),
    path(
        "dossiers/<int:pk>/versions/<int:number>.pdf",
        staff.staff_version_pdf,
        name="staff_version_pdf",
    ),
    path(
        "dossiers/<int:pk>/fichiers/<int:file_id>/",
        staff.staff_report_file,
        name="staff_report_file",
    ),
]

applicant_patterns = [
    path("<int:pk>/", applicant.convention, name="convention"),
    path("<int:pk>/versions/<int:number>.pdf", applicant.convention_pdf, name="convention_pdf"),
    path("<int:pk>/rapports/<int:milestone_pk>/", applicant.report, name="report"),
    path("<int:pk>/fichiers/<int:file_id>/", applicant.report_file_download, name="report_file"),
]

urlpatterns = [
    path("gestion/suivi/", include(staff_patterns)),
    path("espace/conventions/", include(applicant_patterns)),
    path("chiffres/", dashboards.public_dashboard, name="public_dashboard"),
    path("chiffres/donnees.csv", dashboards.public_csv, name="public_csv"),
    path("chiffres/donnees.json", dashboards.public_json, name="public_json"),
]
