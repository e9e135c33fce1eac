"""Name normalisation: keys fold systematic spelling differences, titles come off."""

from __future__ import annotations

import pytest

from newsgraph.entities.names import (
    blocking_keys,
    given_compatibility,
    split_name,
    strip_possessive,
    translit_key,
)


@pytest.mark.parametrize(
    "variants",
    [
        # A made-up name in English, German, Polish romanisations and Cyrillic.
        ["Shcherbakov", "Schtscherbakow", "Szczerbakow", "Щербаков"],
        ["Yevgeny", "Jewgeni", "Evgueni"],
        ["Zelenko", "Selenko", "Zełenko"],
        ["Kovalchuk", "Kowaltschuk", "Kowalczuk"],
        ["Müller", "Muller", "Mueller"],
        ["Grabowski", "Grabovsky", "Grabowskij"],
        ["Romanov", "Romanow", "Romanoff"],
    ],
)
def test_transliteration_variants_share_a_key_or_block(variants: list[str]) -> None:
    keys = [translit_key(v) for v in variants]
    blocks = [blocking_keys(k) for k in keys]
    for k, b in zip(keys[1:], blocks[1:], strict=True):
        assert k == keys[0] or b & blocks[0], (variants, keys)


def test_diacritics_and_cyrillic_fold() -> None:
    assert translit_key("Łukasz") == translit_key("Lukasz")
    assert translit_key("Иван") == translit_key("Ivan")
    assert translit_key("Ferenç") == translit_key("Ferenc")


def test_split_name_strips_titles_roles_and_possessives() -> None:
    pn = split_name("Deputy Foreign Minister Jan Kowalski's")
    assert pn.given == ("Jan",) and pn.family == "Kowalski"
    assert pn.title == ("Deputy", "Foreign", "Minister")
    pn = split_name("Secretary of State Maria Ortega")
    assert pn.full == "Maria Ortega" and pn.title[0] == "Secretary"
    assert split_name("Dr. Anna van der Berg").family == "van der Berg"
    assert split_name("John Major").family == "Major"  # a surname that is also a rank
    assert strip_possessive("Ortega’s") == "Ortega"


def test_given_name_compatibility() -> None:
    def k(name: str) -> str:
        return translit_key(name, glide=False)

    assert given_compatibility((k("Yevgeny"),), (k("Jewgeni"),)) == 1.0
    assert given_compatibility((k("J"),), (k("Jan"),)) == 0.5
    assert given_compatibility((k("Erik"),), (k("Lars"),)) == -1.0
    assert given_compatibility((), (k("Lars"),)) == 0.0
