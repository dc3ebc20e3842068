from django.urls import path

from .views import applications, attachments, dashboard, organisations
from .views import information as information_views
from .views import notifications as notification_views

app_name = "grants"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("notifications/", notification_views.notification_preferences, name="notifications"),
    # Organisation and its members
    path("organisation/nouvelle/", organisations.create_organisation, name="organisation_create"),
    path("organisation/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisation/<int:pk>/modifier/",
        organisations.edit_organisation,
        name="organisation_edit",
    ),
    path("organisation/<int:pk>/inviter/", organisations.invite_member, name="organisation_invite"),
    path("invitation/<str:token>/", organisations.accept_invitation, name="invitation_accept"),
    # Applications
    path("appels/<int:call_id>/candidater/", applications.start_application, name="start"),
    path("candidatures/<int:pk>/", applications.application_detail, name="application"),
    path(
        "candidatures/<int:pk>/sections/<slug:slug>/",
        applications.edit_section,
        name="section",
    ),
    path("candidatures/<int:pk>/depot/", applications.review_and_submit, name="submit"),
    path("candidatures/<int:pk>/recepisse.pdf", applications.receipt, name="receipt"),
    path("candidatures/<int:pk>/retrait/", applications.withdraw, name="withdraw"),
    path("candidatures/<int:pk>/pieces/", attachments.attachments, name="attachments"),
    path(
        "candidatures/<int:pk>/pieces/<int:attachment_id>/",
        attachments.download_attachment,
        name="attachment_download",
    ),
    path(
        "candidatures/<int:pk>/pieces/<int:attachment_id>/supprimer/",
        attachments.delete_attachment,
        name="attachment_delete",
    ),
    # Requests for information (demandes de compléments)
    path(
        "candidatures/<int:pk>/complements/<int:request_id>/",
        information_views.answer_information,
        name="information_answer",
    ),
    path(
        "candidatures/<int:pk>/complements/<int:request_id>/fichiers/<int:file_id>/",
        information_views.download_answer_file,
        name="information_file",
    ),
]
