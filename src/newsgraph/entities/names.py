"""Name normalisation: titles, transliteration-aware keys, phonetic keys, given/family split.

Machine translation and other languages' romanisations spell one name many ways. The keys
here fold the *systematic* differences (diacritics, Cyrillic, German/Polish/French spellings of
the same sounds, -ov/-off/-ow endings, i/y/ie, doubled letters) so that character similarity on
the keys measures the *unsystematic* rest (typos, r/l confusions). Nothing here knows any
particular person: it is spelling rules only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish


def _words(text: str) -> list[str]:
    return text.split()


# Words that are a title, honorific or role rather than part of a name. Lower case; multi-word
# roles are matched token by token, so each word of them is listed.
HONORIFICS = frozenset(
    _words(
        """
        mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady mme mme. mlle herr
        frau monsieur madame senor señor sr sr. jr jr. hon hon. rev rev. fr fr. st. sheikh
        sheik imam rabbi pope saint
        """
    )
)

ROLE_HEADS = frozenset(
    _words(
        """
        president vice-president prime premier minister secretary secretary-general
        chancellor vice-chancellor spokesman spokeswoman spokesperson director chief head
        leader chairman chairwoman chair ambassador envoy governor mayor senator congressman
        congresswoman representative deputy general admiral commander colonel major captain
        lieutenant sergeant king queen prince princess emperor sultan emir crown chancellor
        diplomat official commissioner adviser advisor counsellor councillor speaker
        attorney justice judge ceo cfo coo founder owner editor correspondent analyst
        professor patriarch cardinal bishop archbishop pontiff mp mep lawmaker legislator
        negotiator aide coach manager striker
        """
    )
)

# Words that may appear inside a multi-word role ("Secretary of State", "Foreign Minister",
# "Deputy Defence Minister"). They extend a role but never make one on their own.
ROLE_MODIFIERS = frozenset(
    _words(
        """
        foreign defence defense interior home finance economy economic trade justice health
        education energy state national security homeland affairs external internal first
        second deputy vice acting former ex interim assistant under senior top chief general
        prime supreme high executive managing press white house foreign-affairs of the for
        european commission council
        """
    )
)

# Ending of a personal name that is not the family name.
NAME_SUFFIXES = frozenset(
    _words(
        """
        jr jr. sr sr. ii iii iv phd md
        """
    )
)
# Family-name particles that belong to the family name ("van der Leyen", "de Gaulle").
PARTICLES = frozenset(
    _words(
        """
        van von der den de del della di da du le la al el bin ibn ben abu
        """
    )
)

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i",
    "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
# Letters NFKD does not decompose to ASCII, and háček/dot letters whose sound is a digraph in
# English romanisation (scholarly and Czech/Polish spellings: č = ch, š = sh, ž/ż = zh).
_SPECIAL = {"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th",
            "ı": "i", "č": "ch", "š": "sh", "ž": "zh", "ż": "zh"}  # fmt: skip

# Ordered rewrite rules on a lower-case ASCII string. Longer, language-specific sequences first
# (German "tsch", "sch"; Polish "szcz", "sz", "cz", "rz"; French "ou", "tch"), then the general
# English-romanisation folds. Applied identically to every name, so they only need to be
# consistent, not phonetically exact.
_RULES: tuple[tuple[str, str], ...] = (
    (r"^ch(?=[rl])", "h"),  # German/Polish Chr-/Chl- = English Khr-/Khl-
    (r"szcz", "shch"),
    (r"tsch", "ch"),
    (r"sch", "sh"),
    (r"tch", "ch"),
    (r"sz", "sh"),
    (r"cz", "ch"),
    (r"rz(?=[aeiouy])", "zh"),  # Polish rz before a vowel; German final -rz stays (Kurz)
    (r"dzh", "j"),
    (r"dj", "j"),
    (r"ou", "u"),
    (r"gu(?=[ei])", "g"),  # French gu before e/i: Evgueni
    (r"kh", "h"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"ck", "k"),
    (r"q", "k"),
    (r"x", "ks"),
    (r"c(?=[eiy])", "s"),
    (r"c(?!h)", "k"),
    (r"w", "v"),
    (r"z", "s"),
    (r"t+s", "s"),  # German z = ts: Yeltsin/Jelzin, Kurtz/Kurz
    (r"j", "y"),
    (r"(?<=[aeiou])yi", "i"),
    (r"ie", "i"),
    (r"y", "i"),
    (r"ei", "i"),
    (r"^i(?=[aeou])", ""),  # initial glide: Yeltsin/Eltsine, Ianoukovitch/Yanukovych
    (r"ae", "e"),
    (r"ue", "u"),
    (r"oe", "o"),
    (r"(?:ov|off|ow|of)$", "ov"),
    (r"(?:ev|eff|ew|ef)$", "ev"),
    (r"ii$", "i"),
)
_RULES_C = tuple((re.compile(p), r) for p, r in _RULES)
_DOUBLE = re.compile(r"(.)\1+")
_NONALNUM = re.compile(r"[^a-z0-9]+")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    """Lower-case ASCII: Cyrillic romanised, diacritics and special letters removed."""
    out = []
    for ch in text.lower():
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        else:
            out.append(ch)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and ord(c) < 128)


@lru_cache(maxsize=65536)
def translit_key(token: str, *, glide: bool = True) -> str:
    """A spelling-variant-folding key for one name token ("Schwartz" → "shvars").

    ``glide=False`` keeps an initial y/j/i ("Jan" → "ian", not "an") so that given names can
    still be compared with initials.
    """
    s = _NONALNUM.sub("", ascii_fold(token))
    for pat, rep in _RULES_C:
        if not glide and pat.pattern.startswith("^i"):
            continue
        s = pat.sub(rep, s)
    return _DOUBLE.sub(r"\1", s)


def name_key(text: str) -> str:
    """Key of a multi-token name: token keys joined by spaces."""
    return " ".join(k for k in (translit_key(t) for t in tokenize(text)) if k)


@lru_cache(maxsize=65536)
def phonetic_keys(key: str) -> tuple[str, str, str]:
    """(metaphone, nysiis, match-rating codex) of a translit key."""
    key = "".join(c for c in key if "a" <= c <= "z")
    if not key:
        return ("", "", "")
    return (jellyfish.metaphone(key), jellyfish.nysiis(key), jellyfish.match_rating_codex(key))


_SIBILANTS = re.compile(r"shch|sch|sh|ch|zh|ts")
_SKELETON_FOLD = str.maketrans({"l": "r", "v": "f", "d": "t", "g": "k", "b": "p", "s": "s"})


@lru_cache(maxsize=65536)
def skeleton(key: str, n: int = 3) -> str:
    """Consonant skeleton for blocking: first ``n`` consonant classes, liquids/voicing merged.

    Blocking must keep typo'd and r/l-confused spellings in one block, so it is coarser than
    any of the keys used for scoring.
    """
    key = _SIBILANTS.sub("s", key)  # shch/sch/sh/ch/zh/ts: the spellings vary most here
    cons = [c for c in key.translate(_SKELETON_FOLD) if c.isalpha() and c not in "aeiouh"]
    out: list[str] = []
    for c in cons:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:n])


def consonants(key: str) -> str:
    """All consonant classes of a key (vowels dropped, liquids/voicing merged): vowels are
    what romanisations and translation errors change most."""
    return skeleton(key, 99)


def blocking_keys(family_key: str, given_initials: Iterable[str] = ()) -> set[str]:
    """Keys under which a name is filed for candidate search (any shared key = candidate).

    With the given name's initial(s), also the deletion neighbourhood of the family name's
    consonant skeleton: a dropped, added or swapped consonant leaves one deletion in common.
    Those keys are broad, so they are qualified by the given initial: a fuzzy surname needs
    a given name to confirm it anyway.
    """
    if not family_key:
        return set()
    keys = {"k:" + family_key, "s:" + skeleton(family_key), "m:" + phonetic_keys(family_key)[0]}
    # A skeleton that skips the first consonant catches first-letter errors (Kovac/Covac).
    if len(family_key) >= 4:
        keys.add("t:" + skeleton(family_key[1:], 3))
    initials = {g[:1] for g in given_initials if g}
    if initials:
        full = skeleton(family_key, 99)
        # Deleting a consonant can join two equal neighbours ("ksnsk" → "kssk" = "ksk"), so
        # deletions are made on the whole skeleton, then deduplicated and cut to four.
        skels = {full[:4]}
        if len(full) >= 3:
            skels.update(_dedup(full[:i] + full[i + 1 :])[:4] for i in range(len(full)))
        keys.update(f"d:{g}:{sk}" for g in initials for sk in skels)
    return keys


def _dedup(s: str) -> str:
    return _DOUBLE.sub(r"\1", s)


_TOKEN = re.compile(r"[^\s]+")


def tokenize(text: str) -> list[str]:
    return [t.strip(',;:()[]"“”‘’') for t in _TOKEN.findall(text) if t.strip(',;:()[]"“”‘’')]


def strip_possessive(text: str) -> str:
    text = text.strip()
    if len(text) > 3 and _POSSESSIVE.search(text):
        stripped = _POSSESSIVE.sub("", text)
        # "Jones'" → "Jones", but "Petrov's" → "Petrov"; do not eat the s of "Jones".
        return stripped if not text.endswith(("'", "’")) else text[:-1]
    return text


def is_title_word(token: str) -> bool:
    t = token.lower().rstrip(".")
    return (
        t in HONORIFICS
        or t + "." in HONORIFICS
        or t in ROLE_HEADS
        or (t in ROLE_MODIFIERS and t not in PARTICLES and t not in {"the", "and", "of"})
    )


@dataclass(frozen=True)
class PersonName:
    """A personal name split into parts; ``title`` holds stripped leading title words."""

    given: tuple[str, ...] = ()
    family: str = ""
    title: tuple[str, ...] = field(default=())

    @property
    def full(self) -> str:
        return " ".join((*self.given, self.family)).strip()

    @property
    def family_key(self) -> str:
        return "".join(translit_key(t) for t in self.family.split())

    @property
    def given_keys(self) -> tuple[str, ...]:
        keys = (translit_key(g, glide=False) for g in self.given)
        return tuple(k for k in keys if k)

    @property
    def has_given(self) -> bool:
        return bool(self.given)


@lru_cache(maxsize=65536)
def split_name(text: str) -> PersonName:
    """Split "Secretary of State Maria J. Ortega's" into title, given and family parts."""
    toks = tokenize(strip_possessive(text))
    if toks:
        toks[-1] = strip_possessive(toks[-1])
    title: list[str] = []
    # A leading role ends at its last head word ("US Secretary of State", "Foreign Minister"),
    # followed by role modifiers ("of State"); whatever precedes the head is its qualifier.
    head = -1
    for i, t in enumerate(toks[:-1]):
        low = t.lower().rstrip(".")
        if low in ROLE_HEADS or low in HONORIFICS or low + "." in HONORIFICS:
            head = i
        elif not (t[:1].isupper() or low in ROLE_MODIFIERS):
            break
    if head >= 0:
        cut = head + 1
        while cut < len(toks) - 1 and toks[cut].lower() in ROLE_MODIFIERS:
            cut += 1
        title, toks = toks[:cut], toks[cut:]
    # The tail of a role the recogniser cut ("State" of "Secretary of State X Y") or a
    # possessive qualifier ("the alliance's X Y") before a full name is not part of it.
    while len(toks) > 2 and (
        (toks[0].lower() in ROLE_MODIFIERS and toks[0][:1].isupper())
        or _POSSESSIVE.search(toks[0]) is not None
    ):
        title.append(toks.pop(0))
    while len(toks) > 1 and toks[-1].lower() in NAME_SUFFIXES:
        toks.pop()
    if not toks:
        return PersonName(title=tuple(title))
    fam = [toks.pop()]
    while toks and toks[-1].lower() in PARTICLES:
        fam.insert(0, toks.pop())
    return PersonName(given=tuple(toks), family=" ".join(fam), title=tuple(title))


def given_compatibility(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """1 = same given name (up to spelling), 0.5 = initials agree, 0 = one side has none,
    -1 = conflicting given names (blocks a merge)."""
    if not a or not b:
        return 0.0
    from rapidfuzz.distance import JaroWinkler

    ka, kb = a[0], b[0]
    if len(ka) == 1 or len(kb) == 1:  # an initial
        return 0.5 if ka[0] == kb[0] else -1.0
    sim = JaroWinkler.normalized_similarity(ka, kb)
    if sim >= 0.85 or ka.startswith(kb) or kb.startswith(ka):
        return 1.0
    # Short forms/nicknames share a prefix ("Alex"/"Alexei"); otherwise a conflict.
    if ka[:3] == kb[:3] and min(len(ka), len(kb)) >= 3:
        return 0.5
    return -1.0
