"""After the decision, end to end over HTTP: staff mark the project funded → the convention is
generated → sent → signed in Ruche by the organisation's legal representative (password
re-entered) → countersigned by staff (signed PDF uploaded) → in force → advance paid →
progress report written, sent back once, accepted → intermediate payment → final report
accepted → balance paid → closed. The SCDL row lists the three payment days, the public
sheet says the project is completed, and the audit trail still verifies."""

from __future__ import annotations

import csv
import hashlib
import html
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evaluation.audit import verify
from funding.models import Convention, ConventionStatus, Ledger, Milestone, ReportStatus, Tranche
from search.models import PublicProject

from ..grants_factories import minimal_pdf
from .conftest import PASSWORD, logged_in, selected

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(settings):
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


def ok_redirect(response) -> None:
    assert response.status_code == 302, text(response)[:4000]


def staff_post(client, application, action: str, **fields):
    data = {"action": action}
    data.update({k if "-" in k else f"{action}-{k}": v for k, v in fields.items()})
    response = client.post(reverse("funding:staff_convention", args=[application.pk]), data)
    ok_redirect(response)
    follow = client.get(reverse("funding:staff_convention", args=[application.pk]))
    errors = [str(m) for m in follow.context["messages"] if m.level_tag == "error"]
    assert not errors, errors
    return follow


def pay(client, application, kind: str, day: date) -> None:
    tranche = Tranche.objects.get(convention__application=application, kind=kind)
    staff_post(
        client,
        application,
        "pay",
        tranche=tranche.pk,
        amount=str(tranche.planned_cents / 100).replace(".", ","),
        paid_on=day.isoformat(),
        reference=f"VIR-{kind}",
    )


def write_report(client, application, milestone: Milestone, narrative: str, submit: bool):
    url = reverse("funding:report", args=[application.pk, milestone.pk])
    page = client.get(url)
    assert page.status_code == 200
    fields = {name for name in page.context["form"].fields if name.startswith("indicator_")}
    data = {"narrative": narrative, "action": "submit" if submit else "save"}
    data.update({name: "120" for name in fields})
    data["files"] = SimpleUploadedFile("bilan.pdf", minimal_pdf("Bilan"), "application/pdf")
    ok_redirect(client.post(url, data))


def test_from_funded_to_closed(call, people, django_capture_on_commit_callbacks):
    application = selected(call, people)
    staff = logged_in(people.staff)
    applicant = logged_in(people.owner)

    # Funded from the application's page: the convention's first draft is generated.
    ok_redirect(
        staff.post(
            reverse("evaluation:application", args=[application.pk]),
            {
                "action": "transition",
                "transition": "mark_funded",
                "expected_status": "selected",
                "comment": "",
            },
        )
    )
    convention = Convention.objects.get(application=application)
    assert convention.status == ConventionStatus.DRAFT
    page = staff.get(reverse("evaluation:application", args=[application.pk]))
    assert reverse("funding:staff_convention", args=[application.pk]) in text(page)
    # The beneficiary does not see a draft.
    assert applicant.get(reverse("funding:convention", args=[application.pk])).status_code == 404

    page = staff_post(staff, application, "send")
    assert "Envoyée pour signature" in text(page)

    # The legal representative reads and signs in Ruche, re-entering their password.
    page = applicant.get(reverse("funding:convention", args=[application.pk]))
    version = convention.latest_version()
    pdf = applicant.get(reverse("funding:convention_pdf", args=[application.pk, 1]))
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == version.sha256
    wrong = applicant.post(
        reverse("funding:convention", args=[application.pk]),
        {
            "sign-method": "online",
            "sign-signer_name": "Camille Martin",
            "sign-signer_role": "Présidente",
            "sign-document_sha256": version.sha256,
            "sign-password": "pas le bon",
            "sign-agree": "on",
        },
    )
    assert wrong.status_code == 200 and "Mot de passe ou code incorrect" in text(wrong)
    ok_redirect(
        applicant.post(
            reverse("funding:convention", args=[application.pk]),
            {
                "sign-method": "online",
                "sign-signer_name": "Camille Martin",
                "sign-signer_role": "Présidente",
                "sign-document_sha256": page.context["sign_form"].initial["document_sha256"],
                "sign-password": PASSWORD,
                "sign-agree": "on",
            },
        )
    )
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.SIGNED

    # Staff countersign by uploading the signed PDF (checked by content), then notify.
    staff_post(
        staff,
        application,
        "countersign",
        method="upload",
        signer_name="Sophie Instructrice",
        signer_role="Chargée de mission",
        document_sha256=version.sha256,
        signed_file=SimpleUploadedFile("signee.pdf", minimal_pdf("Signée"), "application/pdf"),
        agree="on",
    )
    staff_post(staff, application, "bring_into_force", start="2026-04-01")
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.IN_FORCE
    assert [m.kind for m in convention.milestones.all()] == ["progress", "final"]

    # Advance at signature: 30 % of 200 000 €.
    pay(staff, application, "advance", date(2026, 4, 15))
    assert Ledger.objects.get(convention=convention).paid_cents == 6_000_000

    # The intermediate payment waits for the progress report.
    progress = convention.milestones.get(kind="progress")
    assert (
        staff.get(reverse("funding:staff_convention", args=[application.pk]))
        .context["forms"]["pay"]
        .fields["tranche"]
        .choices
        == []
    )
    write_report(applicant, application, progress, "Premiers patients inclus.", submit=True)
    staff_post(
        staff,
        application,
        "decide_report",
        **{
            "report-milestone": progress.pk,
            "report-decision": "changes",
            "report-comment": "Chiffrez.",
        },
    )
    progress.refresh_from_db()
    assert progress.report_status == ReportStatus.CHANGES_REQUESTED
    write_report(applicant, application, progress, "120 patients, 3 sites.", submit=True)
    staff_post(
        staff,
        application,
        "decide_report",
        **{"report-milestone": progress.pk, "report-decision": "accept", "report-comment": ""},
    )
    progress.refresh_from_db()
    assert progress.report_status == ReportStatus.ACCEPTED
    assert progress.report_versions.count() == 2
    pay(staff, application, "intermediate", date(2027, 1, 20))

    final = convention.milestones.get(kind="final")
    write_report(applicant, application, final, "Projet mené à terme.", submit=True)
    staff_post(
        staff,
        application,
        "decide_report",
        **{"report-milestone": final.pk, "report-decision": "accept", "report-comment": "Bravo."},
    )
    pay(staff, application, "balance", date(2028, 6, 5))
    ledger = Ledger.objects.get(convention=convention)
    assert ledger.paid_cents == ledger.granted_cents == 20_000_000

    staff_post(staff, application, "close", note="Objectifs atteints.")
    staff_post(
        staff,
        application,
        "publish",
        show_status="on",
        show_indicators="on",
        results="600 patients suivis.",
    )
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.CLOSED

    # Published in the catalogue by staff.
    edit = reverse("search:publication_edit", args=[application.pk])
    form = staff.get(edit).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = (
            [str(v) for v in value] if isinstance(value, list | tuple) else str(value or "")
        )
    with django_capture_on_commit_callbacks(execute=True):
        ok_redirect(staff.post(edit, {**data, "action": "publish"}))
    sheet = PublicProject.objects.get(application=application)

    visitor = Client()
    scdl = visitor.get(reverse("search:scdl_csv"))
    rows = list(csv.DictReader(io.StringIO(scdl.content.decode())))
    row = next(r for r in rows if r["objet"] == sheet.title)
    assert row["datesPeriodeVersement"] == "2026-04-15_2027-01-20_2028-06-05"
    assert row["montant"] == "200000.00"

    page = visitor.get(reverse("search:project", args=[sheet.slug]))
    assert "Projet terminé" in text(page)
    assert "600 patients suivis." in text(page)
    assert "Patients suivis : 120 patients (cible 500)" in text(page)

    # Every step is in the application's chain, which still verifies.
    codes = list(application.transition_logs.order_by("seq").values_list("transition", flat=True))
    for code in (
        "convention.generate",
        "convention.sign",
        "convention.countersign",
        "payment.record",
        "report.accept",
        "convention.close",
    ):
        assert code in codes
    assert verify().ok
