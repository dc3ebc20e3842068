"""French text helpers shared by the database backend's engines: accent folding, a light
stemmer (plural and feminine endings) and the highlighting of matched words."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from .base import HIGHLIGHT_END, HIGHLIGHT_START

WORD = re.compile(r"\w+")
STOP_WORDS = frozenset(
    {
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cette",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ou",
        "par",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
    }
)
TYPO_RATIO = 0.8


def normalise(text: str) -> str:
    """Lower case, without accents (é → e, œ → oe)."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light French stemmer on a normalised word: plural and feminine endings."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux"):
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")) and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall(normalise(text))]


def query_terms(text: str) -> list[str]:
    """The stemmed words of a query, stop words left out."""
    words = [w for w in WORD.findall(normalise(text)) if w not in STOP_WORDS]
    return [stem(w) for w in words]


@functools.lru_cache(maxsize=65536)
def similar(a: str, b: str) -> bool:
    """One typo apart, roughly. Cached: highlighting asks it for every word of every hit."""
    if len(a) < 4 or len(b) < 4 or abs(len(a) - len(b)) > 2:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    # the cheap upper bounds first
    return (
        matcher.real_quick_ratio() >= TYPO_RATIO
        and matcher.quick_ratio() >= TYPO_RATIO
        and matcher.ratio() >= TYPO_RATIO
    )


@functools.lru_cache(maxsize=65536)
def _word_stem(word: str) -> str:
    return stem(normalise(word))


def highlight(text: str, terms: list[str]) -> str:
    """``text`` with every word matching a query term wrapped in the highlight markers.

    A word matches when its stem equals a term, starts with the last term (as typed), or is
    one typo away from a term."""
    if not terms:
        return text
    wanted = set(terms)
    last = terms[-1]

    def mark(match: re.Match) -> str:
        word = match.group(0)
        s = _word_stem(word)
        if (
            s in wanted
            or (len(last) >= 3 and s.startswith(last))
            or any(similar(s, t) for t in wanted)
        ):
            return f"{HIGHLIGHT_START}{word}{HIGHLIGHT_END}"
        return word

    return WORD.sub(mark, text)
