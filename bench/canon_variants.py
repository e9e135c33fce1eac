"""Generator of the cross-document canonicalization dev set used by ``bench/canon.py``.

It takes real base articles (the seeds), finds the people they name, and rewrites every
mention of each person into a *dev identity*: a real, well-known person rendered the way
another language's press or a machine translation would spell them — a German, Polish,
French, Spanish or scholarly romanisation of the Cyrillic original, a diacritics-stripped or
phonetically respelled Latin name, plus common translation errors and typos (r/l confusion,
vowel shifts, dropped or doubled letters, transpositions, K/C). Gold: the identity of every
rewritten span, with exact character offsets into the generated text.

The tables here (identities, romanisation tables, error operations) are the *generator's*:
the matcher in ``newsgraph.entities`` never sees them. Some rules are held out from tuning
(:data:`HELD_OUT`); ``bench/canon.py`` scores documents that use them separately, as an
estimate of the matcher's performance on spellings it was never tuned on.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# ------------------------------------------------------------------------- identities ----
# Real, well-known people (none of them named in the seeds). ``en``: the usual English press
# spelling, which is the correct display name; ``cyr``: the native Cyrillic spelling that the
# romanisations start from (``lang`` picks Russian or Ukrainian letter values). Pairs that
# share a family name (brothers, twins, namesakes) are there on purpose: they must stay apart.


@dataclass(frozen=True)
class Identity:
    id: str
    en: str
    cyr: str | None = None
    lang: str = "ru"


IDENTITIES: tuple[Identity, ...] = (
    Identity("shoigu", "Sergei Shoigu", "Сергей Шойгу"),
    Identity("zakharova", "Maria Zakharova", "Мария Захарова"),
    Identity("mishustin", "Mikhail Mishustin", "Михаил Мишустин"),
    Identity("ryabkov", "Sergei Ryabkov", "Сергей Рябков"),
    Identity("grushko", "Alexander Grushko", "Александр Грушко"),
    Identity("gerasimov", "Valery Gerasimov", "Валерий Герасимов"),
    Identity("patrushev", "Nikolai Patrushev", "Николай Патрушев"),
    Identity("nebenzya", "Vasily Nebenzya", "Василий Небензя"),
    Identity("ivanov_s", "Sergei Ivanov", "Сергей Иванов"),
    Identity("ivanov_i", "Igor Ivanov", "Игорь Иванов"),
    Identity("ushakov", "Yuri Ushakov", "Юрий Ушаков"),
    Identity("volodin", "Vyacheslav Volodin", "Вячеслав Володин"),
    Identity("medvedev", "Dmitry Medvedev", "Дмитрий Медведев"),
    Identity("navalny", "Alexei Navalny", "Алексей Навальный"),
    Identity("kadyrov", "Ramzan Kadyrov", "Рамзан Кадыров"),
    Identity("prigozhin", "Yevgeny Prigozhin", "Евгений Пригожин"),
    Identity("reznikov", "Oleksii Reznikov", "Олексій Резніков", "uk"),
    Identity("yermak", "Andriy Yermak", "Андрій Єрмак", "uk"),
    Identity("shmyhal", "Denys Shmyhal", "Денис Шмигаль", "uk"),
    Identity("klitschko_v", "Vitali Klitschko", "Віталій Кличко", "uk"),
    Identity("klitschko_w", "Wladimir Klitschko", "Володимир Кличко", "uk"),
    Identity("poroshenko", "Petro Poroshenko", "Петро Порошенко", "uk"),
    Identity("tymoshenko", "Yulia Tymoshenko", "Юлія Тимошенко", "uk"),
    Identity("zaluzhnyi", "Valerii Zaluzhnyi", "Валерій Залужний", "uk"),
    Identity("cavusoglu", "Mevlüt Çavuşoğlu"),
    Identity("rau", "Zbigniew Rau"),
    Identity("kaczynski_j", "Jarosław Kaczyński"),
    Identity("kaczynski_l", "Lech Kaczyński"),
    Identity("morawiecki", "Mateusz Morawiecki"),
    Identity("borrell", "Josep Borrell"),
    Identity("ledrian", "Jean-Yves Le Drian"),
    Identity("lambrecht", "Christine Lambrecht"),
    Identity("szijjarto", "Péter Szijjártó"),
    Identity("miliband_d", "David Miliband"),
    Identity("miliband_e", "Ed Miliband"),
    Identity("landsbergis", "Gabrielius Landsbergis"),
    Identity("rinkevics", "Edgars Rinkēvičs"),
    Identity("duda", "Andrzej Duda"),
)

# ------------------------------------------------------------------- romanisations ------
# Letter values per system; "ru"/"uk" entries differ where the languages do. Contexts:
# ``^`` word-initial, ``V`` after a vowel, ``VV`` between vowels, ``C`` after a consonant,
# a Latin ``e`` suffix before a front vowel, ``$`` a word-final pair (first match wins).
_VOWELS = set("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")

_COMMON = {
    "а": "a", "б": "b", "д": "d", "з": "z", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "т": "t", "у": "u", "ф": "f", "ъ": "", "ь": "", "э": "e",
}  # fmt: skip

ROMANISATIONS: dict[str, dict[str, str]] = {
    # English BGN/PCGN-like, as news agencies write it when they do not use the usual form.
    "en": {"в": "v", "г": "g", "г/uk": "h", "е": "e", "е^": "ye", "еV": "ye", "ё": "yo",
           "ж": "zh", "и": "i", "и/uk": "y", "й": "y", "с": "s", "х": "kh", "ц": "ts",
           "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "ю": "yu", "я": "ya", "і": "i",
           "ї": "yi", "є": "ye", "ий": "iy", "ій": "iy"},
    "de": {"в": "w", "г": "g", "г/uk": "h", "е": "e", "е^": "je", "еV": "je", "ё": "jo",
           "ж": "sch", "и": "i", "и/uk": "y", "й": "i", "с": "s", "сVV": "ss", "х": "ch",
           "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ы": "y", "ю": "ju", "я": "ja",
           "і": "i", "ї": "ji", "є": "je", "ий": "i", "ій": "ij", "ов$": "ow", "ев$": "ew"},
    "pl": {"в": "w", "г": "g", "г/uk": "h", "е": "ie", "е^": "je", "еV": "je", "ё": "io",
           "ж": "ż", "и": "i", "и/uk": "y", "й": "j", "с": "s", "х": "ch", "ц": "c",
           "ч": "cz", "ш": "sz", "щ": "szcz", "ы": "y", "ю": "iu", "ю^": "ju", "я": "ia",
           "я^": "ja", "і": "i", "ї": "ji", "є": "je", "ий": "ij", "ій": "ij", "ов$": "ow",
           "ев$": "iew", "ль": "l"},
    "fr": {"в": "v", "г": "g", "гe": "gu", "г/uk": "h", "е": "e", "е^": "ie", "ё": "io",
           "ж": "j", "и": "i", "и/uk": "y", "й": "ï", "с": "s", "сVV": "ss", "х": "kh",
           "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch", "ы": "y", "ю": "iou", "я": "ia",
           "у": "ou", "і": "i", "ї": "ï", "є": "ie", "ий": "i", "ій": "i", "ов$": "ov",
           "ев$": "ev"},
    "es": {"в": "v", "г": "g", "гe": "gu", "г/uk": "h", "е": "e", "е^": "ie", "ё": "io",
           "ж": "zh", "и": "i", "и/uk": "y", "й": "i", "с": "s", "х": "j", "ц": "ts",
           "ч": "ch", "ш": "sh", "щ": "sch", "ы": "y", "ю": "iu", "я": "ia", "і": "i",
           "ї": "i", "є": "ie", "ий": "i", "ій": "i"},
    # Scholarly (ISO 9-like), with diacritics.
    "iso": {"в": "v", "г": "g", "г/uk": "h", "е": "e", "ё": "ë", "ж": "ž", "и": "i",
            "и/uk": "y", "й": "j", "с": "s", "х": "ch", "ц": "c", "ч": "č", "ш": "š",
            "щ": "šč", "ы": "y", "ю": "ju", "я": "ja", "і": "i", "ї": "ï", "є": "je",
            "ий": "ij", "ій": "ij"},
}  # fmt: skip

# Respellings of Latin-script names as another language's press or an MT system renders them.
LATIN_RESPELL: dict[str, tuple[tuple[str, str], ...]] = {
    "ascii": (),  # diacritics stripped (applied to every Latin rendering but "native")
    "en-phon": (("sz", "sh"), ("cz", "ch"), ("w", "v"), ("j", "y"), ("ij", "i")),
    "de-phon": (("sh", "sch"), ("v", "w"), ("y", "j")),
    "fr-phon": (("u", "ou"), ("sh", "ch")),
}  # fmt: skip

# Errors of machine translation, OCR and typing, applied to one name part.
ERROR_OPS = ("rl", "vowel", "drop", "double", "transpose", "kc")

# Rules held out from tuning; documents that use one are scored separately.
HELD_OUT = frozenset({"fr", "es", "fr-phon", "transpose", "double"})


def romanise(cyr: str, system: str, lang: str = "ru") -> str:
    """``cyr`` written in romanisation ``system`` (a key of :data:`ROMANISATIONS`)."""
    table = {**_COMMON, **ROMANISATIONS[system]}
    words = []
    for word in cyr.split():
        out, i, low = [], 0, word.lower()
        while i < len(low):
            prev = low[i - 1] if i else ""
            ch, two = low[i], low[i : i + 2]
            at_end = i + 2 == len(low)
            cands = []
            if at_end:
                cands.append(two + "$")
            cands += [two]
            ctx = "^" if i == 0 else ("V" if prev in _VOWELS else "C")
            nxt = low[i + 1] if i + 1 < len(low) else ""
            if ctx == "V" and nxt in _VOWELS:
                cands.append(ch + "VV")
            cands += [f"{ch}/{lang}", ch + ctx, ch + ("e" if nxt and nxt in "еиіє" else "")]
            cands.append(ch)
            for c in cands:
                if c in table:
                    out.append(table[c])
                    i += len(c.split("/")[0].rstrip("$^VCe"))
                    break
            else:
                out.append(ch)
                i += 1
        w = "".join(out)
        words.append(w[:1].upper() + w[1:])
    return " ".join(words)


def strip_diacritics(text: str) -> str:
    special = {"ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "ı": "i"}
    text = "".join(special.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def respell(name: str, system: str) -> str:
    out = strip_diacritics(name)
    for a, b in LATIN_RESPELL[system]:
        out = out.replace(a, b)
    return out


def apply_error(word: str, op: str, rng: random.Random) -> str:
    """One error of kind ``op`` in ``word`` (unchanged if the word offers no place for it)."""
    low = word.lower()
    inner = range(1, len(word) - 1)
    if op == "rl":
        spots = [i for i in range(1, len(word)) if low[i] in "rl"]
        if spots:
            i = rng.choice(spots)
            return word[:i] + ("l" if low[i] == "r" else "r") + word[i + 1 :]
    elif op == "vowel":
        swap = {"a": "e", "e": "i", "i": "e", "o": "u", "u": "o", "y": "i"}
        spots = [i for i in inner if low[i] in swap]
        if spots:
            i = rng.choice(spots)
            return word[:i] + swap[low[i]] + word[i + 1 :]
    elif op == "drop":
        spots = [i for i in inner if low[i] not in "aeiou" or low[i - 1] in "aeiou"]
        if spots and len(word) > 4:
            i = rng.choice(spots)
            return word[:i] + word[i + 1 :]
    elif op == "double":
        spots = [i for i in inner if low[i] not in "aeiouy" and low[i] != low[i + 1]]
        if spots:
            i = rng.choice(spots)
            return word[: i + 1] + word[i] + word[i + 1 :]
    elif op == "transpose":
        spots = [i for i in range(1, len(word) - 2) if low[i] != low[i + 1]]
        if spots:
            i = rng.choice(spots)
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op == "kc":
        if word[:1] in "Kk":
            return "C" + word[1:]
        if word[:1] in "Cc" and low[1:2] not in ("h", "e", "i", "y"):
            return "K" + word[1:]
    return word


# -------------------------------------------------------------------- rendering -----------


@dataclass(frozen=True)
class Rendering:
    """How one identity is written in one generated document."""

    full: str
    family: str
    rules: tuple[str, ...]  # the generator rules used (romanisation/respelling, errors)


def split_en(name: str) -> tuple[str, str]:
    """(given, family) of a Latin name; particles go with the family name."""
    parts = name.split()
    i = len(parts) - 1
    while i > 1 and parts[i - 1].lower() in {"von", "der", "de", "le", "van", "al"}:
        i -= 1
    return " ".join(parts[:i]), " ".join(parts[i:])


def render(ident: Identity, rng: random.Random, rules: tuple[str, ...]) -> Rendering:
    """``ident`` in one spelling system from ``rules`` plus at most one error from ``rules``."""
    systems = [r for r in rules if r in ROMANISATIONS or r in LATIN_RESPELL or r == "native"]
    errors = [r for r in rules if r in ERROR_OPS]
    used: list[str] = []
    if ident.cyr:
        pick = rng.choice([s for s in systems if s in ROMANISATIONS or s == "native"])
        full = ident.en if pick == "native" else romanise(ident.cyr, pick, ident.lang)
    else:
        pick = rng.choice([s for s in systems if s in LATIN_RESPELL or s == "native"])
        full = ident.en if pick == "native" else respell(ident.en, pick)
    used.append(pick)
    given, family = split_en(full)
    if errors and rng.random() < 0.5:
        op = rng.choice(errors)
        bad = apply_error(family.split()[-1], op, rng)
        if bad != family.split()[-1]:
            family = " ".join([*family.split()[:-1], bad])
            used.append(op)
    return Rendering(f"{given} {family}".strip(), family, tuple(used))


# ------------------------------------------------------------------- documents ------------


@dataclass
class GoldMention:
    start: int
    end: int
    identity: str
    rules: tuple[str, ...]


@dataclass
class GeneratedDoc:
    id: str
    base: str
    text: str
    gold: list[GoldMention] = field(default_factory=list)
    held_out: bool = False


_NAME_TOKEN = r"[A-ZÀ-Þ][\w’'\-]+"


def person_slots(text: str, person_spans: list[str]) -> list[tuple[str, set[str]]]:
    """(family, given names) of the people a base article names in full, one per family."""
    slots: dict[str, set[str]] = {}
    for s in person_spans:
        toks = s.split()
        if 2 <= len(toks) <= 3 and all(re.fullmatch(_NAME_TOKEN, t) for t in toks):
            slots.setdefault(toks[-1], set()).add(" ".join(toks[:-1]))
    return sorted((f, g) for f, g in slots.items())


def assign_identities(families: list[str], seed: int) -> dict[str, Identity]:
    """One dev identity per base-article person (by family name), the same in every variant,
    so a person keeps one role across documents as real people do. Namesakes come first so
    that they are always in play."""
    rng = random.Random(f"{seed}|identities")
    fam_count = Counter(split_en(i.en)[1] for i in IDENTITIES)
    namesakes = [i for i in IDENTITIES if fam_count[split_en(i.en)[1]] > 1]
    others = [i for i in IDENTITIES if fam_count[split_en(i.en)[1]] == 1]
    rng.shuffle(namesakes)
    rng.shuffle(others)
    slots = sorted(set(families))
    rng.shuffle(slots)
    return dict(zip(slots, namesakes + others, strict=False))


def generate(
    base_id: str,
    text: str,
    person_spans: list[str],
    n: int,
    rules: tuple[str, ...],
    seed: int,
    tag: str,
    identities: dict[str, Identity],
) -> list[GeneratedDoc]:
    """``n`` variants of one base article with its people rewritten into their dev identities
    (``identities``: base family name → identity, see :func:`assign_identities`)."""
    rng = random.Random(f"{seed}|{base_id}|{tag}")
    slots = [(f, g) for f, g in person_slots(text, person_spans) if f in identities]
    # Namesakes never share one document (surname-only mentions would be ambiguous).
    seen_fam: set[str] = set()
    kept = []
    for f, g in slots:
        fam = split_en(identities[f].en)[1]
        if fam not in seen_fam:
            seen_fam.add(fam)
            kept.append((f, g))
    slots = kept
    out = []
    for k in range(n):
        assign = {f: (identities[f], render(identities[f], rng, rules)) for f, _ in slots}
        # One pattern for all slots: an optional given name (one of the slot's), the family.
        alts = []
        for family, givens in slots:
            g = "|".join(re.escape(x) for x in sorted(givens, key=len, reverse=True))
            alts.append(rf"(?P<g{len(alts)}>(?:{g})\s+)?{re.escape(family)}(?![\w])")
        if not alts:
            continue
        pat = re.compile("|".join(f"(?:{a})" for a in alts))
        parts, gold, pos, seen = [], [], 0, set()
        new_len = 0
        for m in pat.finditer(text):
            slot_i = next(i for i, (f, _) in enumerate(slots) if m.group(0).endswith(f))
            family = slots[slot_i][0]
            ident, rend = assign[family]
            # The first mention of a person in a document is the full name.
            full = m.group(f"g{slot_i}") is not None or family not in seen
            seen.add(family)
            new = rend.full if full else rend.family
            parts.append(text[pos : m.start()])
            new_len += m.start() - pos
            gold.append(GoldMention(new_len, new_len + len(new), ident.id, rend.rules))
            parts.append(new)
            new_len += len(new)
            pos = m.end()
        parts.append(text[pos:])
        held = any(r in HELD_OUT for g in gold for r in g.rules)
        out.append(GeneratedDoc(f"{base_id}~{tag}{k}", base_id, "".join(parts), gold, held))
    return out
