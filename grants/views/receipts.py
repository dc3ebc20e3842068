"""The public page where anyone checks a receipt: its reference and fingerprint, as printed."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from dsfr.forms import DsfrBaseForm

from ..services.receipts import check_receipt


class ReceiptCheckForm(DsfrBaseForm):
    reference = forms.CharField(
        label=_("Référence du dossier"),
        help_text=_("Telle qu'imprimée sur le récépissé, par exemple RUCHE-2026-000042."),
        max_length=40,
    )
    empreinte = forms.CharField(
        label=_("Empreinte SHA-256"),
        help_text=_("Les 64 caractères imprimés sous « Empreinte du dossier »."),
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )


@require_GET
def verify_receipt(request: HttpRequest) -> HttpResponse:
    form = ReceiptCheckForm(request.GET if request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        result = check_receipt(form.cleaned_data["reference"], form.cleaned_data["empreinte"])
    return render(request, "grants/verify_receipt.html", {"form": form, "result": result})
