"""The event lexicon: PLOVER triggers and status cues, kept as data (``data/*.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class VerbTrigger:
    lemma: str
    type: str
    mode: str | None
    particle: str | None = None  # "pull back": the verb's particle must be this
    prep: str | None = None  # "call on": the verb must have this preposition
    needs: str | None = None  # which argument must be there: object/with/place/...


@dataclass(frozen=True)
class NounTrigger:
    lemma: str
    type: str
    mode: str | None
    needs_mod: tuple[str, ...] | None = None  # one of these modifiers must be present ...
    or_prep: tuple[str, ...] = ()  # ... or one of these prepositions


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[VerbTrigger, ...]]
    nouns: dict[str, NounTrigger]
    light_verbs: frozenset[str]
    force_nouns: frozenset[str]
    place_preps: frozenset[str]
    target_preps: dict[str, frozenset[str]]
    reciprocal: frozenset[str]
    status: dict[str, frozenset[str]]
    request_speech_verbs: frozenset[str]
    obligation_aux: frozenset[str]
    sector_nouns: frozenset[str]
    title_nouns: frozenset[str] = frozenset()


def _read(name: str) -> dict[str, Any]:
    path = resources.files("newsgraph.events").joinpath(f"data/{name}")
    return json.loads(path.read_text("utf-8"))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = _read("triggers.json")
    verbs: dict[str, list[VerbTrigger]] = {}
    for v in raw["verbs"]:
        t = VerbTrigger(v["lemma"], v["type"], v.get("mode"), v.get("particle"), v.get("prep"),
                        v.get("needs"))  # fmt: skip
        verbs.setdefault(t.lemma, []).append(t)
    nouns = {}
    for n in raw["nouns"]:
        mods = n.get("needs_mod")
        nouns[n["lemma"]] = NounTrigger(
            n["lemma"], n["type"], n.get("mode"),
            tuple(mods) if mods is not None else None, tuple(n.get("or_prep", ())),
        )  # fmt: skip
    status = {k: frozenset(v) for k, v in _read("status.json").items() if not k.startswith("_")}
    return Lexicon(
        verbs={k: tuple(v) for k, v in verbs.items()},
        nouns=nouns,
        light_verbs=frozenset(raw["light_verbs"]),
        force_nouns=frozenset(raw["force_nouns"]),
        place_preps=frozenset(raw["place_preps"]),
        target_preps={k: frozenset(v) for k, v in raw["target_preps"].items()},
        reciprocal=frozenset(raw["reciprocal"]),
        status=status,
        request_speech_verbs=frozenset(raw["request_speech_verbs"]),
        obligation_aux=frozenset(raw["obligation_aux"]),
        sector_nouns=frozenset(raw["sector_nouns"]),
        title_nouns=frozenset(raw.get("title_nouns", ())),
    )
