"""« Mes notifications »: which optional emails a signed-in person receives."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from core.roles import is_programme_staff_user

from ..models import NotificationPreference

STAFF_ONLY = ("new_submissions", "answered_requests")


class NotificationPreferenceForm(DsfrBaseForm, forms.ModelForm):
    """The toggles; the programme staff's ones are shown to programme staff only."""

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            for name in STAFF_ONLY:
                del self.fields[name]

    class Meta:
        model = NotificationPreference
        fields = ["applicant_updates", "new_messages", "new_submissions", "answered_requests"]
        labels = {
            "applicant_updates": gettext_lazy(
                "Me prévenir quand un dossier de mon organisation change d'état"
            ),
            "new_messages": gettext_lazy("Me prévenir d'un nouveau message sur un dossier"),
            "new_submissions": gettext_lazy("Me prévenir de chaque nouveau dossier déposé"),
            "answered_requests": gettext_lazy(
                "Me prévenir quand un candidat répond à une demande de compléments"
            ),
        }
        help_texts = {
            "new_messages": gettext_lazy(
                "Le courriel ne contient pas le message, seulement le lien pour le lire."
            ),
            "applicant_updates": gettext_lazy(
                "Par exemple : « Votre dossier est maintenant : En instruction »."
            ),
            "answered_requests": gettext_lazy(
                "Celui ou celle qui a posé la question est toujours prévenu(e) de la réponse."
            ),
        }


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    staff = is_programme_staff_user(request.user)
    if request.method == "POST":
        preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
        data = request.POST
    else:
        # No row until the first save: without one, every email is wanted.
        preference = NotificationPreference.objects.filter(user=request.user).first()
        preference = preference or NotificationPreference(user=request.user)
        data = None
    form = NotificationPreferenceForm(data, instance=preference, staff=staff)
    if form.is_bound and form.is_valid():
        form.save()
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("evaluation:notifications")
    return render(
        request,
        "evaluation/notifications.html",
        {"form": form, "staff": staff},
    )
