"""The workflow's pages. Staff's back office under /gestion/; the applicant's side of the
workflow (submitting, following an application, withdrawing, answering requests for
information, choosing emails) under /espace/, beside the drafts of grants/urls.py."""

from django.urls import include, path

from .views import (
    applicant,
    applicant_information,
    backoffice,
    committee,
    committee_files,
    deliveries,
    diagram,
    extensions,
    hearing_applicant,
    hearing_jury,
    hearings,
    information,
    notifications,
    queues,
    shortlisting,
    thread,
)

app_name = "evaluation"

backoffice_patterns = [
    path("", queues.queues, name="queues"),
    path("export.<str:fmt>", queues.export, name="export"),
    path("lot/", queues.bulk, name="bulk"),
    path("prolongations/", extensions.extensions, name="extensions"),
    path("dossiers/<int:pk>/", backoffice.application_detail, name="application"),
    # Two-stage calls: the first stage's decisions and letters
    path("appels/<int:call_pk>/preselection/", shortlisting.shortlist, name="shortlist"),
    path(
        "preselection/<int:pk>/lettre.pdf", shortlisting.shortlist_letter, name="shortlist_letter"
    ),
    path("dossiers/<int:pk>/messages/", thread.staff_message, name="staff_message_post"),
    path("circuit/", diagram.workflow_diagram, name="workflow_diagram"),
    # Emails that every retry failed to deliver
    path("courriels/", deliveries.failed_emails, name="failed_emails"),
    path("courriels/renvoyer/", deliveries.retry_failed_emails, name="retry_failed_emails"),
    path("circuit/schema.svg", diagram.workflow_diagram_svg, name="workflow_diagram_svg"),
    # Requests for information, staff side
    path(
        "complements/dossiers/<int:pk>/demander/",
        information.ask_information,
        name="information_ask",
    ),
    path(
        "complements/demandes/<int:request_id>/",
        information.information_request,
        name="information_request",
    ),
    path(
        "complements/demandes/<int:request_id>/fichiers/<int:file_id>/",
        information.download_file,
        name="information_file",
    ),
    # Jury hearings (auditions): staff, then the jury
    path("auditions/", hearings.hearing_sessions, name="hearing_sessions"),
    path("auditions/seances/<int:pk>/", hearings.hearing_session, name="hearing_session"),
    path("auditions/jury/", hearing_jury.jury_hearings, name="hearing_jury"),
    # Selection committee
    path("comite/", committee.committee_sessions, name="committee_sessions"),
    path("comite/seances/<int:pk>/", committee.committee_session, name="committee_session"),
    path(
        "comite/seances/<int:pk>/dossiers/<int:application_pk>/",
        committee_files.committee_file,
        name="committee_file",
    ),
    path(
        "comite/seances/<int:pk>/dossiers/<int:application_pk>/pieces/<int:attachment_pk>/",
        committee_files.committee_attachment,
        name="committee_attachment",
    ),
    path(
        "comite/seances/<int:pk>/dossiers/<int:application_pk>/rapport.pdf",
        committee_files.committee_report,
        name="committee_report",
    ),
    path(
        "comite/decisions/<int:pk>/lettre.pdf",
        committee.decision_letter,
        name="decision_letter",
    ),
]

applicant_patterns = [
    path("notifications/", notifications.notification_preferences, name="notifications"),
    path("candidatures/<int:pk>/", applicant.followup, name="followup"),
    path("candidatures/<int:pk>/deposer/", applicant.submit, name="submit"),
    path("candidatures/<int:pk>/retrait/", applicant.withdraw, name="withdraw"),
    # The application's message thread; its files, for the applicant and the call's staff
    path("candidatures/<int:pk>/messages/", thread.applicant_message, name="message_post"),
    path(
        "candidatures/<int:pk>/messages/fichiers/<int:file_id>/",
        thread.message_file,
        name="message_file",
    ),
    path(
        "candidatures/<int:pk>/audition/", hearing_applicant.hearing_answer, name="hearing_answer"
    ),
    path(
        "candidatures/<int:pk>/complements/<int:request_id>/",
        applicant_information.answer_information,
        name="information_answer",
    ),
    path(
        "candidatures/<int:pk>/complements/<int:request_id>/fichiers/<int:file_id>/",
        applicant_information.download_answer_file,
        name="information_answer_file",
    ),
]

urlpatterns = [
    path("gestion/", include(backoffice_patterns)),
    path("espace/", include(applicant_patterns)),
]
