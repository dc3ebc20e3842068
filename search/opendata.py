"""What the catalogue publishes: the public view of a sheet (pages, API, open data) and the
export files. Only published sheets, and only their public fields, ever leave through here."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cms.models import Theme
from core.spreadsheets import csv_text
from funding.publication import scdl_dates

from .models import PublicProject

# The SCDL « subventions » schema (schema.data.gouv.fr/scdl/subventions), in its column order.
SCDL_COLUMNS = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
)
PROJECT_COLUMNS = (
    "slug",
    "titre",
    "resume",
    "organisation",
    "region_code",
    "region",
    "thematiques",
    "appel",
    "annee",
    "montant_accorde",
    "trl",
    "partenaires",
    "site_web",
    "publie_le",
    "url",
)


def published() -> QuerySet[PublicProject]:
    return (
        PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED)
        .select_related("call")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("-published_at", "title", "pk")
    )


def amount_str(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return format(amount.quantize(Decimal("0.01")), "f")


def project_url(sheet: PublicProject) -> str:
    return reverse("search:project", args=[sheet.slug])


def project_data(sheet: PublicProject, request: HttpRequest | None = None) -> dict:
    """The public record of a sheet (API and JSON export)."""
    url = project_url(sheet)
    return {
        "slug": sheet.slug,
        "title": sheet.title,
        "summary": sheet.summary,
        "description": sheet.description,
        "organisation": sheet.organisation_name,
        "region": {"code": sheet.region, "name": sheet.get_region_display()},
        "themes": [{"slug": t.slug, "name": t.name} for t in sheet.themes.all()],
        "call": {"id": sheet.call_id, "title": sheet.call_title} if sheet.call_title else None,
        "year": sheet.year,
        "amount_granted": amount_str(sheet.amount_granted),
        "trl": sheet.trl,
        "partners": [line.strip() for line in sheet.partners.splitlines() if line.strip()],
        "website": sheet.website or None,
        "published_at": sheet.published_at.isoformat() if sheet.published_at else None,
        "url": request.build_absolute_uri(url) if request else url,
    }


def projects_csv(request: HttpRequest | None = None) -> str:
    rows = []
    for sheet in published():
        data = project_data(sheet, request)
        rows.append(
            [
                sheet.slug,
                sheet.title,
                sheet.summary,
                sheet.organisation_name,
                sheet.region,
                sheet.get_region_display(),
                "|".join(t["name"] for t in data["themes"]),
                sheet.call_title,
                sheet.year,
                data["amount_granted"],
                sheet.trl if sheet.trl is not None else "",
                "|".join(data["partners"]),
                sheet.website,
                data["published_at"] or "",
                data["url"],
            ]
        )
    return csv_text(PROJECT_COLUMNS, rows, delimiter=";")


def scdl_rows() -> list[dict]:
    """One row per published sheet in the SCDL « subventions » schema. The beneficiary's SIRET
    is public data for companies in France (répertoire SIRENE), so it is included."""
    attributing_siret = settings.RUCHE_ATTRIBUTING_SIRET  # the operator's, configured
    sheets = (
        published()
        .select_related("application__organisation", "call__operator")
        .prefetch_related(
            "application__committee_decisions__session", "application__convention__payments"
        )
    )
    rows = []
    for sheet in sheets:
        application = sheet.application
        decisions = (
            sorted(application.committee_decisions.all(), key=lambda d: (d.decided_at, d.pk))
            if application
            else []
        )
        decision = decisions[-1] if decisions else None
        convention = getattr(application, "convention", None) if application else None
        # The convention's date once it is in force, else the committee's decision.
        decided = (
            convention.in_force_at
            if convention is not None and convention.in_force_at
            else (decision.decided_at if decision else sheet.published_at)
        )
        operator = sheet.call.operator if sheet.call and sheet.call.operator_id else None
        rows.append(
            {
                "nomAttribuant": operator.name if operator else "",
                "idAttribuant": attributing_siret,
                # The date in Paris: the stored instant is UTC (a decision at 00:30 in Paris
                # is dated that day, not the day before).
                "dateConvention": timezone.localdate(decided).isoformat() if decided else "",
                "referenceDecision": (
                    f"{decision.session.title} — {decision.pk}" if decision else ""
                ),
                "nomBeneficiaire": sheet.organisation_name,
                "idBeneficiaire": application.organisation.siret if application else "",
                "objet": sheet.title,
                "montant": amount_str(sheet.amount_granted),
                "nature": "aide en numéraire",
                "conditionsVersement": "échelonné",
                # Each payment's day, « _ » between them (the schema's separator).
                "datesPeriodeVersement": scdl_dates(convention),
                "idRAE": "",
                "notificationUE": "non",
                # The beneficiary's share of this grant (the schema splits a grant between
                # co-beneficiaries): the lead organisation receives it all.
                "pourcentageSubvention": "1",
            }
        )
    return rows


def scdl_csv() -> str:
    rows = [[row[column] for column in SCDL_COLUMNS] for row in scdl_rows()]
    # The SCDL schemas are plain CSV: comma-separated, UTF-8.
    return csv_text(SCDL_COLUMNS, rows, delimiter=",")
