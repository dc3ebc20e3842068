"""The benchmark of the public pages' data, counted in-process with the same settings and
database as gunicorn: the pages to load, signed-in sessions, 1,000 submitted applications, ten
times the calls, relèves and sheets, and each page's SQL queries."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass
class Site:
    public: dict[str, str] = field(default_factory=dict)  # label -> path
    signed_in: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (path, cookie)


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def session_for(email: str) -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(email=email)
    store = SessionStore()
    store.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
    )
    store.create()
    return f"sessionid={store.session_key}"


def find_pages() -> Site:
    from cms.models import CallPage, ContentPage
    from grants.models import Application
    from search.models import PublicProject

    open_call = CallPage.objects.live().open().filter(locale__language_code="fr").first()
    english_call = CallPage.objects.live().filter(translation_key=open_call.translation_key)
    english_call = english_call.filter(locale__language_code="en").first()
    content = ContentPage.objects.live().filter(locale__language_code="fr").first()
    sheet = PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED).first()
    draft = Application.objects.filter(
        status="draft", created_by__email="candidat@ruche.local"
    ).first()
    site = Site()
    site.public = {
        "plain view (small template)": "/bench/template/",
        "home": "/",
        "calls index": "/appels-a-projets/",
        "call page (open)": open_call.url,
        "call page (English)": english_call.url if english_call else open_call.url,
        "content page": content.url,
        "catalogue": "/catalogue/",
        "project sheet": f"/catalogue/projets/{sheet.slug}/",
    }
    applicant = session_for("candidat@ruche.local")
    staff = session_for("instructeur@ruche.local")
    site.signed_in = {
        "applicant: dashboard": ("/espace/", applicant),
        "applicant: form section": (f"/espace/candidatures/{draft.pk}/sections/projet/", applicant),
        "staff: queue": ("/gestion/", staff),
        "signed-in: call page": (open_call.url, applicant),
    }
    return site


def count_queries(path: str, cookie: str = "", page_cache: bool = False) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.RUCHE_PAGE_CACHE_SECONDS = 600 if page_cache else 0
    settings.WAGTAIL_CACHE = page_cache
    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    client.get(path)  # warm: fragments cached, as in the steady state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code}")
    return len(queries.captured_queries)


def seed_applications(total: int) -> None:
    """Submitted applications on the demo's open call, up to ``total`` (the staff queue's
    default state), each from its own organisation."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cms.models import CallPage
    from grants.models import Application, Organisation
    from tests.grants_factories import COMPLETE_ANSWERS, OrganisationFactory

    have = Application.objects.filter(status="submitted").count()
    if have >= total:
        return
    call = CallPage.objects.live().open().filter(locale__language_code="fr").first().reference
    user = get_user_model().objects.get(email="candidat@ruche.local")
    organisations = Organisation.objects.bulk_create(
        OrganisationFactory.build() for _ in range(total - have)
    )
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisation,
            created_by=user,
            submitted_by=user,
            status="submitted",
            submitted_at=now - timedelta(minutes=n),
            answers=COMPLETE_ANSWERS,
            project_title=f"Projet {n}",
            amount_requested=250_000,
        )
        for n, organisation in enumerate(organisations)
    )
    analyze()


def analyze() -> None:
    """Fresh planner statistics, as a running database has: measured right after a bulk
    load, the queries would otherwise be planned for the empty tables autovacuum last saw
    (nested loops over a thousand rows), and each run would depend on when it woke up."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def scale_data(factor: int) -> None:
    """``factor`` times the calls (copies with their relèves), the open call's relèves and the
    published sheets; the catalogue's index rebuilt."""
    from django.db import transaction

    from cms.models import CallCutoff, CallIndexPage, CallPage
    from search.backends import get_backend
    from search.models import PublicProject

    with transaction.atomic():
        index = CallIndexPage.objects.get(locale__language_code="fr")
        calls = list(CallPage.objects.live().child_of(index))
        for n in range(1, factor):
            for call in calls:
                call.copy(
                    to=index,
                    update_attrs={"slug": f"{call.slug}-{n}", "title": f"{call.title} ({n})"},
                    copy_revisions=False,
                    log_action=None,
                )
        open_call = CallPage.objects.live().open().filter(locale__language_code="fr").first()
        cutoffs = list(open_call.cutoffs.all())
        last = max(c.closes_at for c in cutoffs)
        for n in range(1, len(cutoffs) * (factor - 1) + 1):
            CallCutoff.objects.create(call=open_call, closes_at=last + timedelta(days=7 * n))
        sheets = list(PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED))
        for n in range(1, factor):
            for sheet in sheets:
                themes = list(sheet.themes.all())
                sheet.pk, sheet.application = None, None
                sheet.slug = f"{sheet.slug.rsplit('--', 1)[0]}--{n}"
                sheet.save()
                sheet.themes.set(themes)
        open_call.save_revision().publish()
    get_backend().rebuild()
    analyze()
    try:  # the page cache (absent before issue 14) is emptied as a publication would
        from cms import page_cache

        page_cache.invalidate()
    except ImportError:
        pass


def data_sizes() -> str:
    from cms.models import CallCutoff, CallPage
    from grants.models import Application
    from search.models import PublicProject

    return (
        f"{CallPage.objects.count()} calls, {CallCutoff.objects.count()} relèves, "
        f"{PublicProject.objects.filter(status='published').count()} sheets, "
        f"{Application.objects.filter(status='submitted').count()} submitted applications"
    )
