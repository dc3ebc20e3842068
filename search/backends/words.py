"""Hyphenated compounds, for the database engines: French writes « télé-expertise » and
« téléexpertise », « identito-vigilance » and « identitovigilance ». A sheet's text is indexed
with its hyphenated words also joined, and a query's hyphenated words are looked up joined,
so each spelling finds the other. (Search engines do this in their analyzer.)"""

from __future__ import annotations

import re

HYPHENATED = re.compile(r"\w+(?:-\w+)+")
HYPHEN_IN_WORD = re.compile(r"(?<=\w)-(?=\w)")


def joined_compounds(text: str) -> str:
    """The hyphenated words of ``text``, joined: « la télé-expertise » → « téléexpertise »."""
    return " ".join(word.replace("-", "") for word in HYPHENATED.findall(text))


def join_hyphens(text: str) -> str:
    """``text`` with its hyphenated words joined."""
    return HYPHEN_IN_WORD.sub("", text)
