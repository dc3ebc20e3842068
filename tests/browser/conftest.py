"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Reusable by every journey: ``browser_page`` is a fresh page per test, ``assert_accessible``
runs axe-core in the page and fails on serious or critical violations.
"""

from __future__ import annotations

import os
import shutil

import pytest

from ..factories import ensure_wagtail_root

CHROMIUM = os.environ.get("RUCHE_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
# tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Flags for a closed network: without them chromium keeps calling home and times out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def wagtail_root(transactional_db):
    """The live server reads committed data, so these tests run in transactional mode."""
    ensure_wagtail_root()


@pytest.fixture(scope="session")
def chromium_browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} introuvable : apt-get install chromium (scripts/setup le fait).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser, live_server):
    """Every journey runs under the site's Content-Security-Policy: anything the policy
    blocks (an inline script without the nonce, a file from another origin) fails the test."""
    context = chromium_browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not violations, "Violations de la politique de sécurité du contenu :\n" + "\n".join(
        violations
    )


@pytest.fixture
def assert_accessible():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        results = axe.run(page)
        blocking = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in blocking
        )
        assert not blocking, f"Accessibilité ({page.url}) :\n{details}"

    return check
