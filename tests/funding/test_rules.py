"""The follow-up's rules, service by service: who signs, what may be paid when, amendments,
termination, report reminders, and verifying a signed document by its fingerprint."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.roles import PROGRAMME_STAFF_GROUP
from funding.models import ConventionStatus, Ledger, Signature
from funding.reminders import send_report_reminders
from funding.services import conventions, money, reports, signatures
from funding.services.rules import FundingRefused
from grants.models import Membership

from ..factories import OperatorFactory, make_call
from ..grants_factories import UserFactory, minimal_pdf
from .conftest import funded, logged_in

pytestmark = pytest.mark.django_db
BENEFICIARY, OPERATOR = Signature.Party.BENEFICIARY, Signature.Party.OPERATOR


def sign(convention, party, user):
    return signatures.sign_online(
        convention,
        party,
        user,
        name="Nom",
        role="Qualité",
        seen_sha256=convention.latest_version().sha256,
        confirmed_with="password",
    )


def in_force(call, people, start=date(2026, 1, 1)):
    convention = funded(call, people)
    conventions.send(convention, people.staff)
    sign(convention, BENEFICIARY, people.owner)
    sign(convention, OPERATOR, people.staff)
    return conventions.bring_into_force(convention, people.staff, start)


def test_only_the_legal_representative_signs_and_only_the_document_seen(
    call, people, django_capture_on_commit_callbacks
):
    convention = funded(call, people)
    with pytest.raises(FundingRefused):  # not sent yet
        sign(convention, BENEFICIARY, people.owner)
    with django_capture_on_commit_callbacks(execute=True):
        conventions.send(convention, people.staff)
    # The organisation's members are told the convention is ready to sign.
    assert [m.to for m in mail.outbox if "prête à signer" in m.subject] == [[people.owner.email]]
    co_applicant = UserFactory()
    Membership.objects.create(
        user=co_applicant, organisation=people.organisation, role=Membership.Role.MEMBER
    )
    with pytest.raises(FundingRefused):
        sign(convention, BENEFICIARY, co_applicant)
    with pytest.raises(FundingRefused):  # staff countersign after the beneficiary only
        sign(convention, OPERATOR, people.staff)
    with pytest.raises(FundingRefused):
        signatures.sign_online(
            convention,
            BENEFICIARY,
            people.owner,
            name="Nom",
            role="Qualité",
            seen_sha256="0" * 64,
            confirmed_with="password",
        )
    sign(convention, BENEFICIARY, people.owner)
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.SIGNED


def test_a_signed_copy_must_be_a_clean_pdf(call, people):
    convention = funded(call, people)
    conventions.send(convention, people.staff)
    with pytest.raises(FundingRefused):
        signatures.sign_by_upload(
            convention,
            BENEFICIARY,
            people.owner,
            name="Nom",
            role="Qualité",
            seen_sha256=convention.latest_version().sha256,
            upload=SimpleUploadedFile("signee.pdf", b"MZ\x90\x00 not a pdf"),
        )


def test_payments_follow_the_released_tranches(call, people):
    convention = in_force(call, people)
    advance, intermediate, _balance = convention.tranches.order_by("order")
    with pytest.raises(FundingRefused):
        money.record_payment(
            convention, intermediate, people.staff, cents=100, paid_on=date.today(), reference="X"
        )
    with pytest.raises(FundingRefused):
        money.record_payment(
            convention,
            advance,
            people.staff,
            cents=advance.planned_cents + 1,
            paid_on=date.today(),
            reference="X",
        )
    payment = money.record_payment(
        convention, advance, people.staff, cents=1_000_000, paid_on=date.today(), reference="V1"
    )
    money.reverse_payment(payment, people.staff, "Erreur de montant")
    assert Ledger.objects.get(convention=convention).paid_cents == 0
    with pytest.raises(FundingRefused):
        money.reverse_payment(payment, people.staff, "Deux fois")
    # The repayable advance: never more repaid than paid out.
    money.record_payment(
        convention,
        advance,
        people.staff,
        cents=advance.planned_cents,
        paid_on=date.today(),
        reference="V2",
    )
    ledger = Ledger.objects.get(convention=convention)
    with pytest.raises(FundingRefused):
        money.record_repayment(
            convention,
            people.staff,
            cents=ledger.paid_advance_cents + 1,
            received_on=date.today(),
            reference="R",
        )
    money.record_repayment(
        convention, people.staff, cents=100_000, received_on=date.today(), reference="R"
    )
    assert (
        Ledger.objects.get(convention=convention).outstanding_cents
        == ledger.paid_advance_cents - 100_000
    )


def test_an_amendment_applies_once_both_parties_signed(call, people):
    convention = in_force(call, people)
    advance = convention.tranches.get(kind="advance")
    money.record_payment(
        convention,
        advance,
        people.staff,
        cents=advance.planned_cents,
        paid_on=date.today(),
        reference="V",
    )
    with pytest.raises(FundingRefused):
        conventions.amend(
            convention,
            people.staff,
            grant_cents=0,
            advance_cents=0,
            duration_months=24,
            reason="Baisse",
        )
    version = conventions.amend(
        convention,
        people.staff,
        grant_cents=15_000_000,
        advance_cents=8_000_000,
        duration_months=30,
        reason="Extension à deux nouveaux sites",
    )
    assert version.kind == "amendment" and version.number == 2
    assert Ledger.objects.get(convention=convention).grant_cents == 12_000_000  # not yet
    sign(convention, BENEFICIARY, people.owner)
    sign(convention, OPERATOR, people.staff)
    ledger = Ledger.objects.get(convention=convention)
    assert (ledger.grant_cents, ledger.advance_cents) == (15_000_000, 8_000_000)
    assert sum(t.planned_cents for t in convention.tranches.all()) == 23_000_000
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.IN_FORCE
    assert convention.effective_version().number == 2


def test_termination_needs_a_reason_and_stops_the_project(call, people):
    convention = in_force(call, people)
    with pytest.raises(FundingRefused):
        conventions.terminate(convention, people.staff, " ")
    conventions.terminate(convention, people.staff, "Liquidation judiciaire")
    convention.refresh_from_db()
    assert (convention.status, convention.project_status) == ("terminated", "stopped")
    with pytest.raises(FundingRefused):  # closing needs the final report accepted anyway
        conventions.close(convention, people.staff)


def test_report_reminders_before_and_after_the_due_date(
    call, people, django_capture_on_commit_callbacks
):
    convention = in_force(call, people)
    progress = convention.milestones.get(kind="progress")
    due = progress.due_on
    assert send_report_reminders(due - timedelta(days=30)) == 0  # not within 14 days yet
    assert send_report_reminders(due - timedelta(days=10)) == 1
    assert send_report_reminders(due - timedelta(days=9)) == 0  # run again: nothing
    assert send_report_reminders(due + timedelta(days=1)) == 1  # overdue: one more
    assert send_report_reminders(due + timedelta(days=8)) == 0  # never a third
    reports.save_report(progress, people.owner, narrative="Fait.", values={})
    reports.submit_report(progress, people.owner)
    final = convention.milestones.get(kind="final")
    assert send_report_reminders(final.due_on - timedelta(days=1)) == 1
    subjects = [m.subject for m in mail.outbox]
    assert any("Rapport en retard" in s for s in subjects)


def test_verify_convention_by_fingerprint(call, people, tmp_path, capsys):
    convention = funded(call, people)
    conventions.send(convention, people.staff)
    sign(convention, BENEFICIARY, people.owner)
    signed = minimal_pdf("Copie signée")
    signatures.sign_by_upload(
        convention,
        OPERATOR,
        people.staff,
        name="Sophie",
        role="Chargée de mission",
        seen_sha256=convention.latest_version().sha256,
        upload=SimpleUploadedFile("signee.pdf", signed, "application/pdf"),
    )
    document = tmp_path / "convention.pdf"
    document.write_bytes(convention.latest_version().pdf.read())
    call_command("verify_convention", str(document))
    assert f"{convention.reference} v1 (document)" in capsys.readouterr().out
    copy = tmp_path / "copie.pdf"
    copy.write_bytes(signed)
    call_command("verify_convention", str(copy))
    assert "copie signée" in capsys.readouterr().out
    copy.write_bytes(signed + b"% altered")
    with pytest.raises(CommandError):
        call_command("verify_convention", str(copy))


def test_officers_follow_only_the_calls_they_run(call, people, calls_index):
    """An officer of another operator's call gets a 404 and a refusal; the dashboard lists
    only the calls they run."""
    convention = funded(call, people)
    outsider = UserFactory()
    outsider.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    other = make_call(
        calls_index,
        title="Autre opérateur",
        opens_at=call.opens_at,
        cutoffs=[c.closes_at for c in call.cutoffs.all()],
        tracks=(),
        operator=OperatorFactory(name="ANR"),
    )
    other.operator.staff.add(outsider)
    client = logged_in(outsider)
    url = reverse("funding:staff_convention", args=[convention.application_id])
    assert client.get(url).status_code == 404
    with pytest.raises(FundingRefused):
        conventions.send(convention, outsider)
    page = client.get(reverse("funding:staff_dashboard"))
    assert list(page.context["calls"]) == [other.pk]
    assert page.context["selection"]["received"] == 0
