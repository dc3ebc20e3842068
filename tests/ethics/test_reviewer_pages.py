"""The reviewer's pages (« Espace expert »): assignments, declaration of interests first, the
grid with the applicant's frozen answers, locking and amendments, others' reviews after one's
own, blind mode, and the cited attachments."""

import html
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from core.roles import PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import CallGrid, Criterion, Review, ReviewerProfile, ReviewGrid
from ethics.services import assign, declare
from evaluation.services import fire, override_stage, submit_application

from ..factories import make_call
from ..grants_factories import UserFactory, attach, complete_application

ANSWER = "aucune revente de données"  # the frozen business-model answer (ethique section)
TEAM_MEMBER = "Inès Diallo"  # a name in the team section


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


def expert(name: str, track: str = "ethics"):
    user = UserFactory(username=name, email=f"{name}@experts.example", first_name=name.title())
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=user, tracks=[track])
    return user


def in_ethics_review(call, staff, hds=True):
    application = complete_application(call)
    if hds:
        attach(application, "hds_certificate", application.created_by, "certificat-hds.pdf")
    application = submit_application(application, application.created_by)
    application = fire(application, "start_eligibility_check", staff)
    return fire(application, "start_ethics_review", staff, comment="Éligible")


def make_grid(call, track="ethics", **call_grid):
    grid = ReviewGrid.objects.create(name=f"Grille {track} {call.pk}", track=track)
    criteria = [
        Criterion.objects.create(
            grid=grid,
            code="E1",
            label="Bénéfice pour les patients",
            guidance="Le bénéfice est mesurable.",
            evidence="Résumé, résultats attendus",
            evidence_keys=["projet.summary", "equipe.members"],
            weight=3,
            order=1,
        ),
        Criterion.objects.create(
            grid=grid,
            code="E3",
            label="Pas d'usage commercial des données",
            evidence_keys=["ethique.business_model", "piece:hds_certificate"],
            weight=3,
            scale="compliance",
            blocking=True,
            order=2,
        ),
        Criterion.objects.create(
            grid=grid,
            code="E5",
            label="Supervision humaine des algorithmes",
            evidence_keys=["ethique.ai_oversight"],
            weight=2,
            allows_not_applicable=True,
            order=3,
        ),
    ]
    return CallGrid.objects.create(call=call, grid=grid, **call_grid), criteria


@pytest.fixture
def setup(calls_index, staff):
    now = timezone.now()
    call = make_call(
        calls_index,
        title="Appel éthique",
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("ethics", "security"),
    )
    call_grid, criteria = make_grid(call)
    application = in_ethics_review(call, staff)
    alice, bob = expert("alice"), expert("bob")
    return SimpleNamespace(
        call=call,
        call_grid=call_grid,
        criteria=criteria,
        application=application,
        staff=staff,
        alice=alice,
        bob=bob,
        a_alice=assign(application, "ethics", alice, staff, due_on=now.date()),
        a_bob=assign(application, "ethics", bob, staff),
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(name, assignment, *args):
    return reverse(f"ethics:{name}", args=[assignment.pk, *args])


def hds(application):
    return application.attachments.get(slot="hds_certificate")


def grid_post(criteria, values, action="save", recommendation="favourable", summary=""):
    data = {"action": action, "recommendation": recommendation, "summary": summary}
    for criterion, value in zip(criteria, values, strict=True):
        data[f"c{criterion.pk}_value"] = value
        data[f"c{criterion.pk}_comment"] = f"Commentaire {criterion.code}"
        data[f"c{criterion.pk}_evidence"] = "on"
    return data


def declared(s, *reviewers):
    for reviewer in reviewers:
        assignment = s.a_alice if reviewer == s.alice else s.a_bob
        declare(assignment, reviewer, conflicted=False)


def submit_as(client, s, reviewer, assignment, values, summary):
    client.force_login(reviewer)
    response = client.post(
        url("review", assignment), grid_post(s.criteria, values, "submit", summary=summary)
    )
    assert response.status_code == 302, text(response)[:2000]


@pytest.mark.django_db
def test_a_reviewer_sees_only_their_assignments(client, setup, staff):
    s = setup
    other_application = in_ethics_review(s.call, staff)
    carol = expert("carol")
    assign(other_application, "ethics", carol, staff)

    assert client.get(reverse("ethics:assignments")).status_code == 302  # login first
    client.force_login(s.alice)
    page = text(client.get(reverse("ethics:assignments")))
    assert s.application.reference in page
    assert other_application.reference not in page
    assert "TeleCardio" in page and s.application.organisation.legal_name in page
    assert "Déclaration d'intérêts attendue" in page
    assert url("declaration", s.a_alice) in page

    client.force_login(UserFactory())
    page = text(client.get(reverse("ethics:assignments")))
    assert "Aucun dossier ne vous est confié" in page


@pytest.mark.django_db
def test_someone_elses_assignment_is_a_404(client, setup):
    s = setup
    declared(s, s.alice)
    client.force_login(s.bob)
    for name, args in (
        ("declaration", ()),
        ("review", ()),
        ("attachment", (hds(s.application).pk,)),
    ):
        assert client.get(url(name, s.a_alice, *args)).status_code == 404
    response = client.post(url("declaration", s.a_alice), {"conflict": "none"})
    assert response.status_code == 404
    s.a_alice.refresh_from_db()
    assert s.a_alice.conflict == "none"


@pytest.mark.django_db
def test_the_declaration_comes_first_and_shows_only_the_title(client, setup):
    s = setup
    client.force_login(s.alice)
    response = client.get(url("review", s.a_alice))
    assert response.status_code == 302 and response.url == url("declaration", s.a_alice)
    assert client.get(url("attachment", s.a_alice, hds(s.application).pk)).status_code == 404

    page = text(client.get(url("declaration", s.a_alice)))
    assert "TeleCardio" in page and "Appel éthique" in page
    assert s.application.organisation.legal_name in page
    assert ANSWER not in page and "Télésurveillance" not in page
    assert "Je n'ai pas de conflit d'intérêts" in page

    response = client.post(url("declaration", s.a_alice), {"conflict": "none"})
    assert response.status_code == 302 and response.url == url("review", s.a_alice)
    page = text(client.get(url("review", s.a_alice)))
    assert ANSWER in page and "Télésurveillance" in page
    assert "critère bloquant" in page and "Sans objet" in page
    assert "5 — exemplaire" in page and "Non conforme" in page
    assert "Sans objet pour ce dossier" in page  # E5 cites the AI answer; no AI here


@pytest.mark.django_db
def test_declaring_a_conflict_blocks_the_review(client, setup):
    s = setup
    client.force_login(s.alice)
    response = client.post(url("declaration", s.a_alice), {"conflict": "conflicted", "reason": ""})
    assert response.status_code == 200
    page = text(response)
    assert "Précisez la nature du conflit" in page and 'href="#id_reason"' in page
    s.a_alice.refresh_from_db()
    assert s.a_alice.conflict == "pending"

    client.post(url("declaration", s.a_alice), {"conflict": "conflicted", "reason": "Ancien DSI"})
    s.a_alice.refresh_from_db()
    assert s.a_alice.conflict == "conflicted" and s.a_alice.conflict_reason == "Ancien DSI"
    page = text(client.get(url("declaration", s.a_alice)))
    assert "confiera cette expertise à un autre expert" in page
    response = client.get(url("review", s.a_alice))
    assert response.status_code == 403
    assert ANSWER not in text(response)
    assert not s.a_alice.reviews.exists()
    # The cited certificate is withheld too.
    assert client.get(url("attachment", s.a_alice, hds(s.application).pk)).status_code == 404


@pytest.mark.django_db
def test_an_assignment_of_another_track_is_a_404(client, setup, staff):
    s = setup
    make_grid(s.call, track="security")
    dora = expert("dora", track="security")
    security = assign(s.application, "security", dora, staff)
    client.force_login(s.alice)
    assert client.get(url("declaration", security)).status_code == 404
    assert client.get(url("review", security)).status_code == 404
    client.force_login(dora)
    assert client.get(url("declaration", security)).status_code == 200


@pytest.mark.django_db
def test_scoring_submitting_locks_the_review(client, setup):
    s = setup
    declared(s, s.alice)
    client.force_login(s.alice)
    review_url = url("review", s.a_alice)
    response = client.post(review_url, grid_post(s.criteria, ["4", "", "na"], summary="Solide"))
    assert response.status_code == 302
    review = s.a_alice.current_review()
    assert {r.criterion.code: r.value for r in review.ratings.select_related("criterion")} == {
        "E1": "4",
        "E3": "",
        "E5": "na",
    }
    page = text(client.get(review_url))
    assert "Note pondérée de votre grille" in page and "80,0 / 100" in page  # 3×4/5 ÷ 3

    # Submitting with E3 unrated is refused, the input is kept and E3 is pointed at.
    data = grid_post(s.criteria, ["5", "", "na"], "submit", summary="Très solide")
    response = client.post(review_url, data)
    page = text(response)
    assert response.status_code == 200 and "Critères non appréciés : E3" in page
    assert "Très solide" in page and f'href="#id_c{s.criteria[1].pk}_value_0"' in page
    review.refresh_from_db()
    assert review.status == "draft"

    data = grid_post(s.criteria, ["5", "compliant", "na"], "submit", summary="Très solide")
    assert client.post(review_url, data).status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted" and review.summary == "Très solide"
    assert review.ratings.get(criterion=s.criteria[1]).comment == "Commentaire E3"
    assert review.ratings.get(criterion=s.criteria[1]).evidence_checked
    page = text(client.get(review_url))
    assert "Enregistrer le brouillon" not in page and "Ouvrir une nouvelle version" in page
    assert "100,0 / 100" in page

    # The locked review refuses another save, whatever is posted.
    response = client.post(review_url, grid_post(s.criteria, ["0", "non_compliant", "0"]))
    assert "Cet avis est rendu" in text(response)
    assert review.ratings.get(criterion=s.criteria[0]).value == "5"


@pytest.mark.django_db
def test_amending_opens_version_2_with_its_reason(client, setup):
    s = setup
    declared(s, s.alice)
    submit_as(client, s, s.alice, s.a_alice, ["4", "compliant", "3"], "Premier avis")
    review_url = url("review", s.a_alice)
    response = client.post(review_url, {"action": "amend", "reason": "  "})
    assert "Indiquez le motif de la modification" in text(response)
    assert s.a_alice.reviews.count() == 1

    response = client.post(review_url, {"action": "amend", "reason": "Pièce relue"})
    assert response.status_code == 302
    current = s.a_alice.current_review()
    assert (current.version, current.status, current.amendment_reason) == (
        2,
        "draft",
        "Pièce relue",
    )
    assert current.ratings.get(criterion=s.criteria[0]).value == "4"
    page = text(client.get(review_url))
    assert "Brouillon — version 2" in page and "Pièce relue" in page
    assert s.a_alice.reviews.get(version=1).status == "submitted"


@pytest.mark.django_db
def test_no_scoring_once_the_application_left_the_stage(client, setup, staff):
    s = setup
    declared(s, s.alice)
    client.force_login(s.alice)
    client.post(url("review", s.a_alice), grid_post(s.criteria, ["3", "partial", "na"]))
    override_stage(s.application, staff, "Avis reçu par courrier, expert indisponible.")
    moved = fire(s.application, "start_security_review", staff, comment="Dérogation")
    assert moved.status == S.SECURITY_REVIEW

    page = text(client.get(url("review", s.a_alice)))
    assert "n'est pas (ou plus) à l'étape" in page
    assert "Enregistrer le brouillon" not in page and "partiellement conforme" in page
    response = client.post(url("review", s.a_alice), grid_post(s.criteria, ["5", "compliant", "5"]))
    assert "n'est pas (ou plus) à l'étape" in text(response)
    review = s.a_alice.current_review()
    assert review.ratings.get(criterion=s.criteria[0]).value == "3"
    response = client.post(
        url("review", s.a_alice), grid_post(s.criteria, ["5", "compliant", "5"], "submit")
    )
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT


@pytest.mark.django_db
def test_others_reviews_appear_only_after_submitting_ones_own(client, setup):
    s = setup
    declared(s, s.alice, s.bob)
    submit_as(client, s, s.alice, s.a_alice, ["5", "compliant", "na"], "Avis d'Alice")
    client.force_login(s.bob)
    page = text(client.get(url("review", s.a_bob)))
    assert "Avis d'Alice" not in page and "Avis des autres experts" not in page

    submit_as(client, s, s.bob, s.a_bob, ["1", "partial", "na"], "Avis de Bob")
    page = text(client.get(url("review", s.a_bob)))
    assert "Avis des autres experts" in page and "Avis d'Alice" in page
    assert "Alice" in page  # names shown: the call is not blind
    # Alice 100, Bob (3×1/5 + 3×0.5) / 6 = 35: mean 67.5, spread 65 > 25.
    assert "67,5 / 100" in page and "65,0 points" in page and "divergence entre experts" in page

    s.call_grid.show_other_reviews = False
    s.call_grid.save()
    page = text(client.get(url("review", s.a_bob)))
    assert "Avis d'Alice" not in page


@pytest.mark.django_db
def test_blind_mode_hides_who_applies(client, setup):
    s = setup
    s.call_grid.blind = True
    s.call_grid.save()
    organisation = s.application.organisation.legal_name
    client.force_login(s.alice)
    page = text(client.get(reverse("ethics:assignments")))
    label = f"Dossier anonymisé n° {s.application.pk}"
    assert label in page and organisation not in page and "TeleCardio" not in page
    page = text(client.get(url("declaration", s.a_alice)))
    assert label in page and organisation not in page and "TeleCardio" not in page

    declared(s, s.alice, s.bob)
    page = text(client.get(url("review", s.a_alice)))
    assert ANSWER in page  # the answers the grid cites, except…
    assert organisation not in page and TEAM_MEMBER not in page and "TeleCardio" not in page
    assert "masqué (expertise à l'aveugle)" in page

    submit_as(client, s, s.alice, s.a_alice, ["5", "compliant", "na"], "Avis A")
    submit_as(client, s, s.bob, s.a_bob, ["4", "compliant", "na"], "Avis B")
    page = text(client.get(url("review", s.a_bob)))
    assert "Avis A" in page and "Expert 1" in page and "Alice" not in page


@pytest.mark.django_db
def test_the_cited_certificate_downloads_for_the_assigned_reviewer_only(client, setup, staff):
    s = setup
    declared(s, s.alice)
    carol = expert("carol")
    conflicted = assign(s.application, "ethics", carol, staff)
    declare(conflicted, carol, conflicted=True, reason="Actionnaire")
    certificate = hds(s.application)

    client.force_login(s.alice)
    page = text(client.get(url("review", s.a_alice)))
    assert url("attachment", s.a_alice, certificate.pk) in page
    response = client.get(url("attachment", s.a_alice, certificate.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "certificat-hds.pdf" in response["Content-Disposition"]
    # Attachments the grid does not cite stay out of reach.
    kbis = s.application.attachments.get(slot="kbis")
    assert client.get(url("attachment", s.a_alice, kbis.pk)).status_code == 404

    client.force_login(carol)
    assert client.get(url("attachment", conflicted, certificate.pk)).status_code == 404
