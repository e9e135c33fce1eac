"""Bytes → text: BOMs, UTF-16/32, declared charsets, legacy codepages, binary, empty."""

from __future__ import annotations

import pytest

from newsgraph.ingest.dates import parse_date
from newsgraph.ingest.decode import decode_bytes, looks_binary
from newsgraph.ingest.errors import ReadFailure

CYRILLIC = (
    "Министр иностранных дел России Сергей Лавров встретился в Женеве с госсекретарём США. "
    "Стороны обсудили гарантии безопасности и договорились продолжить переговоры на "
    "следующей неделе. По словам министра, разговор был откровенным и полезным. "
)


def test_utf8_plain_and_bom() -> None:
    assert decode_bytes("Grüße aus Köln".encode()) == "Grüße aus Köln"
    assert decode_bytes(b"\xef\xbb\xbfhello") == "hello"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_with_and_without_bom(codec: str) -> None:
    text = "Lavrov and Blinken met in Geneva. " * 5
    assert decode_bytes(text.encode(codec)) == text


def test_windows_1251_without_declaration() -> None:
    assert decode_bytes((CYRILLIC * 3).encode("cp1251")) == CYRILLIC * 3


def test_declared_charset_in_meta_and_xml() -> None:
    page = f"<html><head><meta charset='windows-1251'></head><body>{CYRILLIC}</body></html>"
    assert CYRILLIC in decode_bytes(page.encode("cp1251"))
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    assert CYRILLIC in decode_bytes((meta + CYRILLIC).encode("koi8_r"))
    xml = f'<?xml version="1.0" encoding="ISO-8859-1"?><p>café {"x" * 20}</p>'
    assert "café" in decode_bytes(xml.encode("latin-1"))


def test_transport_charset_wins_over_guessing() -> None:
    assert decode_bytes("naïve café".encode("latin-1"), "iso-8859-1") == "naïve café"


def test_invalid_utf8_keeps_the_good_parts() -> None:
    data = "Zürich, Genève, Kraków: talks".encode() + b" \xff\xfe broken " + "ok ü".encode()
    text = decode_bytes(data)
    assert "Zürich, Genève, Kraków" in text
    assert "\ufffd" in text


def test_latin1_without_declaration_is_guessed() -> None:
    text = "Le ministre a déclaré que la réunion à Genève était très utile. " * 4
    assert "déclaré" in decode_bytes(text.encode("cp1252"))


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        bytes(range(1, 32)) * 40,
        b"GIF89a\x01\x00\x01\x00\x00\xff\x00,",
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(ReadFailure) as info:
        decode_bytes(data)
    assert info.value.error == "binary"


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", "\ufeff  \n".encode(), "  ".encode("utf-16")]
)
def test_empty_is_refused(data: bytes) -> None:
    with pytest.raises(ReadFailure) as info:
        decode_bytes(data)
    assert info.value.error == "empty"


def test_looks_binary() -> None:
    assert looks_binary(b"abc\x00def")
    assert not looks_binary("text".encode("utf-16"))
    assert not looks_binary(b"plain text\n")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-01-21", "2022-01-21"),
        ("2022-01-21T10:30:00Z", "2022-01-21"),
        ("2022-01-21T23:30:00-05:00", "2022-01-21"),
        ("Fri, 21 Jan 2022 10:30:00 +0000", "2022-01-21"),
        ("21 January 2022", "2022-01-21"),
        ("21.01.2022", "2022-01-21"),
        (1642761000, "2022-01-21"),
        ("yesterday", None),
        ("on Thursday", None),
        ("not a date", None),
        ("", None),
        (None, None),
        (["2022-01-21"], None),
    ],
)
def test_parse_date(raw: object, expected: str | None) -> None:
    got = parse_date(raw)
    assert (got.isoformat() if got else None) == expected
