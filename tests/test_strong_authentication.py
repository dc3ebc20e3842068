"""Strong authentication where it matters (core/mfa.py), through allauth's real pages: with
RUCHE_REQUIRE_MFA on, staff, committee members and experts cannot work without a second
factor, sign in with it, and confirm it again before a decision; applicants are never forced;
with the setting off nothing changes."""

from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import ReviewerProfile
from evaluation.models import (
    CommitteeDecision,
    CommitteeSession,
    ConflictDeclaration,
    StageOverride,
)
from evaluation.services import fire, submit_application

from .factories import make_call
from .grants_factories import UserFactory, complete_application

PASSWORD = "mot-de-passe-solide"  # UserFactory's
MFA_INDEX = "/compte/2fa/"
REQUIRED_MESSAGE = "activez la double authentification"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache(calls_index):
    """Used TOTP codes and sign-in attempts live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mfa_on(settings):
    settings.RUCHE_REQUIRE_MFA = True


def person(group: str | None = None):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def code_for(secret: str) -> str:
    """What the authenticator app shows now, computed as allauth checks it."""
    return format_hotp_value(hotp_value(secret, next(iter(counters()))))


def with_totp(user) -> str:
    """An authenticator app set up the way allauth's activation page does it."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def sign_in(client, user):
    return client.post("/compte/login/", {"login": user.email, "password": PASSWORD})


def test_staff_without_a_second_factor_is_sent_to_set_one_up_from_every_page(client, mfa_on):
    staff = person(PROGRAMME_WIDE_GROUP)
    sign_in(client, staff)

    for path in ("/gestion/", "/gestion/comite/", "/espace/", "/accueil/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == MFA_INDEX, path
    page = client.get(MFA_INDEX).content.decode()
    assert REQUIRED_MESSAGE in page
    assert "Application d'authentification" in page and "Clés de sécurité" in page
    # Still open: the language switch, the health endpoint, signing out.
    assert client.get("/sante/").status_code in (200, 503)
    assert client.post("/i18n/setlang/", {"language": "fr", "next": "/"})["Location"] == "/"
    assert client.post("/compte/logout/").status_code == 302
    assert client.get("/gestion/")["Location"].startswith("/compte/login/")


def test_after_activating_totp_sign_in_asks_for_the_code_then_the_queues_open(client, mfa_on):
    staff = person(PROGRAMME_WIDE_GROUP)
    sign_in(client, staff)
    # Adding an authenticator asks for the password first (nothing else to confirm with yet).
    response = client.get("/compte/2fa/totp/activate/")
    assert response["Location"].startswith("/compte/reauthenticate/")
    client.post(
        "/compte/reauthenticate/", {"password": PASSWORD, "next": "/compte/2fa/totp/activate/"}
    )
    page = client.get("/compte/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()
    response = client.post("/compte/2fa/totp/activate/", {"code": code_for(secret)})
    assert response["Location"] == "/compte/2fa/recovery-codes/"
    assert client.get("/gestion/").status_code == 200
    client.post("/compte/logout/")
    cache.clear()  # the code just used may not be used twice

    assert sign_in(client, staff)["Location"] == "/compte/2fa/authenticate/"
    assert client.get("/gestion/")["Location"].startswith("/compte/login/")
    response = client.post("/compte/2fa/authenticate/", {"code": code_for(secret)})
    assert response["Location"] == "/accueil/"
    assert client.get("/accueil/")["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200


def test_a_required_second_factor_cannot_be_turned_off_without_another(client, mfa_on):
    staff = person(PROGRAMME_WIDE_GROUP)
    secret = with_totp(staff)
    client.force_login(staff)
    client.post("/compte/2fa/reauthenticate/", {"code": code_for(secret)})
    response = client.post("/compte/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "ajoutez une clé de sécurité avant" in response.content.decode()
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


@pytest.mark.parametrize("role", [COMMITTEE_GROUP, "expert", "superuser"])
def test_committee_experts_and_administrators_are_held_to_it_too(client, mfa_on, role):
    if role == "expert":
        user = person()
        ReviewerProfile.objects.create(user=user)
    elif role == "superuser":
        user = person()
        user.is_superuser = user.is_staff = True
        user.save()
    else:
        user = person(role)
    client.force_login(user)
    assert client.get("/accueil/")["Location"] == MFA_INDEX


def test_an_applicant_is_never_forced(client, mfa_on):
    applicant = person()
    assert sign_in(client, applicant)["Location"] == "/accueil/"
    assert client.get("/espace/").status_code == 200
    assert REQUIRED_MESSAGE not in client.get(MFA_INDEX).content.decode()


def test_with_the_setting_off_nothing_changes(client, settings):
    assert settings.RUCHE_REQUIRE_MFA is False  # development and tests
    staff = person(PROGRAMME_WIDE_GROUP)
    sign_in(client, staff)
    assert client.get("/gestion/").status_code == 200


def test_the_admins_own_sign_in_forms_go_through_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/compte/login/?next=%2Fadmin%2Fpages%2F"
    assert (
        client.get("/django-admin/login/")["Location"] == "/compte/login/?next=%2Fdjango-admin%2F"
    )


# -- Confirmation before sensitive actions ----------------------------------------------------


def open_call(index, **fields):
    now = timezone.now()
    return make_call(
        index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=(),
        **fields,
    )


@pytest.fixture
def waiting_for_committee(calls_index):
    call = open_call(calls_index, budget_envelope=400_000, max_amount_per_project=300_000)
    staff = person(PROGRAMME_WIDE_GROUP)
    application = complete_application(call)
    application = submit_application(application, application.created_by)
    application = fire(application, "start_eligibility_check", staff)
    return fire(application, "send_to_committee", staff, comment="Éligible")


def decision(application) -> dict:
    prefix = f"decision-{application.pk}"
    return {
        "action": "decide",
        "application": application.pk,
        f"{prefix}-outcome": "rejected",
        f"{prefix}-motivation": "Le modèle économique n'est pas démontré.",
        f"{prefix}-amount": "",
    }


def test_a_decision_waits_for_the_second_factor_then_is_made(client, mfa_on, waiting_for_committee):
    application = waiting_for_committee
    member = person(COMMITTEE_GROUP)
    secret = with_totp(member)
    session = CommitteeSession.objects.create(
        call=application.call, title="Comité n° 1", held_on=date.today()
    )
    session.members.add(member)
    ConflictDeclaration.objects.create(
        session=session, application=application, member=member, conflicted=False
    )
    client.force_login(member)
    url = reverse("evaluation:committee_session", args=[session.pk])
    assert client.get(url).status_code == 200  # reading needs no confirmation

    response = client.post(url, decision(application))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/2fa/reauthenticate/?next=")
    application.refresh_from_db()
    assert application.status == S.COMMITTEE
    assert not CommitteeDecision.objects.exists()
    # The password is not enough: its page sends to the second factor's.
    password_page = client.get("/compte/reauthenticate/?next=/gestion/")
    assert password_page["Location"] == "/compte/2fa/reauthenticate/?next=/gestion/"

    page = client.get(response["Location"])
    assert "code" in page.content.decode()
    response = client.post("/compte/2fa/reauthenticate/", {"code": code_for(secret), "next": url})
    # allauth replays the suspended decision once confirmed.
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert CommitteeDecision.objects.get().decided_by == member


def test_a_stage_override_without_a_recent_confirmation_changes_nothing(
    client, mfa_on, calls_index
):
    staff = person(PROGRAMME_WIDE_GROUP)
    with_totp(staff)
    application = complete_application(open_call(calls_index))
    application = submit_application(application, application.created_by)
    client.force_login(staff)
    url = reverse("evaluation:application", args=[application.pk])
    assert client.get(url).status_code == 200

    for data in (
        {"action": "override", "expected_status": application.status, "justification": "Urgent"},
        {"action": "transition", "transition": "start_eligibility_check", "comment": ""},
    ):
        response = client.post(url, data)
        assert response["Location"].startswith("/compte/2fa/reauthenticate/")
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert not StageOverride.objects.exists()
    assert not application.transition_logs.exclude(transition="submit").exists()


def test_without_the_setting_a_decision_needs_no_confirmation(client, waiting_for_committee):
    application = waiting_for_committee
    member = person(COMMITTEE_GROUP)
    session = CommitteeSession.objects.create(
        call=application.call, title="Comité n° 1", held_on=date.today()
    )
    session.members.add(member)
    ConflictDeclaration.objects.create(
        session=session, application=application, member=member, conflicted=False
    )
    client.force_login(member)
    url = reverse("evaluation:committee_session", args=[session.pk])
    assert client.post(url, decision(application))["Location"].startswith(url)
    application.refresh_from_db()
    assert application.status == S.REJECTED


def test_changing_a_users_groups_in_the_admin_asks_for_the_second_factor(client, mfa_on):
    admin = person()
    admin.is_superuser = admin.is_staff = True
    admin.save()
    with_totp(admin)
    target = person()
    client.force_login(admin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[target.pk]),
        {
            "email": target.email,
            "first_name": "Ana",
            "last_name": "Lopez",
            "is_active": "on",
            "groups": [Group.objects.get(name=COMMITTEE_GROUP).pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/2fa/reauthenticate/")
    assert not target.groups.exists()
    assert Authenticator.objects.filter(user=admin).count() == 2  # TOTP and recovery codes


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        ("", ["Double authentification", "Clés de sécurité et passkeys", "Ajouter une clé"]),
        ("/en", ["Two-factor authentication", "Security keys and passkeys", "Add a key"]),
    ],
)
def test_the_setup_pages_speak_french_and_english(client, prefix, texts):
    user = person()
    sign_in(client, user)
    client.post("/compte/reauthenticate/", {"password": PASSWORD})
    index = client.get(f"{prefix}/compte/2fa/").content.decode()
    for text in texts:
        assert text in index
    for path in ("/compte/2fa/totp/activate/", "/compte/2fa/webauthn/add/"):
        page = client.get(f"{prefix}{path}")
        assert page.status_code == 200, path
        assert 'class="fr-btn"' in page.content.decode()
