"""Deadline surge: N applicants submit their complete drafts in the last minute before closing.

Runs against a real server (gunicorn, production settings) on PostgreSQL and prints figures:
latency of the submission POST, throughput, errors, then what the database recorded (lost
submissions, duplicate audit entries, queued receipts, audit chain). Target (issue): 1,000
submissions in 60 s, none lost, no error.

    .venv/bin/python benchmarks/submission_surge.py --applicants 1000 --concurrency 50

Steps: (re)create the database, migrate, collect the static files (cached in
var/benchmark-static), seed a call closing ~N/10 + 120 s ahead and N organisations each with a
user, an authenticated session and a complete draft, start gunicorn, GET every confirmation page
(CSRF token), then release every POST at once. gunicorn is stopped and the database dropped at
the end (``--keep`` keeps the database and the applicants' files).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import requests
from pgdatabase import drop_database, recreate_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STATIC_CACHE = ROOT / "var" / "benchmark-static"
TARGET_SUBMISSIONS = 1000
TARGET_SECONDS = 60.0
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# -- Command line and environment -----------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=1000, help="N (default 1000)")
    parser.add_argument("--concurrency", type=int, default=50, help="client threads (default 50)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/ruche_bench",
        help="PostgreSQL database to (re)create and drop (default %(default)s)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the files afterwards"
    )
    args = parser.parse_args(argv)
    if args.applicants < 1 or args.concurrency < 1 or args.workers < 1:
        parser.error("--applicants, --concurrency and --workers must be positive")
    return args


def bench_env(database_url: str, private_root: Path) -> dict[str, str]:
    """The environment of migrate, the seeding (in-process) and gunicorn: production settings."""
    return {
        "DJANGO_SETTINGS_MODULE": "ruche.settings.production",
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48)[:64],
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Receipts are queued to the database (sent by `manage.py db_worker` in production):
        # the benchmark measures the submission, not the email.
        "RUCHE_TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
        "RUCHE_PRIVATE_ROOT": str(private_root),
        "DJANGO_STATIC_ROOT": str(STATIC_CACHE),
        # No real mail leaves the machine even if a task ran.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def child_env(env: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **env, "PYTHONPATH": str(ROOT)}


def manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(  # noqa: S603 - our interpreter, manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=child_env(env),
        check=True,
        stdout=subprocess.DEVNULL,
    )


# -- Database ---------------------------------------------------------------------------------


def static_is_fresh() -> bool:
    """The collected files are reused while no file of site/static is newer than the manifest."""
    manifest = STATIC_CACHE / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    return all(p.stat().st_mtime <= built for p in (ROOT / "site" / "static").rglob("*"))


# -- Seeding (in-process, same environment as the server) -----------------------------------


@dataclass(frozen=True)
class Applicant:
    application_pk: int
    session_key: str


@dataclass(frozen=True)
class Seeded:
    applicants: list[Applicant]
    closing_at: object  # aware datetime of the call's last cut-off
    seconds: float


def seed(count: int) -> Seeded:
    """One open call closing ~count/10 + 120 s from now; per applicant an organisation, its
    owner, an authenticated session and a complete draft (tests/grants_factories)."""
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from grants.models import Membership, Organisation
    from tests.factories import build_site, make_call
    from tests.grants_factories import OrganisationFactory, complete_application

    started = time.perf_counter()
    now = timezone.now()
    closing_at = now + timedelta(seconds=count / 10 + 120)
    User = get_user_model()
    password = make_password("mot-de-passe-solide")  # hashed once: PBKDF2 is slow by design
    with transaction.atomic():
        call = make_call(
            build_site(),
            title="Appel de la dernière minute",
            opens_at=now - timedelta(days=30),
            cutoffs=[closing_at],
        )
        users = User.objects.bulk_create(
            User(
                username=f"surge{i:05d}",
                email=f"surge{i:05d}@startup{i}.example",
                password=password,
            )
            for i in range(count)
        )
        organisations = Organisation.objects.bulk_create(
            OrganisationFactory.build() for _ in range(count)
        )
        Membership.objects.bulk_create(
            Membership(user=u, organisation=o, role=Membership.Role.OWNER)
            for u, o in zip(users, organisations, strict=True)
        )
        applications = [
            complete_application(call, organisation=o, user=u)
            for u, o in zip(users, organisations, strict=True)
        ]
        # Signed-in sessions, as django.contrib.auth.login() would store them.
        store = SessionStore()
        expire = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
        keys = [get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789") for _ in users]
        SessionStore.get_model_class().objects.bulk_create(
            SessionStore.get_model_class()(
                session_key=key,
                session_data=store.encode(
                    {
                        "_auth_user_id": str(user.pk),
                        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                        "_auth_user_hash": user.get_session_auth_hash(),
                    }
                ),
                expire_date=expire,
            )
            for key, user in zip(keys, users, strict=True)
        )
    seconds = time.perf_counter() - started
    applicants = [Applicant(a.pk, key) for a, key in zip(applications, keys, strict=True)]
    return Seeded(applicants, call.closing_at, seconds)


# -- Server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
            [
                str(gunicorn),
                "ruche.wsgi",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
                "--threads",
                "2",
            ],
            cwd=ROOT,
            env=child_env(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop gunicorn ourselves
        )


def wait_until_up(server: subprocess.Popen, base: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{tail(log)}")
        try:
            # The first answer waits for a worker to import Django: be patient.
            requests.get(f"{base}/espace/", allow_redirects=False, timeout=timeout)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{tail(log)}")


def stop_gunicorn(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- Client -----------------------------------------------------------------------------------

_local = threading.local()


def http() -> requests.Session:
    """One requests session per thread, with no cookie jar use: cookies are sent by hand.

    Production cookies are Secure; requests (rightly) does not send them over plain http, so
    the benchmark puts them in the Cookie header itself, as a browser behind TLS would send them.
    """
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def set_cookies(response: requests.Response) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for header in response.raw.headers.getlist("Set-Cookie"):
        jar = SimpleCookie()
        jar.load(header)
        cookies.update({name: morsel.value for name, morsel in jar.items()})
    return cookies


@dataclass
class Prepared:
    applicant: Applicant
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
    error: str = ""


@dataclass(frozen=True)
class Outcome:
    applicant: Applicant
    ok: bool
    latency: float  # seconds, send to full response
    finished: float  # perf_counter at the end
    error: str = ""


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def prepare(base: str, applicant: Applicant) -> Prepared:
    """The applicant opens the confirmation page: session cookie in, CSRF cookie and token out."""
    prepared = Prepared(applicant, {"sessionid": applicant.session_key})
    url = f"{base}/espace/candidatures/{applicant.application_pk}/deposer/"
    try:
        response = http().get(
            url,
            headers={"Cookie": cookie_header(prepared.cookies), "Connection": "close"},
            allow_redirects=False,
            timeout=120,
        )
    except requests.RequestException as error:
        prepared.error = f"GET {type(error).__name__}"
        return prepared
    prepared.cookies.update(set_cookies(response))
    match = CSRF_INPUT.search(response.text)
    if response.status_code != 200 or not match or "csrftoken" not in prepared.cookies:
        prepared.error = f"GET {response.status_code} without the submit form"
    else:
        prepared.token = match.group(1)
    return prepared


def submit(base: str, prepared: Prepared, start: threading.Event) -> Outcome:
    start.wait()
    pk = prepared.applicant.application_pk
    url = f"{base}/espace/candidatures/{pk}/deposer/"
    expected = f"/espace/candidatures/{pk}/"
    sent = time.perf_counter()
    try:
        response = http().post(
            url,
            data={"csrfmiddlewaretoken": prepared.token, "confirm": "yes"},
            headers={
                "Cookie": cookie_header(prepared.cookies),
                "Referer": url,
                "Connection": "close",
            },
            allow_redirects=False,
            timeout=120,
        )
        response.content  # noqa: B018 - the latency includes the whole response body
    except requests.RequestException as error:
        done = time.perf_counter()
        return Outcome(prepared.applicant, False, done - sent, done, type(error).__name__)
    done = time.perf_counter()
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.endswith(expected):
        return Outcome(prepared.applicant, True, done - sent, done)
    where = location.removeprefix(base) or "-"
    where = re.sub(r"/\d+/", "/<pk>/", where)
    return Outcome(
        prepared.applicant, False, done - sent, done, f"{response.status_code} → {where}"
    )


# -- Figures ----------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def database_figures(successes: set[int], closing_at) -> dict:
    from django.db import connections
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from core.vocabulary import ApplicationStatus
    from evaluation import audit
    from evaluation.models import TransitionLog
    from grants.models import Application

    submitted = set(
        Application.objects.filter(status=ApplicationStatus.SUBMITTED).values_list("pk", flat=True)
    )
    late = Application.objects.filter(
        status=ApplicationStatus.SUBMITTED, submitted_at__gte=closing_at
    ).count()
    duplicates = (
        TransitionLog.objects.values("application").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    receipts = DBTaskResult.objects.filter(task_path__endswith=".send_submission_receipt")
    chain = audit.verify()
    figures = {
        "submitted": len(submitted),
        "acknowledged_not_recorded": len(successes - submitted),
        "recorded_not_acknowledged": len(submitted - successes),
        "late": late,
        "audit_entries": TransitionLog.objects.count(),
        "duplicate_audit": duplicates,
        "receipts": receipts.count(),
        "receipt_apps": receipts.values("args_kwargs").distinct().count(),
        "chain_ok": chain.ok,
        "chain_checked": chain.checked,
        "chain_reason": chain.reason or (str(chain.first_broken) if chain.first_broken else ""),
    }
    connections.close_all()
    return figures


def step(label: str, started: float) -> None:
    print(f"  {label:<48}{time.perf_counter() - started:7.1f} s")


# -- Main -------------------------------------------------------------------------------------


def run(args: argparse.Namespace, cleanup: list) -> int:
    n, c = args.applicants, args.concurrency
    work = Path(tempfile.mkdtemp(prefix="ruche-surge-"))
    private_root = work / "private"
    env = bench_env(args.database_url, private_root)
    cleanup.append(lambda: None if args.keep else shutil.rmtree(work, ignore_errors=True))
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    print(f"Ruche deadline surge — {n} applicants, concurrency {c}, {args.workers} workers")
    t = time.perf_counter()
    recreate_database(args.database_url)
    if not args.keep:
        cleanup.append(lambda: drop_database(args.database_url))
    manage(env, "migrate", "--noinput")
    step("database created and migrated", t)

    t = time.perf_counter()
    if static_is_fresh():
        step("static files (cached in var/benchmark-static)", t)
    else:
        manage(env, "collectstatic", "--noinput", "--clear")
        step("static files collected (cached for next runs)", t)

    seeded = seed(n)
    from django.db import connections
    from django.utils import timezone

    connections.close_all()
    print(f"  {f'seeding ({n} complete drafts)':<48}{seeded.seconds:7.1f} s")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / "gunicorn.log"
    t = time.perf_counter()
    server = start_gunicorn(env, port, args.workers, log)
    cleanup.append(lambda: stop_gunicorn(server))
    wait_until_up(server, base, log)
    step(f"gunicorn up on {base}", t)

    pool = ThreadPoolExecutor(max_workers=c)
    start = threading.Event()
    try:
        t = time.perf_counter()
        prepared = list(pool.map(lambda a: prepare(base, a), seeded.applicants))
        get_seconds = time.perf_counter() - t
        step(f"{len(prepared)} confirmation pages fetched (GET, warm-up)", t)
        ready = [p for p in prepared if not p.error]
        errors = Counter(p.error for p in prepared if p.error)

        futures = [pool.submit(submit, base, p, start) for p in ready]
        margin = (seeded.closing_at - timezone.now()).total_seconds()
        burst_start = time.perf_counter()
        start.set()
        outcomes = [f.result() for f in futures]
    finally:
        start.set()  # never leave a thread waiting (Ctrl-C during the warm-up)
        pool.shutdown(cancel_futures=True)
    burst_end = max((o.finished for o in outcomes), default=burst_start)
    duration = burst_end - burst_start

    errors.update(o.error for o in outcomes if not o.ok)
    successes = {o.applicant.application_pk for o in outcomes if o.ok}
    latencies = sorted(o.latency * 1000 for o in outcomes)
    figures = database_figures(successes, seeded.closing_at)
    lost = n - figures["submitted"]
    error_count = sum(errors.values())

    print()
    print(f"applicants             {n}")
    print(f"concurrency            {c} client threads")
    print(f"gunicorn               {args.workers} workers × 2 threads")
    print(f"seeding time           {seeded.seconds:.1f} s")
    print(f"call closes            {margin:.0f} s after the burst started")
    print(f"burst duration         {duration:.2f} s ({len(outcomes)} POSTs)")
    print(
        f"page loads + burst     {get_seconds + duration:.1f} s (GETs then POSTs, not overlapped)"
    )
    print(
        f"throughput             {len(successes) / duration if duration else 0:.1f} submissions/s"
    )
    print(
        "POST latency (ms)      all POSTs: "
        f"p50 {percentile(latencies, 50):.0f} · p95 {percentile(latencies, 95):.0f} · "
        f"p99 {percentile(latencies, 99):.0f} · max {percentile(latencies, 100):.0f}"
    )
    print(f"successful POSTs       {len(successes)} (302 → /espace/candidatures/<pk>/)")
    print(f"errors                 {error_count}")
    for what, count in errors.most_common():
        print(f"    {count:6d} × {what}")
    print("database")
    print(f"  submitted                       {figures['submitted']}")
    print(f"  lost (N − submitted)            {lost}")
    print(f"  acknowledged but not recorded   {figures['acknowledged_not_recorded']}")
    print(f"  recorded but not acknowledged   {figures['recorded_not_acknowledged']}")
    print(f"  submitted at/after the closing  {figures['late']}")
    print(f"  audit entries                   {figures['audit_entries']}")
    print(f"  duplicate audit entries         {figures['duplicate_audit']} applications with > 1")
    print(
        f"  queued receipt tasks            {figures['receipts']} "
        f"({figures['receipt_apps']} distinct applications)"
    )
    chain = "intact" if figures["chain_ok"] else f"BROKEN: {figures['chain_reason']}"
    print(
        f"  audit chain (audit.verify)      {chain} ({figures['chain_checked']} entries verified)"
    )
    if error_count:
        print(f"gunicorn log (tail):\n{tail(log)}")

    sound = (
        error_count == 0
        and lost == 0
        and figures["duplicate_audit"] == 0
        and figures["chain_ok"]
        and figures["late"] == 0
        and figures["receipts"] == figures["submitted"] == figures["receipt_apps"]
    )
    projected = TARGET_SUBMISSIONS / (len(successes) / duration) if successes else math.inf
    if n >= TARGET_SUBMISSIONS:
        met = sound and duration <= TARGET_SECONDS
        verdict = "MET" if met else "NOT MET"
    else:
        met = sound
        verdict = "INCONCLUSIVE (fewer applicants than the target's 1,000)"
    print()
    print(
        f"verdict: target {verdict} — {len(successes)} submitted in {duration:.1f} s "
        f"(1,000 projected in {projected:.1f} s; target ≤ {TARGET_SECONDS:.0f} s), "
        f"{lost} lost, {error_count} errors"
    )
    if args.keep:
        print(f"kept: database {args.database_url}, files {work}")
    return 0 if met else 1


def interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cleanup: list = []
    signal.signal(signal.SIGTERM, interrupted)  # `kill` cleans up like Ctrl-C
    try:
        return run(args, cleanup)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except Exception as error:  # clean up as much as possible
                print(f"cleanup: {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
