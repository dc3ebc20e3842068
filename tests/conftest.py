import pytest

from .factories import build_site
from .search import suites as catalogue_suites


@pytest.fixture
def calls_index(db):
    return build_site()


def pytest_collection_modifyitems(config, items):
    """Tests on the live server last (browser tests, the ProConnect round trips): their
    transactional flush empties tables other tests rely on."""
    browser = [item for item in items if "tests/browser/" in str(item.path)]
    for item in browser:
        item.add_marker(pytest.mark.browser)
    live = [
        item
        for item in items
        if item not in browser and "live_server" in getattr(item, "fixturenames", ())
    ]
    items[:] = [item for item in items if item not in browser and item not in live] + live + browser


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Applicants' files go to a temporary folder in every test."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Fragments and pages cached by one test are not seen by the next (its database was
    rolled back without the signals that start a new content generation)."""
    from django.core.cache import caches

    caches["pages"].clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French: a request under /en/ leaves English active in the thread,
    and ``reverse()`` in the next test would then build /en/ URLs."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it."""
    from .servers import SmtpServer

    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis server (see tests/servers.py); CI must provide one, elsewhere the tests
    that need it are skipped when redis-server is not installed."""
    import os

    from .servers import redis_url_for_tests

    for url in redis_url_for_tests():
        if url is None:
            if os.environ.get("CI"):
                pytest.fail("CI must run Redis: set RUCHE_TEST_REDIS_URL (.ci/run does).")
            pytest.skip("redis-server n'est pas installé (apt-get install redis-server)")
        yield url


def pytest_terminal_summary(terminalreporter):
    """The catalogue's suites per backend (tests/search/suites.py). Here, because this
    conftest is the one the process gathering every worker's results loads."""
    catalogue_suites.summary(terminalreporter)
