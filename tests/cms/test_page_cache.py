"""Anonymous pages from the shared cache, never to the wrong visitor, never stale after a
publication or a relève (cms.page_cache)."""

import time
from datetime import timedelta

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import CallPage
from cms.page_cache import used_visitor_data
from search.models import PublicProject

from ..factories import make_call
from ..grants_factories import UserFactory
from ..search.sheets import sheet

CACHE_HEADER = "X-Ruche-Cache"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.RUCHE_PAGE_CACHE_SECONDS = 600
    settings.WAGTAIL_CACHE = True


@pytest.fixture
def call(calls_index):
    now = timezone.now()
    return make_call(
        calls_index,
        title="Télésurveillance en ville",
        opens_at=now - timedelta(days=10),
        cutoffs=[now + timedelta(days=3), now + timedelta(days=40)],
    )


def test_an_anonymous_page_is_served_from_the_cache(client, call):
    first = client.get(call.url)
    assert first[CACHE_HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(call.url)
    assert second[CACHE_HEADER] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    # Browsers ask again each time: after signing in they must not show this copy.
    assert second["Cache-Control"] == "no-cache"
    assert "Expires" not in second


def test_a_copy_from_the_cache_keeps_the_security_headers(client, call):
    first = client.get(call.url)
    second = client.get(call.url)
    assert second[CACHE_HEADER] == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language"):
        assert second[header] == first[header]
    assert "script-src" in second["Content-Security-Policy"]


def test_a_signed_in_visitor_never_gets_the_anonymous_copy(client, call):
    assert client.get(call.url)[CACHE_HEADER] == "miss"
    user = UserFactory(email="alice@example.org")
    client.force_login(user)
    page = client.get(call.url)
    assert page[CACHE_HEADER] == "skip"
    html = page.content.decode()
    # The header shows the signed-in visitor's links, and the page its own form.
    assert "Se déconnecter" in html and "Mon espace" in html
    assert "Se connecter" not in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert page["Cache-Control"] == "private, no-cache"


def test_an_anonymous_visitor_never_gets_a_signed_in_copy(client, call):
    client.force_login(UserFactory(email="bob@example.org"))
    assert client.get(call.url)[CACHE_HEADER] == "skip"
    client.logout()
    page = client.get(call.url)
    assert page[CACHE_HEADER] == "miss"
    html = page.content.decode()
    assert "Se connecter" in html and "Se déconnecter" not in html
    # No token in a page every anonymous visitor shares: « Déposer un dossier » signs in.
    assert "csrfmiddlewaretoken" not in html
    assert f'name="next" value="{call.url}"' in html


def test_publishing_a_page_shows_the_new_version(client, call):
    client.get(call.url)
    assert client.get(call.url)[CACHE_HEADER] == "hit"
    page = CallPage.objects.get(pk=call.pk)
    page.title = "Télésurveillance à domicile"
    page.save_revision().publish()
    fresh = client.get(call.url)
    assert fresh[CACHE_HEADER] == "miss"
    assert "Télésurveillance à domicile" in fresh.content.decode()


def test_unpublishing_a_page_removes_it(client, call):
    client.get(call.url)
    CallPage.objects.get(pk=call.pk).unpublish()
    assert client.get(call.url).status_code == 404


def page_expiries() -> list[float]:
    """When the cached pages (not the fragments beside them) expire."""
    store = caches["pages"]
    return [at for key, at in store._expire_info.items() if ".cache_page." in key]


def test_an_open_call_is_kept_until_its_next_relève_only(client, calls_index):
    now = timezone.now()
    soon = make_call(
        calls_index,
        title="Relève imminente",
        opens_at=now - timedelta(days=10),
        cutoffs=[now + timedelta(seconds=30), now + timedelta(days=40)],
    )
    caches["pages"].clear()
    assert client.get(soon.url)[CACHE_HEADER] == "miss"
    # Local memory keeps each entry's expiry: the page's does not outlive the relève.
    assert max(page_expiries()) <= time.time() + 31


def test_lists_of_calls_expire_at_the_next_change_of_any_call(client, calls_index):
    now = timezone.now()
    make_call(
        calls_index,
        title="Ouvre bientôt",
        opens_at=now + timedelta(seconds=20),
        cutoffs=[now + timedelta(days=40)],
    )
    caches["pages"].clear()
    assert client.get(calls_index.url)[CACHE_HEADER] == "miss"
    assert max(page_expiries()) <= time.time() + 21


def test_a_visitor_with_a_message_gets_a_fresh_page_not_cached(client, call):
    user = UserFactory(email="carol@example.org")
    client.force_login(user)
    client.post("/compte/logout/")  # « Vous êtes déconnecté » waits for the next page
    page = client.get(call.url)
    assert page[CACHE_HEADER] == "skip"  # computed for this visitor, past the cache
    assert "déconnecté" in page.content.decode().lower()
    # Neither served from nor stored in the cache: the next visitor has no such message.
    other = Client().get(call.url)
    assert other[CACHE_HEADER] in ("miss", "hit")
    assert "déconnecté" not in other.content.decode().lower()


def test_a_page_that_showed_messages_is_not_stored(rf, call):
    request = rf.get(call.url)
    request.session = {}
    request._messages = FallbackStorage(request)
    request._messages.add(message_levels.INFO, "Bonjour")
    list(request._messages)
    assert used_visitor_data(request)


def test_the_catalogue_first_page_follows_publications(client, db):
    project = sheet("Histologie assistée")
    assert client.get("/catalogue/")[CACHE_HEADER] == "miss"
    assert client.get("/catalogue/")[CACHE_HEADER] == "hit"
    assert client.get(f"/catalogue/projets/{project.slug}/")[CACHE_HEADER] == "miss"
    project.status = PublicProject.Status.DRAFT
    project.save()
    assert client.get("/catalogue/")[CACHE_HEADER] == "miss"
    assert client.get(f"/catalogue/projets/{project.slug}/").status_code == 404
    # Filtered pages are computed each time.
    assert CACHE_HEADER not in client.get("/catalogue/?q=histologie")


def test_a_miss_leaves_the_request_as_sent(rf):
    """The cache's key ignores tracking parameters and foreign cookies; the page itself, and
    any view behind the lookup, still gets them."""
    from cms.page_cache import AnonymousPageCacheMiddleware

    seen = {}

    def view(request):
        seen["GET"], seen["COOKIES"] = request.GET.copy(), dict(request.COOKIES)
        return HttpResponse("ok")

    request = rf.get("/une-page/?utm_source=lettre&q=sante")
    request.COOKIES["preference"] = "contraste"
    AnonymousPageCacheMiddleware(view)(request)
    assert seen["GET"]["utm_source"] == "lettre" and seen["GET"]["q"] == "sante"
    assert seen["COOKIES"] == {"preference": "contraste"}
