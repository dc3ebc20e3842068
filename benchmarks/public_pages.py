"""Public pages fast: each page against a plain Django view in the same run (issue 14).

Starts gunicorn (production settings, PostgreSQL with the demo content of ``load_demo``, Redis
on a free port when ``redis-server`` is installed) and a load generator on loopback (wrk when
installed, else a Python one), then prints, per page, requests per second, the ratio to a
plain Django view returning a small template, p50/p95 latency and SQL queries:

- uncached render: the page cache off (``RUCHE_PAGE_CACHE_SECONDS=0``), anonymous;
- anonymous cached: the page cache on (the default);
- signed-in pages: the applicant's dashboard and a form section, the back office's queue with
  1,000 submitted applications (p95);
- the same query counts with 10x the calls, relèves, sheets (and 100 vs 1,000 applications).

    .venv/bin/python benchmarks/public_pages.py                  # ~6 minutes
    .venv/bin/python benchmarks/public_pages.py --seconds 3 --no-scale   # quicker

The database is dropped and Redis stopped at the end (``--keep`` keeps the database).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]  # the script's helpers, then this checkout's apps

from loadgen import Rate, fetch, load  # noqa: E402
from pages_data import (  # noqa: E402
    count_queries,
    data_sizes,
    find_pages,
    scale_data,
    seed_applications,
    setup_django,
)
from pgdatabase import drop_database, recreate_database  # noqa: E402
from submission_surge import (  # noqa: E402
    STATIC_CACHE,
    free_port,
    static_is_fresh,
    stop_gunicorn,
    tail,
)

PASSWORD = "ruche-demo-2026"  # noqa: S105 - the demo's documented password
PLAIN = "/bench/template/"
PLAIN_LABEL = "plain view (small template)"
TARGETS = {"uncached": 0.3, "cached": 0.8, "queries": 10, "signed_in_p95_ms": 100.0}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per page and mode")
    parser.add_argument("--connections", type=int, default=4, help="for the public pages")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--applications", type=int, default=1000, help="in the staff queue")
    parser.add_argument("--scale", type=int, default=10, help="data multiplier of the 2nd run")
    parser.add_argument("--no-scale", action="store_true", help="skip the scaled data run")
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/ruche_bench_pages"
    )
    parser.add_argument("--redis-url", default="", help="an existing Redis (else one is started)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


# -- Environment and servers ------------------------------------------------------------------


def bench_env(database_url: str, redis_url: str, tmp: Path) -> dict[str, str]:
    """Production settings (bench_settings adds the baseline views); one secret for every
    process, so that the sessions made here are valid in gunicorn."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "RUCHE_CACHE_PREFIX": f"bench{os.getpid()}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48)[:64],
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        # The staff's queue is measured with a plain session, not behind a second factor.
        "RUCHE_REQUIRE_MFA": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # The demo's catalogue is indexed as it loads; nothing is queued during the runs.
        "RUCHE_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "RUCHE_PRIVATE_ROOT": str(tmp / "private"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_STATIC_ROOT": str(STATIC_CACHE),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
    }


def manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(  # noqa: S603 - our interpreter, manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_redis() -> tuple[subprocess.Popen | None, str]:
    binary = shutil.which("redis-server")
    if not binary:
        return None, ""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, fixed arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            HTTPConnection("127.0.0.1", port, timeout=0.2).connect()
            break
        except OSError:
            time.sleep(0.05)
    return process, f"redis://127.0.0.1:{port}/0"


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
            [str(gunicorn), "ruche.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{tail(log)}")
        try:
            fetch(port, "/bench/plain/")
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer:\n{tail(log)}")


# -- Runs -------------------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    sizes: str
    rates: dict[str, Rate] = field(default_factory=dict)


def measure(
    env: dict[str, str],
    args: argparse.Namespace,
    pages: dict[str, tuple[str, str, int]],
    log: Path,
) -> dict[str, Rate]:
    """pages: label -> (path, cookie, connections); gunicorn stopped at the end."""
    port = free_port()
    server = start_gunicorn(env, port, args.workers, log)
    rates = {}
    try:
        for label, (path, cookie, connections) in pages.items():
            baseline = 0.0
            if path != PLAIN and not cookie:
                # The plain view again just before: the machine's load drifts during a run.
                baseline = load(port, PLAIN, args.seconds / 2, connections).rps
            rates[label] = load(port, path, args.seconds, connections, cookie)
            rates[label].baseline = baseline
            print(
                f"    {label:<30} {rates[label].rps:8.1f} req/s (plain {baseline:.1f})", flush=True
            )
    finally:
        stop_gunicorn(server)
    return rates


def ratio_of(run: Run, label: str) -> float:
    rate = run.rates[label]
    return rate.rps / (rate.baseline or run.rates[PLAIN_LABEL].rps)


def report(runs: list[Run], counts: dict[str, dict[str, int]], signed: list[str]) -> bool:
    ok = True
    for run in runs:
        plain = run.rates.get(PLAIN_LABEL)
        print(f"\n{run.label} — {run.sizes}")
        head = (
            f"{'page':<30} {'req/s':>8} {'plain':>7} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'errors':>6}"
        )
        print(head + "\n" + "-" * len(head))
        for label, rate in run.rates.items():
            base = rate.baseline or (plain.rps if plain else 0.0)
            ratio = rate.rps / base if base and label not in signed else float("nan")
            print(f"{label:<30} {rate.rps:8.1f} {base:7.1f} {ratio:6.2f} {rate.p50:7.1f} "
                  f"{rate.p95:7.1f} {rate.errors:>6}")  # fmt: skip
    print("\nSQL queries per request (fragments warm; anonymous unless signed in)")
    columns = list(counts)
    print(f"{'page':<30} " + " ".join(f"{c:>18}" for c in columns))
    for label in counts[columns[0]]:
        print(f"{label:<30} " + " ".join(f"{counts[c].get(label, 0):>18}" for c in columns))
    print("\nTargets (issue 14)")
    verdicts = []
    by_label = {run.label: run for run in runs}
    uncached, cached = by_label.get("uncached render"), by_label.get("anonymous, page cache")
    first = counts[columns[0]]
    for label in first:
        if label.startswith("plain") or label in signed or label.startswith("cached hit"):
            continue
        if uncached:
            ratio = ratio_of(uncached, label)
            verdicts.append((f"{label}: uncached {ratio:.2f}x the plain view (>= 0.3)",
                             ratio >= TARGETS["uncached"]))  # fmt: skip
        if cached:
            ratio = ratio_of(cached, label)
            verdicts.append((f"{label}: cached {ratio:.2f}x the plain view (>= 0.8)",
                             ratio >= TARGETS["cached"]))  # fmt: skip
    for label in first:
        if label.startswith("plain"):
            continue
        values = [counts[c].get(label) for c in columns if label in counts[c]]
        shown = " / ".join(map(str, values))
        if label in signed:  # signed-in pages: constant in the data size
            verdicts.append((f"{label}: {shown} queries (constant)", len(set(values)) == 1))
            continue
        verdicts.append((f"{label}: {shown} queries (<= 10, constant)",
                         max(values) <= TARGETS["queries"] and len(set(values)) == 1))  # fmt: skip
    if uncached:
        for label in signed:
            if label in uncached.rates:
                p95 = uncached.rates[label].p95
                verdicts.append((f"{label}: p95 {p95:.1f} ms (<= 100)",
                                 p95 <= TARGETS["signed_in_p95_ms"]))  # fmt: skip
    for text, good in verdicts:
        ok &= good
        print(f"  {'OK  ' if good else 'MISS'} {text}")
    return ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="ruche-bench-pages-"))
    redis, redis_url = (None, args.redis_url) if args.redis_url else start_redis()
    env = bench_env(args.database_url, redis_url, tmp)
    print(f"Redis: {redis_url or 'none (per-process memory)'}; load: "
          f"{'wrk' if shutil.which('wrk') else 'Python threads'}", flush=True)  # fmt: skip
    runs: list[Run] = []
    sizes: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    signed_labels: list[str] = []
    try:
        print(f"Database {args.database_url}: migrate, demo…", flush=True)
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput")
        if not static_is_fresh():
            manage(env, "collectstatic", "--noinput")
        manage(env, "load_demo", "--admin-password", PASSWORD, "--applicant-password", PASSWORD)
        setup_django(env)
        seed_applications(args.applications // 10)
        site = find_pages()
        signed_labels = list(site.signed_in)
        small, large = "1x", f"x{args.scale}"
        sizes = {small: data_sizes()}
        counts[small] = {label: count_queries(path) for label, path in site.public.items()}
        counts[small] |= {label: count_queries(*pc) for label, pc in site.signed_in.items()}
        counts[small]["cached hit (call page)"] = count_queries(
            site.public["call page (open)"], page_cache=True
        )
        seed_applications(args.applications)
        public = {label: (path, "", args.connections) for label, path in site.public.items()}
        # Two connections for two workers: the latency is the server's time.
        signed = {label: (path, cookie, 2) for label, (path, cookie) in site.signed_in.items()}
        log = tmp / "gunicorn.log"
        run = Run("uncached render", data_sizes())
        print(f"{run.label}: {run.sizes}", flush=True)
        run.rates = measure({**env, "RUCHE_PAGE_CACHE_SECONDS": "0"}, args, public | signed, log)
        runs.append(run)
        run = Run("anonymous, page cache", data_sizes())
        print(run.label, flush=True)
        run.rates = measure(env, args, public, log)
        runs.append(run)
        if not args.no_scale:
            print(f"Scaling the data x{args.scale}…", flush=True)
            scale_data(args.scale)
            sizes[large] = data_sizes()
            counts[large] = {label: count_queries(path) for label, path in site.public.items()}
            counts[large] |= {label: count_queries(*pc) for label, pc in site.signed_in.items()}
            counts[large]["cached hit (call page)"] = count_queries(
                site.public["call page (open)"], page_cache=True
            )
            run = Run(f"uncached render, data x{args.scale}", data_sizes())
            print(f"{run.label}: {run.sizes}", flush=True)
            run.rates = measure({**env, "RUCHE_PAGE_CACHE_SECONDS": "0"}, args, public, log)
            runs.append(run)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            drop_database(args.database_url)
        shutil.rmtree(tmp, ignore_errors=True)
    print("\nQuery counts were taken with: " + "; ".join(f"{k}: {v}" for k, v in sizes.items()))
    return 0 if report(runs, counts, signed_labels) else 1


if __name__ == "__main__":
    sys.exit(main())
