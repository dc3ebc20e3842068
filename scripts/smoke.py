"""Production smoke test: Ruche as deployed, driven over HTTP like a person would.

Starts a test SMTP server (aiosmtpd), gunicorn with ``ruche.settings.production`` and one
``db_worker`` on a fresh PostgreSQL database, then: sign-up → the verification email's link
→ organisation → draft (every section, two PDF attachments) → submission. Checks that the
receipt email arrives with its PDF, that /sante/ says ok, and that nothing answered 5xx.
Requests carry ``X-Forwarded-Proto: https`` as the reverse proxy would.

    .venv/bin/python scripts/smoke.py          (scripts/smoke wraps it)

Environment: SMOKE_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/ruche_smoke; dropped and
created, then kept for the restore drill), SMOKE_REDIS_URL (optional: the shared cache).
The environment of the run is written to var/smoke/ruche.env for ``scripts/restore-drill``.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests
from stdnum import luhn
from weasyprint import HTML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import SmtpServer, free_port  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
EMAIL, PASSWORD = "smoke.candidat@example.org", "Ruche-fumee-2026!"
SETUP = """
import django
django.setup()
from datetime import timedelta
from django.utils import timezone
from tests.factories import ThemeFactory, build_site, make_call
now = timezone.now()
call = make_call(build_site(), title="Appel de fumée", opens_at=now - timedelta(days=1),
                 cutoffs=[now + timedelta(days=30)], max_amount_per_project=500_000)
call.themes.set([ThemeFactory(name="Télésurveillance médicale", slug="telesurveillance-medicale")])
call.save_revision().publish()
print(call.pk)
"""


class Failed(Exception):
    pass


def step(message: str) -> None:
    print(f"  - {message}", flush=True)


class Browser:
    """requests, with what the reverse proxy adds (HTTPS) and the cookies a browser keeps."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()
        self.origin = "https://" + urlsplit(base).netloc
        self.statuses: list[tuple[int, str]] = []

    def _headers(self, path: str) -> dict:
        # The cookies are Secure: TLS ends at the proxy, so they are sent here by hand.
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        return {
            "Cookie": cookies,
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": self.origin + path,
            "Accept-Language": "fr",
        }

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.session.get(
            self.base + path, headers=self._headers(path), allow_redirects=False, timeout=60
        )
        self.statuses.append((response.status_code, f"GET {path}"))
        return response

    def post(self, path: str, data=None, files=None) -> requests.Response:
        token = self.session.cookies.get("csrftoken") or self.get(path).cookies.get("csrftoken")
        response = self.session.post(
            self.base + path,
            data={**(data or {}), "csrfmiddlewaretoken": token or ""},
            files=files,
            headers=self._headers(path),
            allow_redirects=False,
            timeout=60,
        )
        self.statuses.append((response.status_code, f"POST {path}"))
        return response


def expect_redirect(response: requests.Response, to: str | None = None) -> str:
    if response.status_code != 302:
        raise Failed(f"{response.request.method} {response.url}: {response.status_code}")
    location = urlsplit(response.headers["Location"]).path
    if to and not location.startswith(to):
        raise Failed(f"{response.url} redirected to {location}, expected {to}")
    return location


def fresh_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def siren_and_siret() -> tuple[str, str]:
    siren = "83" + f"{secrets.randbelow(10**6):06d}"
    siren += luhn.calc_check_digit(siren)
    siret = siren + "0001"
    return siren, siret + luhn.calc_check_digit(siret)


def pdf(text: str) -> bytes:
    return HTML(string=f"<h1>{text}</h1><p>Pièce du dossier de fumée.</p>").write_pdf()


def wait_for_mail(smtp: SmtpServer, subject_part: str, timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in smtp.received:
            if subject_part in " ".join(str(message["Subject"]).split()):
                return message
        time.sleep(0.2)
    raise Failed(f"no email « {subject_part} » within {timeout:.0f} s")


def journey(browser: Browser, smtp: SmtpServer, call_id: int) -> None:
    expect_redirect(
        browser.post(
            "/compte/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
        ),
        "/compte/confirm-email/",
    )
    step("inscription : 302 vers /compte/confirm-email/")
    verification = wait_for_mail(smtp, "Confirmez votre adresse")
    link = re.search(r"https?://\S+(/compte/confirm-email/\S+/)", verification.get_content())
    if not link:
        raise Failed("no verification link in the email")
    step(f"courriel de vérification reçu par SMTP : {verification['Subject']}")
    if browser.get(link[1]).status_code != 200:
        raise Failed("verification page did not answer 200")
    # Sign-in lands on /accueil/, which sends each person where their work is.
    expect_redirect(browser.post(link[1]), "/accueil/")
    expect_redirect(browser.get("/accueil/"), "/espace/")
    step("lien de vérification suivi : adresse vérifiée, connecté, envoyé vers son espace")

    siren, siret = siren_and_siret()
    organisation = {
        "legal_name": "Fumée Santé SAS",
        "siren": siren,
        "siret": siret,
        "legal_form": "sas",
        "size": "startup",
        "creation_date": "2021-03-01",
        "region": "11",
        "address": "12 rue de la Santé",
        "postcode": "75013",
        "city": "Paris",
    }
    expect_redirect(browser.post("/espace/organisation/nouvelle/", organisation), "/espace/")
    step(f"organisation créée (SIREN {siren})")

    section = expect_redirect(browser.post(f"/espace/appels/{call_id}/candidater/"))
    pk = int(re.search(r"/candidatures/(\d+)/", section)[1])
    step(f"brouillon n° {pk} ouvert")
    for slug, data in sections().items():
        response = browser.post(f"/espace/candidatures/{pk}/sections/{slug}/", data)
        expect_redirect(response)
    for slot, name in (("pitch_deck", "pitch.pdf"), ("kbis", "kbis.pdf")):
        files = {"file": (name, pdf(slot), "application/pdf")}
        expect_redirect(browser.post(f"/espace/candidatures/{pk}/pieces/", {"slot": slot}, files))
    review = browser.get(f"/espace/candidatures/{pk}/depot/")
    if "Votre dossier est complet" not in review.text:
        raise Failed("the review page does not say the draft is complete")
    step(f"{len(sections())} sections enregistrées, 2 pièces jointes vérifiées : dossier complet")

    # The confirmation page refuses a submission whose box is not ticked; the declarations on
    # honour it shows are signed there, with the signatory's role.
    if browser.post(f"/espace/candidatures/{pk}/deposer/").status_code != 400:
        raise Failed("a submission without the confirmation box was not refused")
    confirmation = browser.get(f"/espace/candidatures/{pk}/deposer/").text
    declarations = sorted(set(re.findall(r'name="(declaration__[^"]+)"', confirmation)))
    if not declarations:
        raise Failed("the confirmation page shows no declaration on honour to sign")
    signed = {name: "on" for name in declarations} | {"role": "Présidente", "confirm": "yes"}
    followup = expect_redirect(browser.post(f"/espace/candidatures/{pk}/deposer/", signed))
    step(f"{len(declarations)} déclarations sur l'honneur signées")
    if "Votre dossier est déposé" not in browser.get(followup).text:
        raise Failed("the follow-up page does not confirm the submission")
    step("dossier déposé")
    receipt = wait_for_mail(smtp, "Récépissé de dépôt")
    [attachment] = list(receipt.iter_attachments())
    content = attachment.get_content()
    if attachment.get_content_type() != "application/pdf" or not content.startswith(b"%PDF-"):
        raise Failed("the receipt email has no PDF")
    step(
        f"récépissé reçu par SMTP : {' '.join(str(receipt['Subject']).split())} "
        f"({attachment.get_filename()}, {len(content) // 1024} Kio)"
    )
    download = browser.get(f"/espace/candidatures/{pk}/recepisse.pdf")
    if download.status_code != 200 or not download.content.startswith(b"%PDF-"):
        raise Failed("the receipt PDF cannot be downloaded")


def sections() -> dict[str, dict]:
    def formset(prefix: str, rows: list[dict]) -> dict:
        data = {
            f"{prefix}-TOTAL_FORMS": str(len(rows) + 1),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "200",
        }
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
        return data

    return {
        "projet": {
            "title": "Fumée Cardio",
            "acronym": "FC",
            "summary": "Télésurveillance des insuffisants cardiaques à domicile.",
            "problem": "Réhospitalisations évitables.",
            "innovation": "Alertes précoces validées cliniquement.",
            "target_users": ["patients"],
            "theme": "telesurveillance-medicale",
            "trl": "6",
            "outcomes": "Baisse de 20 % des réhospitalisations.",
            "duration_months": "24",
        },
        "equipe": {
            "lead-name": "Camille Martin",
            "lead-email": "camille@fumee.example",
            **formset("members", [{"name": "Inès", "role": "CTO"}]),
            **formset("partners", []),
        },
        "budget": {
            **formset("lines", [{"category": "staff", "description": "Dev", "amount": "600000"}]),
            **formset("cofunding", []),
            "amount_requested": "250000",
        },
        "ethique": {
            "processes_health_data": "true",
            "business_model": "Abonnement",
            "uses_ai": "false",
        },
        "securite": {"hosts_health_data": "false"},
        "interoperabilite": {"identifies_patients": "true", "uses_ins": "true"},
    }


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own commands)
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def wait_healthy(browser: Browser, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = browser.get("/sante/")
            if response.status_code == 200:
                return response.json()
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise Failed("/sante/ did not answer 200")
        time.sleep(0.5)


def main() -> int:
    database = os.environ.get(
        "SMOKE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/ruche_smoke"
    )
    var = ROOT / "var" / "smoke"
    var.mkdir(parents=True, exist_ok=True)
    port = free_port()
    smtp = SmtpServer().start()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(var)),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "ruche.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "RUCHE_AUDIT_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RUCHE_BASE_URL": f"https://127.0.0.1:{port}",
        "DJANGO_EMAIL_HOST": smtp.host,
        "DJANGO_EMAIL_PORT": str(smtp.port),
        "DJANGO_STATIC_ROOT": str(var / "static"),
        "DJANGO_MEDIA_ROOT": str(var / "media"),
        "RUCHE_PRIVATE_ROOT": str(var / "private"),
        "RUCHE_LOG_FORMAT": "json",
        "DJANGO_LOG_LEVEL": "INFO",
    }
    if os.environ.get("SMOKE_REDIS_URL"):
        env["REDIS_URL"] = os.environ["SMOKE_REDIS_URL"]
    # The deployment's environment file, as /etc/ruche/ruche.env would be: the restore drill
    # (scripts/restore-drill var/smoke/ruche.env) backs up and restores what this run left.
    keep = {k: v for k, v in env.items() if k not in ("PATH", "HOME", "PYTHONPATH")}
    (var / "ruche.env").write_text("".join(f"{k}={v}\n" for k, v in keep.items()))
    processes: list[subprocess.Popen] = []
    access_log = var / "access.log"
    try:
        print(f"==> Base {database} (neuve), SMTP {smtp.host}:{smtp.port}", flush=True)
        fresh_database(database)
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        call_id = int(
            subprocess.run(  # noqa: S603
                [PYTHON, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
            ).stdout.split()[-1]
        )
        gunicorn = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "ruche.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            f"--access-logfile={access_log}",
            "--access-logformat=%(s)s %(m)s %(U)s",
        ]
        processes.append(start(gunicorn, env, var / "gunicorn.log"))
        worker = [*manage, "db_worker", "--queue-name", "*", "--interval", "0.5"]
        processes.append(start([*worker, "--no-startup-delay"], env, var / "worker.log"))
        browser = Browser(f"http://127.0.0.1:{port}")
        wait_healthy(browser)
        print(f"==> gunicorn (2 workers, production) sur :{port}, 1 db_worker", flush=True)

        journey(browser, smtp, call_id)

        health = wait_healthy(browser)
        checks = ", ".join(f"{name} {check['detail']}" for name, check in health["checks"].items())
        step(f"/sante/ : {health['status']} ({checks})")
        served = [line.split(" ", 1) for line in access_log.read_text().splitlines() if line]
        errors = [line for line in served if line[0].startswith("5")]
        if errors:
            raise Failed(f"5xx answered: {errors}")
        step(f"{len(served)} réponses de gunicorn, aucune en 5xx")
        print("SMOKE OK", flush=True)
        return 0
    except (Failed, subprocess.CalledProcessError) as error:
        print(f"!! SMOKE FAILED: {error}", flush=True)
        for log in ("gunicorn.log", "worker.log"):
            print(f"--- {log} (fin)")
            print(
                "\n".join((var / log).read_text().splitlines()[-40:])
                if (var / log).exists()
                else ""
            )
        return 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        smtp.stop()


if __name__ == "__main__":
    sys.exit(main())
