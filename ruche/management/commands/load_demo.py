"""manage.py load_demo [--admin-password …]: the demo site, safe to run again.

Each app loads its own demo data; this command, in the project package above every app, calls
them from the bottom layer up: calls and pages, the applicant, the review grids and experts,
the applications moved through the workflow, the public catalogue.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cms.demo import load_demo
from ethics.demo import load_demo_experts
from evaluation.demo import load_demo_workflow
from evaluation.demo_thread import load_demo_threads
from funding.demo import load_demo_funding
from grants.demo import load_demo_applicant
from grants.services.reference_form import load_pre_proposal_form, load_reference_form
from search.demo import load_demo_catalogue


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration (appels à projets, pages, catalogue des projets "
        "financés). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password",
            help="Crée ou met à jour le super-utilisateur « admin » avec ce mot de passe.",
        )
        parser.add_argument(
            "--applicant-password",
            help="Crée ou met à jour le compte candidat de démonstration avec ce mot de passe.",
        )

    def handle(self, *args, admin_password=None, applicant_password=None, **options):
        # First: the demo calls answer the shipped forms.
        load_reference_form()
        load_pre_proposal_form()
        counts = load_demo()
        message = "Démo chargée : {calls} appels, {operators} opérateurs, {themes} thématiques."
        self.stdout.write(self.style.SUCCESS(message.format(**counts)))
        if admin_password:
            user, _ = get_user_model().objects.get_or_create(
                username="admin", defaults={"email": "admin@ruche.local"}
            )
            user.is_staff = user.is_superuser = True
            user.set_password(admin_password)
            user.save()
            # The admin signs in on the site's page (ruche.views.admin_sign_in), by email.
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            self.stdout.write(f"Administrateur : {user.email} / (mot de passe fourni)")
        if applicant_password:
            self.stdout.write(f"Candidat : {load_demo_applicant(applicant_password)}")
            experts = ", ".join(load_demo_experts(applicant_password))
            self.stdout.write(f"Expertise : {experts}")
            accounts = ", ".join(load_demo_workflow(applicant_password))
            self.stdout.write(f"Instruction : {accounts}")
            projects = ", ".join(load_demo_funding(applicant_password))
            self.stdout.write(f"Suivi des projets financés : {projects}")
            threads = ", ".join(load_demo_threads()) or "déjà chargés"
            self.stdout.write(f"Messages : {threads}")
        # Last: a funded application of the workflow demo, if any, gets its sheet too.
        self.stdout.write(f"Catalogue : {load_demo_catalogue()} projets financés publiés.")
