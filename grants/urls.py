"""The applicant's space, under /espace/: organisations and drafts. What follows submission
(following an application, withdrawing, answering requests for information) is the
workflow's, in evaluation/urls.py."""

from django.urls import path

from .views import (
    applications,
    attachments,
    dashboard,
    inbox,
    members,
    organisations,
    personal_data,
    receipts,
    self_check,
)

app_name = "grants"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("messages/", inbox.inbox, name="inbox"),
    path("messages/<int:pk>/", inbox.message, name="inbox_message"),
    path("messages/tout-lu/", inbox.mark_all_read, name="inbox_read_all"),
    # Public: anyone holding a receipt checks it (no sign-in).
    path("donnees-personnelles/", personal_data.personal_data, name="personal_data"),
    path("donnees-personnelles/mes-donnees.zip", personal_data.download, name="personal_data_zip"),
    path("donnees-personnelles/fermer/", personal_data.close_account, name="close_account"),
    path("recepisse/verifier/", receipts.verify_receipt, name="verify_receipt"),
    # Organisation and its members
    path("organisation/nouvelle/", organisations.create_organisation, name="organisation_create"),
    path(
        "organisation/annuaire/",
        organisations.company_lookup_json,
        name="organisation_company_lookup",
    ),
    path("organisation/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisation/<int:pk>/modifier/",
        organisations.edit_organisation,
        name="organisation_edit",
    ),
    path("organisation/<int:pk>/inviter/", organisations.invite_member, name="organisation_invite"),
    path(
        "organisation/<int:pk>/invitations/<int:invitation_id>/revoquer/",
        members.revoke_invitation,
        name="invitation_revoke",
    ),
    path(
        "organisation/<int:pk>/membres/<int:membership_id>/retirer/",
        members.remove_member,
        name="member_remove",
    ),
    path(
        "organisation/<int:pk>/membres/<int:membership_id>/role/",
        members.change_role,
        name="member_role",
    ),
    path(
        "organisation/<int:pk>/membres/<int:membership_id>/transmettre/",
        members.transfer_ownership,
        name="ownership_transfer",
    ),
    path("organisation/<int:pk>/quitter/", members.leave, name="organisation_leave"),
    path("organisation/<int:pk>/depot/", members.submission_policy, name="submission_policy"),
    path("invitation/<str:token>/", organisations.accept_invitation, name="invitation_accept"),
    # Drafts
    path("appels/<int:call_id>/candidater/", applications.start_application, name="start"),
    path("appels/<int:call_id>/eligibilite/", self_check.call_self_check, name="self_check"),
    path(
        "candidatures/<int:pk>/sections/<slug:slug>/",
        applications.edit_section,
        name="section",
    ),
    path("candidatures/<int:pk>/depot/", applications.review, name="review"),
    path("candidatures/<int:pk>/recepisse.pdf", applications.receipt, name="receipt"),
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
]
