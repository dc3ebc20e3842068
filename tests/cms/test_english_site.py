"""The English version: its own pages and slugs under /en/, lists, menu and breadcrumbs in the
active language only, and a language selector that leads to the same page's translation."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from cms.demo import load_demo
from cms.models import CallCutoff, CallIndexPage, CallPage, HomePage

from ..factories import make_call, translate


@pytest.fixture
def bilingual(calls_index):
    """A French site and its English translation: home, calls index, an open call, an
    upcoming one and a closed one, each with its English title and slug."""
    now = timezone.now()
    day = timedelta(days=1)
    calls = {
        "open": make_call(
            calls_index, title="Télésurveillance en ville", opens_at=now - day, cutoffs=[now + day]
        ),
        "upcoming": make_call(
            calls_index, title="Médico-social", opens_at=now + day, cutoffs=[now + 9 * day]
        ),
        "closed": make_call(
            calls_index, title="IA et diagnostic", opens_at=now - 9 * day, cutoffs=[now - day]
        ),
    }
    home = translate(calls_index.get_parent(), "home-en", title="Home", hero_title="Digital health")
    index = translate(calls_index, "calls-for-projects", title="Calls for projects")
    english = {
        "open": translate(calls["open"], "remote-monitoring", title="Remote monitoring"),
        "upcoming": translate(calls["upcoming"], "social-care", title="Social care"),
        "closed": translate(calls["closed"], "ai-diagnosis", title="AI and diagnosis"),
    }
    return {"fr": calls, "en": english, "home": home, "index": index}


def titles_listed(response) -> set[str]:
    return {call.title for call in response.context["calls"]}


def language_links(html: str) -> dict[str, str]:
    """The selector's entries: language code → address."""
    return dict(
        (code, url)
        for url, code in re.findall(
            r'class="fr-translate__language[^"]*" href="([^"]*)" hreflang="([a-z]+)"', html
        )
    )


@pytest.mark.django_db
def test_english_pages_have_english_slugs_under_en(client, bilingual):
    call = bilingual["en"]["open"]
    assert call.url == "/en/calls-for-projects/remote-monitoring/"
    page = client.get(call.url).content.decode()
    assert "<h1>Remote monitoring</h1>" in page
    assert 'lang="en"' in page
    # French stays at the root with its own slugs.
    french = bilingual["fr"]["open"]
    assert french.url.startswith("/appels-a-projets/")
    assert "<h1>Télésurveillance en ville</h1>" in client.get(french.url).content.decode()
    assert client.get("/en/").context["page"].title == "Home"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "french", "english"),
    [
        ("open", {"Télésurveillance en ville"}, {"Remote monitoring"}),
        ("upcoming", {"Médico-social"}, {"Social care"}),
        ("closed", {"IA et diagnostic"}, {"AI and diagnosis"}),
    ],
)
def test_a_list_never_shows_both_copies_of_a_call(client, bilingual, status, french, english):
    response = client.get("/appels-a-projets/", {"statut": status})
    assert titles_listed(response) == french
    response = client.get("/en/calls-for-projects/", {"statut": status})
    assert titles_listed(response) == english
    # The tabs count calls, not their copies.
    tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
    assert tabs == {"open": 1, "upcoming": 1, "closed": 1}


@pytest.mark.django_db
def test_each_home_lists_its_own_language_open_calls(client, bilingual):
    english = client.get("/en/")
    assert [c.title for c in english.context["lists"]["open_calls"]] == ["Remote monitoring"]
    assert english.context["lists"]["calls_index"].url == "/en/calls-for-projects/"
    french = client.get("/")
    assert [c.title for c in french.context["lists"]["open_calls"]] == ["Télésurveillance en ville"]
    assert french.context["lists"]["calls_index"].url == "/appels-a-projets/"


@pytest.mark.django_db
def test_menu_and_breadcrumbs_list_the_active_language_pages(client, bilingual):
    page = client.get(bilingual["en"]["open"].url).content.decode()
    menu = page.split('id="navigation"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/en/calls-for-projects/"' in menu and ">Calls for projects<" in menu
    assert "Appels à projets" not in menu
    breadcrumb = page.split("fr-breadcrumb", 1)[1].split("</nav>", 1)[0]
    assert "Calls for projects" in breadcrumb and "Appels à projets" not in breadcrumb
    assert 'fr-breadcrumb__link" href="/en/"' in breadcrumb  # the English home


@pytest.mark.django_db
def test_the_language_selector_leads_to_the_same_call_in_the_other_language(client, bilingual):
    french, english = bilingual["fr"]["open"], bilingual["en"]["open"]
    links = language_links(client.get(french.url).content.decode())
    assert links == {"fr": french.url, "en": english.url}
    response = client.get(links["en"])
    assert response.context["page"].pk == english.pk
    back = language_links(response.content.decode())["fr"]
    assert client.get(back).context["page"].pk == french.pk


@pytest.mark.django_db
def test_the_language_selector_keeps_filters_and_views(client, bilingual):
    links = language_links(client.get("/appels-a-projets/?statut=closed").content.decode())
    assert links["en"] == "/en/calls-for-projects/?statut=closed"
    assert titles_listed(client.get(links["en"])) == {"AI and diagnosis"}
    # A page that is not Wagtail's changes prefix only.
    catalogue = reverse("search:catalogue")
    links = language_links(client.get(catalogue).content.decode())
    assert links == {"fr": "/catalogue/", "en": "/en/catalogue/"}


@pytest.mark.django_db
def test_an_untranslated_page_switches_to_its_nearest_translated_parent(client, bilingual):
    now = timezone.now()
    untranslated = make_call(
        CallIndexPage.objects.get(pk=bilingual["fr"]["open"].get_parent().pk),
        title="Pas encore traduit",
        opens_at=now - timedelta(days=1),
        cutoffs=[now + timedelta(days=5)],
    )
    links = language_links(client.get(untranslated.url).content.decode())
    assert links["en"] == "/en/calls-for-projects/"
    # Nor is it listed among the English calls.
    assert "Pas encore traduit" not in titles_listed(client.get("/en/calls-for-projects/"))


@pytest.mark.django_db
def test_a_translation_copies_the_call_data(bilingual):
    french, english = bilingual["fr"]["open"], bilingual["en"]["open"]
    assert english.reference.pk == french.pk
    assert french.reference.pk == french.pk
    assert [c.closes_at for c in english.sorted_cutoffs()] == [
        c.closes_at for c in french.sorted_cutoffs()
    ]
    assert english.budget_envelope == french.budget_envelope
    assert [t.track for t in english.review_tracks.all()] == [
        t.track for t in french.review_tracks.all()
    ]
    assert list(CallPage.objects.references()) == list(
        CallPage.objects.filter(pk__in=[c.pk for c in bilingual["fr"].values()])
    )


@pytest.mark.django_db
def test_staff_translate_a_whole_tree_from_the_admin(client, calls_index):
    """The admin's « Traduire » (Wagtail's simple translation) copies the home and everything
    under it into English drafts, which the English site shows once published."""
    now = timezone.now()
    call = make_call(
        calls_index, title="Santé mentale", opens_at=now - timedelta(days=1), cutoffs=[now]
    )
    staff = get_user_model().objects.create_superuser("admin", "admin@example.org", "x" * 12)
    client.force_login(staff)
    home = calls_index.get_parent()
    english = Locale.objects.get(language_code="en")
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[home.pk]),
        {"locales": [english.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302

    copies = [page.get_translation(english) for page in (home, calls_index, call)]
    assert HomePage.objects.filter(locale=english).count() == 1
    assert [c.closes_at for c in copies[2].sorted_cutoffs()] == [
        c.closes_at for c in call.sorted_cutoffs()
    ]
    # Drafts until a translator publishes them: nothing new under /en/ meanwhile.
    assert not any(copy.live for copy in copies)
    response = client.get(f"/en/{calls_index.slug}/{call.slug}/")
    assert response.context["page"].pk == call.pk  # the French page, English interface
    for copy in copies:
        copy.specific.save_revision().publish()
    response = client.get(CallPage.objects.get(pk=copies[2].pk).url)
    assert response.status_code == 200
    assert response.context["page"].locale == english


ENGLISH_DEMO_PAGES = {
    "/en/": "Calls for projects in digital health",
    "/en/calls-for-projects/": "Calls for projects",
    "/en/calls-for-projects/living-labs-experimentation/": (
        "Living labs for digital health experimentation"
    ),
    "/en/calls-for-projects/digital-medical-devices/": (
        "Digital medical devices: clinical and health-economic evaluation"
    ),
    "/en/calls-for-projects/digital-health-social-care/": (
        "Digital health in social and medico-social care"
    ),
    "/en/calls-for-projects/ai-diagnostic-support/": (
        "Artificial intelligence for diagnostic support"
    ),
    "/en/calls-for-projects/segur-interoperability/": (
        "Interoperability and health data sharing (Ségur)"
    ),
    "/en/programme/": "The programme",
    "/en/legal-notice/": "Legal notice",
    "/en/accessibility/": "Accessibility statement",
}


def main_text(html: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main).replace("&nbsp;", "\u00a0")


@pytest.mark.django_db
def test_the_demo_is_in_english_under_en(client):
    load_demo()
    for url, title in ENGLISH_DEMO_PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert re.search(rf"<h1[^>]*>{re.escape(title)}</h1>", html), url
        text = main_text(html)
        # English typography: no space before a colon, no French quotation marks.
        assert not re.search(r"[ \u00a0\u202f][:;?!]", text), (url, text)
        assert "«" not in text and "»" not in text, url
    # French at the root, with its slugs, as before.
    assert client.get("/appels-a-projets/tiers-lieux-experimentation/").status_code == 200


@pytest.mark.django_db
def test_the_english_demo_calls_say_what_the_french_ones_say(client):
    load_demo()
    english = CallPage.objects.get(slug="digital-medical-devices")
    french = english.reference
    assert french.slug == "dispositifs-medicaux-numeriques"
    assert english.is_two_stage and english.status() == french.status()
    assert [(c.stage, c.closes_at) for c in english.sorted_cutoffs()] == [
        (c.stage, c.closes_at) for c in french.sorted_cutoffs()
    ]
    assert [c.label for c in english.sorted_cutoffs()] == [
        "Pre-proposals, round 1",
        "Pre-proposals, round 2",
    ]
    for field in ("budget_envelope", "max_amount_per_project", "aid_rate_percent", "opens_at"):
        assert getattr(english, field) == getattr(french, field), field
    assert [c.weight for c in english.criteria.all()] == [c.weight for c in french.criteria.all()]
    assert english.documents.get().document == french.documents.get().document

    page = client.get(english.url).content.decode()
    for expected in [
        "A two-stage call: a four-page pre-proposal",
        "Company registered in France (valid SIRET)",
        "Innovative nature of the solution",
        "25%",
        "Does my hosting provider need HDS certification?",
        "Call specification (in French)",
        "Programme team",
        "Pre-proposals, round 2",
    ]:
        assert expected in page, expected
    footer = page.split('id="footer"', 1)[1]
    assert 'href="/en/accessibility/"' in footer and 'href="/en/legal-notice/"' in footer


@pytest.mark.django_db
def test_the_english_call_follows_the_french_call_data(client, bilingual):
    """Staff move the French call's relève: once published, the English page announces the
    same deadline (and status) while keeping its English text and relève label."""
    french, english = bilingual["fr"]["closed"], bilingual["en"]["closed"]
    english.cutoffs = [
        CallCutoff(stage=c.stage, closes_at=c.closes_at, label="Final cut-off")
        for c in english.sorted_cutoffs()
    ]
    english.save_revision().publish()
    later = timezone.now() + timedelta(days=30)
    french.cutoffs = [CallCutoff(stage=1, closes_at=later, label="Relève finale")]
    french.budget_envelope = 12_000_000
    french.save_revision().publish()

    english = CallPage.objects.get(pk=english.pk)
    assert [(c.closes_at, c.label) for c in english.sorted_cutoffs()] == [(later, "Final cut-off")]
    assert english.budget_envelope == 12_000_000 and english.title == "AI and diagnosis"
    assert titles_listed(client.get("/en/calls-for-projects/")) == {
        "Remote monitoring",
        "AI and diagnosis",
    }
    # Publishing an English draft made before the change does not bring the old data back.
    stale = english.revisions.order_by("created_at").first().as_object()
    stale.save_revision().publish()
    english = CallPage.objects.get(pk=english.pk)
    assert [c.closes_at for c in english.sorted_cutoffs()] == [later]
