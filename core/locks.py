"""One run at a time across every node: a lock for periodic jobs.

Each node's timer may start the same job at the same minute. On PostgreSQL the lock is a
session-level advisory lock (released by the server even if the process dies); elsewhere an
atomic ``cache.add`` in the shared cache, with a timeout in case the holder dies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection


def _key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (PostgreSQL's advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(f"ruche:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def single_run(name: str, timeout: int = 3600) -> Iterator[bool]:
    """Yields True to the one caller that holds the lock ``name``, False to the others."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(name)])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])
        return
    key = f"lock:{name}"
    held = cache.add(key, "1", timeout=timeout)
    try:
        yield held
    finally:
        if held:
            cache.delete(key)
