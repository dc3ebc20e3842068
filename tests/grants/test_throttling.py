"""Failed logins are counted in the shared cache (a real Redis server), per account and client
address: the owner of an account signs in even while a stranger hammers it from elsewhere."""

import pytest
import redis
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache

EMAIL = "dominique.petit@example.org"
PASSWORD = "Ruche-abeilles-2026"
STRANGER, OWNER = "203.0.113.7", "198.51.100.20"
THROTTLED = "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache(settings, redis_url, calls_index):
    settings.CACHES = {
        **settings.CACHES,  # the "pages" cache of public pages stays
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "ruche-tests-throttling",
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner():
    user = get_user_model().objects.create_user("dominique", EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


def log_in(client, password: str, address: str):
    return client.post(
        "/compte/login/", {"login": EMAIL, "password": password}, REMOTE_ADDR=address
    )


def test_a_stranger_is_throttled_in_redis_and_the_owner_still_signs_in(client, owner, redis_url):
    for _attempt in range(5):
        assert THROTTLED not in log_in(client, "devine-devine", STRANGER).content.decode()
    assert THROTTLED in log_in(client, "devine-devine", STRANGER).content.decode()
    # The stranger's right guess is refused too while they are throttled.
    assert THROTTLED in log_in(client, PASSWORD, STRANGER).content.decode()

    # The count lives in Redis, shared by every worker and node.
    server = redis.Redis.from_url(redis_url)
    assert server.keys("ruche-tests-throttling:*login_failed*")

    owner_client = type(client)()
    response = log_in(owner_client, PASSWORD, OWNER)
    assert response.status_code == 302
    assert owner_client.get("/espace/").status_code == 200


def test_one_address_spraying_many_accounts_is_throttled(client, owner):
    for number in range(10):
        client.post(
            "/compte/login/",
            {"login": f"personne{number}@example.org", "password": "x" * 12},
            REMOTE_ADDR=STRANGER,
        )
    assert THROTTLED in log_in(client, "devine-devine", STRANGER).content.decode()
