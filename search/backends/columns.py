"""Filters, facet counts and sorting of the database backend, on columns held in memory.

Counting six facets over every published sheet with GROUP BY costs hundreds of milliseconds
at 100,000 sheets; the same counts over in-memory arrays (numpy) cost a few. Each process
loads IndexedProject once into arrays, then before each search reads IndexState (one
primary-key read): after a rebuild (new token) it reloads everything, after ordinary writes
(higher version) it patches in only the rows written since. The text match itself stays in
the database engine, which hands over the matched slots and their scores.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.db import connection

from .base import AMOUNT_BANDS, FACETS, FacetValue


@dataclass(frozen=True)
class Match:
    """The sheets a text query matched, as arrays aligned with the columns' slots."""

    mask: np.ndarray  # bool: matched
    scores: np.ndarray  # float64: relevance, 0 where not matched


@dataclass(frozen=True)
class Selection:
    total: int
    ids: list[int]  # the requested page, in order
    scores: list[float]
    facets: dict[str, list[FacetValue]]


def _encode(raw: list, values: list[str]) -> np.ndarray:
    """Codes of ``raw`` facet values into ``values`` (their public strings), which grows with
    any value not seen yet; a missing value gets the code -1."""
    index = {v: i for i, v in enumerate(values)}
    codes = np.empty(len(raw), dtype=np.int32)
    for i, value in enumerate(raw):
        if value is None:
            codes[i] = -1
            continue
        key = str(value)
        if key not in index:
            index[key] = len(values)
            values.append(key)
        codes[i] = index[key]
    return codes


CODED = (("region", 1), ("call", 2), ("year", 3), ("trl", 4))
# published_at as seconds since the epoch, computed by the database: parsing 100,000
# timestamps in Python took half of a full load.
EPOCH = {
    "postgresql": "EXTRACT(EPOCH FROM published_at)::float8",
    "sqlite": "(julianday(published_at) - 2440587.5) * 86400.0",
}
COLUMNS_SQL = (
    "SELECT project_id, region, call_id, year, trl, CAST(amount AS double precision), {epoch}, "
    "theme_ids "
    "FROM search_indexedproject"
)


def _columns_sql(prefix: str = "") -> str:
    epoch = EPOCH.get(connection.vendor, EPOCH["postgresql"])
    return "SELECT " + prefix + COLUMNS_SQL.format(epoch=epoch).removeprefix("SELECT ")


class Columns:
    """The indexed sheets as aligned arrays, one slot per sheet, sorted by id.

    Built from IndexedProject rows (``from_rows``), then kept current with the few rows that
    changed since (``patched``): a publication costs its own rows, not a reload of all."""

    def __init__(self, token: str | None, version: int, theme_slugs: dict[int, str]):
        self.token, self.version, self.theme_slugs = token, version, theme_slugs
        n = 0
        self.ids = np.zeros(n, dtype=np.int64)
        # facet name -> codes per slot, and the public value of each code
        self.codes: dict[str, np.ndarray] = {name: np.zeros(n, np.int32) for name, _ in CODED}
        self.values: dict[str, list[str]] = {name: [] for name, _ in CODED}
        self.amount = np.zeros(n, dtype=np.float64)
        self.published = np.zeros(n, dtype=np.float64)  # -inf: never published, last
        # Themes (several per sheet): a 0/1 matrix, one column per theme (cms.Theme pk in
        # theme_ids); counting them is one matrix-vector product.
        self.theme_ids: list[int] = []
        self.themes = np.zeros((n, 0), dtype=np.float32)

    @classmethod
    def from_rows(
        cls, token: str | None, version: int, rows: list[tuple], theme_slugs: dict[int, str]
    ) -> Columns:
        columns = cls(token, version, theme_slugs)
        columns._append(rows)
        columns._derive()
        return columns

    def patched(
        self, version: int, rows: list[tuple], removed: list[int], theme_slugs: dict[int, str]
    ) -> Columns:
        """A copy with ``rows`` written over (or added to) this one and ``removed`` ids gone;
        ``theme_slugs`` as they are now (a theme may have been created or renamed)."""
        copy = Columns(self.token, version, theme_slugs)
        gone = np.asarray([r[0] for r in rows] + list(removed), dtype=np.int64)
        keep = ~np.isin(self.ids, gone)
        copy.ids = self.ids[keep]
        copy.codes = {name: self.codes[name][keep] for name, _position in CODED}
        copy.values = {name: list(values) for name, values in self.values.items()}
        copy.amount, copy.published = self.amount[keep], self.published[keep]
        copy.theme_ids, copy.themes = list(self.theme_ids), self.themes[keep]
        copy._append(rows)
        copy._derive()
        return copy

    def _append(self, rows: list[tuple]) -> None:
        """Add rows (IndexedProject columns, in COLUMNS_SQL's order) after the current slots."""
        n = len(rows)
        self.ids = np.concatenate([self.ids, np.fromiter((r[0] for r in rows), np.int64, n)])
        for name, position in CODED:
            added = _encode([r[position] for r in rows], self.values[name])
            self.codes[name] = np.concatenate([self.codes[name], added])
        amounts = np.fromiter((float(r[5]) for r in rows), np.float64, n)
        self.amount = np.concatenate([self.amount, amounts])
        # never published (NULL): -inf, last in "newest"
        published = np.fromiter(
            (float("-inf") if r[6] is None else float(r[6]) for r in rows), np.float64, n
        )
        self.published = np.concatenate([self.published, published])
        theme_lists = [[int(t) for t in r[7].split(",") if t] for r in rows]
        column = {t: i for i, t in enumerate(self.theme_ids)}
        for themes in theme_lists:
            for t in themes:
                if t in self.theme_slugs and t not in column:
                    column[t] = len(self.theme_ids)
                    self.theme_ids.append(t)
        added = np.zeros((n, len(self.theme_ids)), dtype=np.float32)
        for row, themes in enumerate(theme_lists):
            for t in themes:
                if t in column:
                    added[row, column[t]] = 1.0
        grown = np.zeros((len(self.themes), len(self.theme_ids)), dtype=np.float32)
        grown[:, : self.themes.shape[1]] = self.themes
        self.themes = np.concatenate([grown, added])

    def _derive(self) -> None:
        """Sort the slots by id, then compute what searches read: orders, bands, slot table."""
        by_id = np.argsort(self.ids, kind="stable")
        self.ids = self.ids[by_id]
        self.codes = {name: codes[by_id] for name, codes in self.codes.items()}
        self.amount, self.published = self.amount[by_id], self.published[by_id]
        self.themes = self.themes[by_id]
        n = len(self.ids)
        # a theme deleted since: no slug, left out of the facet
        self.values["theme"] = [self.theme_slugs.get(t, "") for t in self.theme_ids]
        band = np.zeros(n, dtype=np.int32)
        for i, (_key, low, _high) in enumerate(AMOUNT_BANDS):
            band[self.amount >= float(low)] = i
        self.codes["amount_band"] = band
        self.values["amount_band"] = [key for key, _low, _high in AMOUNT_BANDS]
        # Rank of each slot in the "newest" order (published_at desc, id desc): 0 is newest.
        newest = np.lexsort((-self.ids, -self.published))
        self.newest_rank = np.empty(n, dtype=np.int64)
        self.newest_rank[newest] = np.arange(n)
        by_amount = np.lexsort((self.newest_rank, -self.amount))
        self.amount_rank = np.empty(n, dtype=np.int64)
        self.amount_rank[by_amount] = np.arange(n)
        # Whole orders, for a page of the unfiltered catalogue without sorting anything.
        self.orders = {"newest": newest, "amount": by_amount}
        # id -> slot, as a direct table while ids are dense enough (they are sequences)
        top = int(self.ids[-1]) + 1 if n else 0
        self._slot_of = None
        if top <= max(4 * n, 1024):
            self._slot_of = np.full(top, -1, dtype=np.int64)
            self._slot_of[self.ids] = np.arange(n)

    def __len__(self) -> int:
        return len(self.ids)

    def slots(self, ids: np.ndarray) -> np.ndarray:
        """The slots of these sheet ids; ids not held here are dropped."""
        return self.locate(ids)[0]

    def locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The slots of the ids held here, and which of ``ids`` those are (a boolean mask)."""
        ids = np.asarray(ids, dtype=np.int64)
        if self._slot_of is not None:
            found = np.full(len(ids), -1, dtype=np.int64)
            inside = (ids >= 0) & (ids < len(self._slot_of))
            found[inside] = self._slot_of[ids[inside]]
            held = found >= 0
            return found[held], held
        if not len(self):
            return np.zeros(0, dtype=np.int64), np.zeros(len(ids), dtype=bool)
        found = np.minimum(np.searchsorted(self.ids, ids), len(self) - 1)
        held = self.ids[found] == ids
        return found[held], held

    # -- filters and facets -----------------------------------------------------------------

    def facet_mask(self, name: str, values: tuple[str, ...]) -> np.ndarray | None:
        """Slots that pass one facet's filter (OR within the facet); None for no filter."""
        wanted = {str(v).strip() for v in values if str(v).strip()}
        if not wanted or name not in self.values:
            return None
        picked = [i for i, value in enumerate(self.values[name]) if value in wanted]
        if name == "theme":
            if not picked:
                return np.zeros(len(self), dtype=bool)
            return self.themes[:, picked].any(axis=1)
        return np.isin(self.codes[name], np.asarray(picked, dtype=np.int32))

    def _counts(self, name: str, mask: np.ndarray | None) -> list[FacetValue]:
        """Values with their counts among the slots of ``mask`` (None: every slot)."""
        if name == "theme":
            counts = (
                self.themes.sum(axis=0) if mask is None else mask.astype(np.float32) @ self.themes
            )
        else:
            codes = self.codes[name] if mask is None else self.codes[name][mask]
            # missing values (-1) are shifted to bin 0 and left out
            counts = np.bincount(codes + 1, minlength=len(self.values[name]) + 1)[1:]
        values = [
            FacetValue(v, int(round(c))) for v, c in zip(self.values[name], counts, strict=True)
        ]
        if name == "amount_band":  # every band, even empty: the bands are a fixed scale
            return values
        values = [v for v in values if v.count and v.value]
        return sorted(values, key=lambda v: (-v.count, v.value))

    # -- the search -------------------------------------------------------------------------

    def select(
        self,
        match: Match | None,
        filters: dict[str, tuple[str, ...]],
        sort: str,
        offset: int,
        limit: int,
    ) -> Selection:
        n = len(self)
        if match is None:
            base = None  # every slot
            scores = np.zeros(n, dtype=np.float64)
        else:
            base, scores = match.mask, match.scores

        masks = {}
        for name in FACETS:
            mask = self.facet_mask(name, tuple(filters.get(name, ())))
            if mask is not None:
                masks[name] = mask

        def combined(skip: str | None = None) -> np.ndarray | None:
            """The base with every facet filter but ``skip``'s; None for every slot."""
            result = base
            for name, mask in masks.items():
                if name != skip:
                    result = mask if result is None else result & mask
            return result

        # Each facet counts with every OTHER facet's filter applied.
        facets = {name: self._counts(name, combined(skip=name)) for name in FACETS}
        selected = combined()
        if selected is None:  # no text, no filter: the whole catalogue
            order = self.orders.get(sort, self.orders["newest"])
            page = order[offset : offset + limit]
            return Selection(
                total=n,
                ids=[int(i) for i in self.ids[page]],
                scores=[0.0] * len(page),
                facets=facets,
            )
        slots = np.arange(n) if selected is None else np.flatnonzero(selected)

        if sort == "amount":
            key = self.amount_rank[slots]
        elif sort == "relevance" and match is not None:
            # score first (to a millionth), then newest
            quantised = np.round(scores[slots] * 1_000_000).astype(np.int64)
            key = -quantised * (n + 1) + self.newest_rank[slots]
        else:
            key = self.newest_rank[slots]
        stop = min(offset + limit, len(slots))
        if offset >= stop:
            page = np.zeros(0, dtype=np.int64)
        else:
            if stop < len(slots):
                nearest = np.argpartition(key, stop - 1)[:stop]
            else:
                nearest = np.arange(len(slots))
            ordered = nearest[np.argsort(key[nearest], kind="stable")]
            page = slots[ordered[offset:stop]]
        return Selection(
            total=len(slots),
            ids=[int(i) for i in self.ids[page]],
            scores=[float(s) for s in scores[page]],
            facets=facets,
        )


_lock = threading.Lock()
_current: dict[str, Columns] = {}


def index_state() -> tuple[str | None, int]:
    """The index's (token, version): a new token after a rebuild, a higher version after each
    incremental write."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token, version FROM search_indexstate ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (None, 0)


def _theme_slugs() -> dict[int, str]:
    from cms.models import Theme

    return dict(Theme.objects.values_list("pk", "slug"))


def load(token: str | None, version: int) -> Columns:
    with connection.cursor() as cursor:
        cursor.execute(_columns_sql() + " WHERE NOT removed")
        rows = cursor.fetchall()
    return Columns.from_rows(token, version, rows, _theme_slugs())


def catch_up(columns: Columns, version: int) -> Columns:
    """``columns`` with the rows written since its version (removals are kept as rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _columns_sql(prefix="removed, ") + " WHERE version > %s",
            [columns.version],
        )
        changed = cursor.fetchall()
    rows = [row[1:] for row in changed if not row[0]]
    removed = [row[1] for row in changed if row[0]]
    return columns.patched(version, rows, removed, _theme_slugs())


def current() -> Columns:
    """This process's columns, brought up to date with the index: reloaded after a rebuild
    (new token), patched with the changed rows after ordinary writes (higher version).

    Columns ahead of the index (a write seen inside a transaction that then rolled back) are
    reloaded too: catching up from a version that never committed would miss rows."""
    token, version = index_state()
    key = connection.alias
    columns = _current.get(key)
    if _usable(columns, token) and columns.version == version:
        return columns
    with _lock:
        columns = _current.get(key)  # another thread may have brought them up to date
        if _usable(columns, token) and columns.version < version:
            columns = catch_up(columns, version)
        elif not (_usable(columns, token) and columns.version == version):
            columns = load(token, version)
        _current[key] = columns
    return columns


def _usable(columns: Columns | None, token: str | None) -> bool:
    return columns is not None and token is not None and columns.token == token
