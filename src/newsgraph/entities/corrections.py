"""User corrections of entity resolution: what a merge or split decision is, and how forms
are compared (the store applies them; the resolver obeys them for new documents)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from newsgraph.entities.names import ascii_fold

_POSSESSIVE_ANY = re.compile(r"['’][sS]?$")


@dataclass(frozen=True)
class Correction:
    """One user decision.

    ``merge``: ``other_id`` (B) is the same entity as ``entity_id`` (A); B's id now resolves
    to A. ``split``: the surface ``form`` of ``entity_id`` (A) names another entity,
    ``other_id``; that form never resolves to A again.
    """

    kind: Literal["merge", "split"]
    entity_id: str
    other_id: str
    form: str | None = None


def form_key(text: str) -> str:
    """A surface form compared case-, diacritic-, possessive- and whitespace-insensitively."""
    return " ".join(ascii_fold(clean_form(text)).split())


def clean_form(text: str) -> str:
    """A mention's text as a name: whitespace collapsed, possessive ending removed."""
    text = " ".join(text.split())
    return _POSSESSIVE_ANY.sub("", text) or text
