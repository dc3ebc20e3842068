"""What an operator and a load balancer rely on: the health endpoint, the request id in
responses, and the security headers (Content-Security-Policy with nonces, Permissions-Policy)
on every kind of page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.roles import PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP

from .factories import make_call, paris
from .grants_factories import complete_application

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def test_health_says_ok_when_every_service_answers(client, calls_index):
    response = client.get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue", "search"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_is_degraded_when_the_queue_is_late(client, calls_index, settings):
    """No worker has taken a task for ten minutes: monitoring must see it, but every node
    shares the queue, so the nodes keep serving (200) rather than all leaving the pool."""
    settings.TASKS = DATABASE_QUEUE
    settings.RUCHE_HEALTH_MAX_QUEUE_LAG = 300
    from core.mail import send_email

    result = send_email.enqueue({"subject": "x", "body": "x", "to": ["a@example.org"]})
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=10)
    )
    response = client.get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["queue"] == {
        "ok": False,
        "detail": "oldest task waiting 600 s",
        "ms": body["checks"]["queue"]["ms"],
    }
    assert body["checks"]["database"]["ok"]


def test_health_fails_when_the_shared_cache_is_unreachable(client, calls_index, settings):
    """Redis is down (nothing listens at REDIS_URL): this node cannot throttle logins nor
    read sessions, so it answers 503 and leaves the pool."""
    from .servers import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get("/sante/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["detail"] == "ConnectionError"
    assert body["checks"]["database"]["ok"] is True


def test_the_request_id_from_the_proxy_comes_back_in_the_response(client, calls_index):
    response = client.get("/sante/", HTTP_X_REQUEST_ID="proxy-7f3a9c")
    assert response["X-Request-ID"] == "proxy-7f3a9c"
    assert len(client.get("/sante/")["X-Request-ID"]) == 32  # made up when absent


# -- Security headers on every kind of page ------------------------------------------------


def _user(username: str, group: str | None = None, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "Ruche-abeilles-2026", **extra
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def site_pages(calls_index):
    call = make_call(calls_index, opens_at=paris(2026, 1, 1, 9), cutoffs=[paris(2030, 1, 1, 12)])
    draft = complete_application(call)
    return {
        "anonymous": [
            "/",
            calls_index.url,
            call.url,
            "/catalogue/",
            "/catalogue/api/projets/",
            "/compte/login/",
            "/compte/signup/",
            "/en/",
            "/page-qui-n-existe-pas/",
        ],
        draft.created_by: ["/espace/", f"/espace/dossiers/{draft.pk}/"],
        _user("officer", PROGRAMME_WIDE_GROUP): ["/gestion/", "/gestion/courriels/"],
        _user("expert", REVIEWERS_GROUP): ["/expertise/"],
        _user("root", is_superuser=True, is_staff=True): ["/admin/", "/admin/pages/"],
    }


NONCE = re.compile(r"'nonce-([^']+)'")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.I)


def test_every_page_type_carries_the_policies_and_its_inline_scripts_the_nonce(client, site_pages):
    checked = 0
    for who, urls in site_pages.items():
        client.logout()
        if who != "anonymous":
            client.force_login(who)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code in (200, 404), (url, response.status_code)
            policy = response["Content-Security-Policy"]
            assert "default-src 'self'" in policy and "object-src 'none'" in policy, url
            assert "camera=()" in response["Permissions-Policy"], url
            script_src = policy.split("script-src ")[1].split(";")[0].split()
            if url.startswith("/admin/"):  # Wagtail's date pickers: inline, no other origin
                assert script_src == ["'self'", "'unsafe-inline'"], url
                checked += 1
                continue
            assert script_src[0] == "'self'" and "'unsafe-inline'" not in script_src, url
            html = response.content.decode()
            nonces = NONCE.findall(policy)
            for attributes in INLINE_SCRIPT.findall(html):
                assert nonces and f'nonce="{nonces[0]}"' in attributes, (url, attributes)
            checked += 1
    assert checked == sum(len(urls) for urls in site_pages.values())
