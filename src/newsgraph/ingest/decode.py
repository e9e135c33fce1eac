"""Bytes → text for untrusted input: BOMs, UTF-16/32, declared charsets, UTF-8, best guess.

Order of evidence: a byte-order mark, then the transport's charset (HTTP header), then the
document's own declaration (HTML ``<meta charset>`` / XML ``encoding=``), then strict UTF-8,
then "mostly UTF-8" with a few bad bytes, then charset-normalizer's best guess. Binary data
and empty documents are rejected with a :class:`ReadFailure`.
"""

from __future__ import annotations

import codecs
import re

from newsgraph.ingest.errors import ReadFailure

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_META_CHARSET = re.compile(
    rb"""<meta\b[^<>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I
)
# C0 controls other than tab, LF, VT, FF, CR, ESC: essentially never in text.
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20)])
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffe\uffff]")
_NON_ASCII_GOOD = re.compile(r"[^\x00-\x7f\ufffd]")
_SAMPLE = 16 * 1024


def sniff_bom(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) if ``data`` starts with a byte-order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _guess_wide(data: bytes) -> str | None:
    """UTF-16/32 without a BOM, recognised by the zero bytes of mostly-ASCII text."""
    sample = data[:4096]
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    zeros = [sample[k:n:4].count(0) / (n / 4) for k in range(4)]
    if zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] > 0.9 and zeros[0] < 0.5:
        candidates = ["utf-32-le"]
    elif zeros[0] > 0.9 and zeros[1] > 0.9 and zeros[2] > 0.9 and zeros[3] < 0.5:
        candidates = ["utf-32-be"]
    elif zeros[1] > 0.6 and zeros[3] > 0.6 and zeros[0] < 0.1 and zeros[2] < 0.1:
        candidates = ["utf-16-le"]
    elif zeros[0] > 0.6 and zeros[2] > 0.6 and zeros[1] < 0.1 and zeros[3] < 0.1:
        candidates = ["utf-16-be"]
    else:
        return None
    for codec in candidates:
        try:
            data[: len(data) - len(data) % (4 if "32" in codec else 2)].decode(codec)
        except UnicodeDecodeError:
            return None
        return codec
    return None


def normalize_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when unknown/useless."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None
    # WHATWG: pages labelled Latin-1 or ASCII are decoded as Windows-1252 by every browser.
    if codec in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    # A UTF-16 label found in ASCII-compatible bytes is wrong by construction (WHATWG again).
    if codec.startswith(("utf-16", "utf-32")):
        return None
    return codec


def declared_charset(data: bytes) -> str | None:
    """The encoding an XML declaration or HTML ``<meta>`` names in the first bytes."""
    head = data[:_SAMPLE]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return normalize_charset(match.group(1).decode("ascii")) if match else None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 16 KiB (UTF-16/32 text is not binary)."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if sniff_bom(sample) or _guess_wide(sample):
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > 0.05


def _check_text(text: str) -> str:
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        raise ReadFailure("empty", "no text: the input is empty or only whitespace", stage="decode")
    sample = text[:_SAMPLE]
    # search() first: most text has no control character, and counting them all is slower.
    if _CONTROL_CHARS.search(sample) and len(_CONTROL_CHARS.findall(sample)) / len(sample) > 0.05:
        raise ReadFailure("binary", "decoded text is mostly control characters", stage="decode")
    return text


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode untrusted bytes to text; ``charset`` is a transport hint (HTTP header).

    Raises :class:`ReadFailure` "empty" or "binary".
    """
    if not data.strip():
        raise ReadFailure("empty", "no text: the input is empty or only whitespace", stage="decode")
    bom = sniff_bom(data)
    if bom:
        codec, skip = bom
        return _check_text(data[skip:].decode(codec, "replace"))
    wide = _guess_wide(data)
    if wide:
        return _check_text(data.decode(wide, "replace"))
    if looks_binary(data):
        raise ReadFailure("binary", "binary data (NUL or control bytes), not text", stage="decode")
    for codec in (normalize_charset(charset), declared_charset(data), "utf-8"):
        if codec:
            text = _try(data, codec)
            if text is not None:
                return _check_text(text)
    # Mostly-UTF-8 with a few broken bytes (a bad splice, a truncated character): keeping
    # UTF-8 with U+FFFD loses less than re-reading the whole thing in a legacy codepage.
    sample = data[: 1 << 20].decode("utf-8", "replace")
    bad = sample.count("\ufffd")
    if len(_NON_ASCII_GOOD.findall(sample)) >= 2 * bad:
        return _check_text(data.decode("utf-8", "replace"))
    from charset_normalizer import from_bytes  # imported late: slow-ish and rarely needed

    best = from_bytes(data).best()
    if best is None:
        raise ReadFailure("binary", "no text encoding fits these bytes", stage="decode")
    return _check_text(str(best))
