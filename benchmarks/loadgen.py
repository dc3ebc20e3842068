"""Load generation for the benchmarks: wrk when installed (Debian's package), else keep-alive
connections in Python threads; each gives requests per second and latency percentiles."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from http.client import HTTPConnection

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


# -- Load -------------------------------------------------------------------------------------


@dataclass
class Rate:
    rps: float
    p50: float  # ms
    p95: float  # ms
    errors: int
    baseline: float = 0.0  # the plain view's req/s measured right before, if it was


def load(port: int, path: str, seconds: float, connections: int, cookie: str = "") -> Rate:
    status, _body = fetch(port, path, cookie)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status}")
    if shutil.which("wrk"):
        return _wrk(port, path, seconds, connections, cookie)
    return _python_load(port, path, seconds, connections, cookie)


def _wrk(port: int, path: str, seconds: float, connections: int, cookie: str) -> Rate:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    url = f"http://127.0.0.1:{port}{path}"
    wrk = shutil.which("wrk") or "wrk"
    try:
        for duration in (1, seconds):  # a warm-up, then the measure
            out = subprocess.run(  # noqa: S603 - Debian's wrk, fixed arguments
                [
                    wrk,
                    "-t1",
                    f"-c{connections}",
                    f"-d{duration:.0f}s",
                    "-s",
                    script.name,
                    *headers,
                    url,
                ],  # fmt: skip
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    if not match:
        raise RuntimeError(f"wrk said:\n{out}")
    requests, micros, p50, p95, status_errors, socket_errors = map(int, match.groups())
    return Rate(requests / (micros / 1e6), p50 / 1000, p95 / 1000, status_errors + socket_errors)


def _python_load(port: int, path: str, seconds: float, connections: int, cookie: str) -> Rate:
    """Keep-alive connections in threads, bounded in time."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    headers = {"Cookie": cookie} if cookie else {}

    def worker(until: float) -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < until:
            began = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - began)
                errors[0] += response.status != 200
        conn.close()

    for duration in (1.0, seconds):
        latencies.clear()
        began = time.perf_counter()
        threads = [
            threading.Thread(target=worker, args=(began + duration,)) for _ in range(connections)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.perf_counter() - began
    latencies.sort()
    return Rate(
        len(latencies) / took,
        latencies[len(latencies) // 2] * 1000,
        latencies[int(len(latencies) * 0.95)] * 1000,
        errors[0],
    )
