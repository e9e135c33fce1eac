"""POS, morphology and lemma from a per-process cache instead of the rule components.

In the small English pipeline the ``attribute_ruler`` (tag → POS and morphology, a few
exceptions) and the rule ``lemmatizer`` cost about as much as the dependency parser itself,
because both run Python per token. Their output for a token depends only on the token's text,
its tag and its dependency label, as long as every ruler pattern looks at one token and only at
those attributes. Then the result of each (text, tag, dep) is computed once by the real
components, on a scratch doc of such tokens, and reused: the same annotations, written with one
array operation.

Tokens that a multi-token ruler pattern matches ("there is", "gonna") run the real components
on just those tokens; a pipeline whose patterns or components this does not know runs them on
the whole doc.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

COMPONENTS = ("attribute_ruler", "lemmatizer")
_KEY = [ORTH, TAG, DEP]
_OUT = [TAG, POS, MORPH, LEMMA, DEP]
_SINGLE_TOKEN_KEYS = {"ORTH", "LOWER", "TAG", "DEP", "IS_SPACE", "TEXT"}
_MAX_CACHE = 200_000  # entries (~40 MB); a long run with many rare words starts again past this


class TokenAttrs:
    """Cached ``attribute_ruler`` + ``lemmatizer`` for one pipeline."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.cache: dict[tuple[int, int, int], tuple[int, ...]] = {}
        self.multi: Matcher | None = None
        self.usable = self._inspect(nlp)

    def _inspect(self, nlp: Language) -> bool:
        if tuple(n for n in nlp.pipe_names if n in COMPONENTS) != COMPONENTS:
            return False
        if getattr(nlp.get_pipe("lemmatizer"), "mode", None) not in ("rule", "lookup"):
            return False
        multi = []
        for p in nlp.get_pipe("attribute_ruler").patterns:  # type: ignore[attr-defined]
            for pattern in p["patterns"]:
                if isinstance(pattern, str):
                    return False  # a phrase pattern: not inspected
                if not {k.upper() for tok in pattern for k in tok} <= _SINGLE_TOKEN_KEYS:
                    return False
                if len(pattern) > 1:
                    multi.append(pattern)
        if multi:
            self.multi = Matcher(nlp.vocab)
            self.multi.add("multi", multi)
        return True

    def _run_real(self, doc: Doc) -> Doc:
        for name in COMPONENTS:
            if name in self.nlp.pipe_names:
                doc = self.nlp.get_pipe(name)(doc)
        return doc

    def __call__(self, doc: Doc) -> Doc:
        """Set POS, morphology and lemmas on a tagged and parsed ``doc`` (in place)."""
        if not len(doc):
            return doc
        if not self.usable:
            return self._run_real(doc)
        keys = [tuple(k) for k in doc.to_array(_KEY).tolist()]
        missing = [k for k in dict.fromkeys(keys) if k not in self.cache]
        if missing:
            self._fill(doc, missing)
        out = np.array([self.cache[k] for k in keys], dtype=np.uint64)
        # Tokens under a multi-token pattern ("there is", "gonna"): the real components on
        # just those tokens (the patterns read nothing outside their own tokens).
        for s, e in _merged(self.multi(doc) if self.multi is not None else []):
            out[s:e] = self._real_rows(doc, keys[s:e])
        doc.from_array(_OUT, out)
        return doc

    def _real_rows(
        self, doc: Doc, keys: list[tuple[int, int, int]], *, isolated: bool = False
    ) -> np.ndarray:
        """The real components' output for a run of tokens given as (text, tag, dep) keys.

        Every token of the scratch doc is its own root, so each keeps its dependency label.
        ``isolated``: the keys are unrelated tokens, so no multi-token pattern may join two.
        """
        strings = doc.vocab.strings
        scratch = Doc(
            doc.vocab,
            words=[strings[k[0]] for k in keys],
            tags=[strings[k[1]] for k in keys],
            deps=[strings[k[2]] if k[2] else "dep" for k in keys],
            heads=list(range(len(keys))),
        )
        scratch = self._run_real(scratch)
        rows = scratch.to_array(_OUT)
        if isolated and self.multi is not None and len(keys) > 1:
            # a pattern across two unrelated scratch tokens: each of them again on its own
            for s, e in _merged(self.multi(scratch)):
                for i in range(s, e):
                    rows[i] = self._real_rows(doc, keys[i : i + 1])
        dep = _OUT.index(DEP)
        for i, k in enumerate(keys):
            if not k[2]:
                rows[i, dep] = 0
        return rows

    def _fill(self, doc: Doc, keys: list[tuple[int, int, int]]) -> None:
        if len(self.cache) + len(keys) > _MAX_CACHE:
            self.cache.clear()
        rows = self._real_rows(doc, keys, isolated=True).tolist()
        for k, row in zip(keys, rows, strict=True):
            self.cache[k] = tuple(row)


def _merged(matches: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for _, s, e in sorted(matches, key=lambda m: m[1]):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


@lru_cache(maxsize=4)
def token_attrs(nlp: Language) -> TokenAttrs:
    """The cache for ``nlp`` (one per process)."""
    return TokenAttrs(nlp)
