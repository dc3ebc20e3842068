"""What the public sees: the home page, the calls index by status, a call page in full."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents.models import Document

from cms.models import CallDocument, CallPage, CallQuestion

from ..factories import ThemeFactory, make_call


@pytest.fixture
def calls(calls_index):
    now = timezone.now()
    day = timedelta(days=1)
    return {
        "open": make_call(
            calls_index,
            title="Télésurveillance en ville",
            opens_at=now - 10 * day,
            cutoffs=[now + 3 * day + timedelta(hours=2), now + 40 * day],
        ),
        "upcoming": make_call(
            calls_index, title="Médico-social", opens_at=now + 10 * day, cutoffs=[now + 90 * day]
        ),
        "closed": make_call(
            calls_index, title="IA et diagnostic", opens_at=now - 90 * day, cutoffs=[now - 5 * day]
        ),
        "closed_early": make_call(
            calls_index,
            title="Ségur interopérabilité",
            opens_at=now - 60 * day,
            cutoffs=[now + 20 * day],
            closed_early_at=now - 2 * day,
            early_closure_reason="Enveloppe entièrement engagée.",
        ),
    }


def titles_listed(response) -> set[str]:
    return {call.title for call in response.context["calls"]}


@pytest.mark.django_db
def test_calls_index_lists_open_calls_by_default(client, calls):
    response = client.get("/appels-a-projets/")
    assert response.status_code == 200
    assert titles_listed(response) == {"Télésurveillance en ville"}
    tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
    assert tabs == {"open": 1, "upcoming": 1, "closed": 2}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("upcoming", {"Médico-social"}),
        ("closed", {"IA et diagnostic", "Ségur interopérabilité"}),
        ("n-importe-quoi", {"Télésurveillance en ville"}),
    ],
)
def test_calls_index_filters_by_status(client, calls, status, expected):
    response = client.get("/appels-a-projets/", {"statut": status})
    assert titles_listed(response) == expected


@pytest.mark.django_db
def test_early_closed_call_shows_its_badge_and_reason(client, calls):
    page = client.get(calls["closed_early"].url).content.decode()
    assert "Clos par anticipation" in page
    assert "Enveloppe entièrement engagée." in page


@pytest.mark.django_db
def test_home_page_shows_open_calls_only(client, calls):
    page = client.get("/").content.decode()
    assert "Télésurveillance en ville" in page
    assert "Médico-social" not in page
    assert "IA et diagnostic" not in page


@pytest.mark.django_db
def test_call_page_shows_everything_an_applicant_needs(client, calls):
    call: CallPage = calls["open"]
    document = Document(title="Cahier des charges 2026")
    document.file.save("cdc.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    call.documents = [CallDocument(document=document)]
    call.questions = [CallQuestion(question="Qui peut candidater ?", answer="<p>Les PME.</p>")]
    call.themes.set([ThemeFactory(name="Télésurveillance médicale")])
    call.save_revision().publish()

    page = client.get(call.url).content.decode()
    next_cutoff = timezone.localtime(call.next_cutoff().closes_at)
    for expected in [
        call.title,
        call.summary,
        "Bpifrance",
        "10\u00a0M€",  # envelope
        "500\u00a0k€",  # cap per project
        "Prochaine relève",
        f"{next_cutoff:%H}h{next_cutoff:%M}",
        "dans 3 jours",
        "Innovation",
        "60 %",
        "Éthique",
        "Interopérabilité",
        "Cahier des charges 2026",
        "Qui peut candidater ?",
        "Télésurveillance médicale",
        "appels@example.org",
        "Entreprises immatriculées en France.",
    ]:
        assert expected in page, expected


@pytest.mark.django_db
def test_english_locale_translates_the_interface_not_the_content(client, calls):
    page = client.get("/en" + calls["open"].url).content.decode()
    assert 'lang="en"' in page
    assert "Next cut-off" in page
    assert "Télésurveillance en ville" in page


def queries_for(url: str, client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/appels-a-projets/"])
def test_call_lists_do_not_query_once_per_call(client, calls, calls_index, url):
    """Each card reads its call's status and next relève from prefetched cut-offs."""
    queries_for(url, client)  # warms the per-process caches (site root, content types)
    before = queries_for(url, client)
    now = timezone.now()
    for n in range(3):
        make_call(
            calls_index,
            title=f"Appel ouvert {n}",
            opens_at=now - timedelta(days=1),
            cutoffs=[now + timedelta(days=n + 2), now + timedelta(days=30)],
        )
    # New calls start a new content generation: the menu and footer are read again once.
    queries_for(url, client)
    assert queries_for(url, client) == before


@pytest.mark.django_db
def test_a_call_page_reads_its_relèves_once(client, calls):
    """Status, next relève, countdown and the two lists of relèves all come from one read of
    the cut-offs, however many of them the template asks about."""
    call = calls["open"]
    caches["fragments"].clear()
    with CaptureQueriesContext(connection) as page:
        response = client.get(call.url)
    assert response.status_code == 200
    reads = [q["sql"] for q in page.captured_queries if "cms_callcutoff" in q["sql"]]
    assert len(reads) == 1, "\n".join(reads)
    # Then the published page is kept with its cut-offs (cms.routing): none read again.
    with CaptureQueriesContext(connection) as page:
        assert client.get(call.url).status_code == 200
    assert not [q for q in page.captured_queries if "cms_callcutoff" in q["sql"]]
