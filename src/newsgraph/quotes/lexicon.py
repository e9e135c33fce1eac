"""The attribution lexicon (speech verbs, according-to phrases, anonymous-source nouns).

Kept as data (``data/cues.json``) so it can be extended without touching code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Lexicon:
    speech_verbs: frozenset[str]
    clause_only_verbs: frozenset[str]
    object_content_verbs: frozenset[str]
    infinitive_content_verbs: frozenset[str]
    prep_content_verbs: dict[str, frozenset[str]]
    predicative_verbs: frozenset[str]
    nominal_cues: frozenset[str]
    according_phrases: tuple[tuple[str, ...], ...]
    statement_nouns: frozenset[str]
    anonymous_heads: frozenset[str]
    anonymous_modifiers: frozenset[str]
    generic_leader_nouns: frozenset[str]
    # "head of state" → the titles that hold that office ("president", "king" …)
    office_descriptions: dict[str, tuple[str, ...]]
    pronouns: dict[str, dict[str, Any]]
    honorifics: dict[str, str]
    speaker_types: frozenset[str]
    # transcripts and speeches (turns.py)
    turn_label_connectors: frozenset[str]
    anonymous_turn_labels: frozenset[str]
    speech_document_nouns: tuple[tuple[str, ...], ...]
    speech_document_owner_links: frozenset[str]
    speech_document_blockers: frozenset[str]
    speech_document_titles: frozenset[str]
    first_person_singular: frozenset[str]
    first_person_plural: frozenset[str]

    def is_cue(self, lemma: str) -> bool:
        return lemma.lower() in self.speech_verbs

    @property
    def cue_verbs(self) -> frozenset[str]:
        """Every verb lemma that can introduce a quote (speech, content, predicative …)."""
        return (
            self.speech_verbs
            | self.predicative_verbs
            | self.infinitive_content_verbs
            | self.object_content_verbs
            | self.clause_only_verbs
            | frozenset(self.prep_content_verbs)
        )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = json.loads(
        resources.files("newsgraph.quotes").joinpath("data/cues.json").read_text("utf-8")
    )
    return Lexicon(
        speech_verbs=frozenset(raw["speech_verbs"]) | frozenset(raw["attribution_verbs_extra"]),
        clause_only_verbs=frozenset(raw["clause_only_verbs"]),
        object_content_verbs=frozenset(raw["object_content_verbs"]),
        infinitive_content_verbs=frozenset(raw["infinitive_content_verbs"]),
        prep_content_verbs={k: frozenset(v) for k, v in raw["prep_content_verbs"].items()},
        predicative_verbs=frozenset(raw["predicative_verbs"]),
        nominal_cues=frozenset(raw["nominal_cues"]),
        according_phrases=tuple(tuple(p.split()) for p in raw["according_phrases"]),
        statement_nouns=frozenset(raw["statement_nouns"]),
        anonymous_heads=frozenset(raw["anonymous_heads"]),
        anonymous_modifiers=frozenset(raw["anonymous_modifiers"]),
        generic_leader_nouns=frozenset(raw["generic_leader_nouns"]),
        office_descriptions={k: tuple(v) for k, v in raw["office_descriptions"].items()},
        pronouns=raw["pronouns"],
        honorifics=raw["honorifics"],
        speaker_types=frozenset(raw["speaker_types"]),
        turn_label_connectors=frozenset(raw["turn_label_connectors"]),
        anonymous_turn_labels=frozenset(raw["anonymous_turn_labels"]),
        speech_document_nouns=tuple(tuple(p.split()) for p in raw["speech_document_nouns"]),
        speech_document_owner_links=frozenset(raw["speech_document_owner_links"]),
        speech_document_blockers=frozenset(raw["speech_document_blockers"]),
        speech_document_titles=frozenset(raw["speech_document_titles"]),
        first_person_singular=frozenset(raw["first_person_singular"]),
        first_person_plural=frozenset(raw["first_person_plural"]),
    )
