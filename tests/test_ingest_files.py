"""HTML and text files, gzip, folders, globs, dispatch by sniffing, and the bad-input matrix."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from ingest_helpers import ARTICLE, collect, gz, html_page
from newsgraph.ingest import expand_inputs
from newsgraph.model import ItemError

SAMPLE = Path(__file__).resolve().parent.parent / "sample"


def test_html_file_with_canonical_url(tmp_path: Path) -> None:
    head = '<link rel="canonical" href="https://news.example/2022/01/talks">'
    (tmp_path / "a.html").write_text(html_page(head=head), encoding="utf-8")
    items, errors = collect(tmp_path / "a.html")
    assert not errors
    [item] = items
    assert item.kind == "html"
    assert item.url == "https://news.example/2022/01/talks"
    assert "Geneva" in item.content
    assert item.input == str(tmp_path / "a.html")
    assert item.id.startswith("d")


def test_og_url_and_no_url(tmp_path: Path) -> None:
    og = "<meta property='og:url' content='https://news.example/og'>"
    (tmp_path / "og.htm").write_text(html_page(head=og))
    (tmp_path / "none.xhtml").write_text(html_page(head="<link rel=canonical href='/rel'>"))
    items, _ = collect([tmp_path / "og.htm", tmp_path / "none.xhtml"])
    assert [i.url for i in items] == ["https://news.example/og", None]


def test_broken_unclosed_html_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text("<html><body><p>Talks in <b>Geneva <div>went on")
    items, errors = collect(tmp_path / "broken.html")
    assert not errors
    assert items[0].content.endswith("went on")


def test_text_file_kind_and_relative_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "note.txt").write_text(ARTICLE)
    monkeypatch.chdir(tmp_path)
    items, errors = collect("note.txt")
    assert not errors
    assert items[0].kind == "text"
    assert items[0].input == "note.txt"
    assert items[0].content == ARTICLE


def test_bundled_sample_reads_cleanly() -> None:
    items, errors = collect(str(SAMPLE))
    assert not errors
    assert len(items) == len(list(SAMPLE.glob("*.txt"))) >= 1
    assert all(i.kind == "text" and i.content.strip() for i in items)


def test_ids_are_stable_and_content_based(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(html_page())
    (tmp_path / "copy.html").write_text(html_page())
    (tmp_path / "other.html").write_text(html_page(title="Other"))
    first, _ = collect(tmp_path)
    second, _ = collect(tmp_path)
    assert [i.id for i in first] == [i.id for i in second]
    ids = {Path(i.input).name: i.id for i in first}
    assert ids["a.html"] == ids["copy.html"] != ids["other.html"]


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("binary.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("empty.html", b"", "empty"),
        ("blank.txt", b"  \n\n\t ", "empty"),
        ("zeros.txt", b"\x00" * 100, "binary"),
    ],
)
def test_bad_single_files(tmp_path: Path, name: str, data: bytes, error: str) -> None:
    (tmp_path / name).write_bytes(data)
    items, errors = collect(tmp_path / name)
    assert not items
    assert [(e.error, e.input) for e in errors] == [(error, str(tmp_path / name))]
    assert errors[0].message


def test_encodings_in_files(tmp_path: Path) -> None:
    cyr = "Лавров встретился с Блинкеном в Женеве, стороны договорились продолжить диалог. " * 3
    (tmp_path / "cp1251.txt").write_bytes(cyr.encode("cp1251"))
    (tmp_path / "utf16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (tmp_path / "bad-utf8.txt").write_bytes("Genève talks ü ".encode() * 3 + b"\xc3\x28 end")
    items, errors = collect(tmp_path)
    assert not errors
    got = {Path(i.input).name: i.content for i in items}
    assert got["cp1251.txt"] == cyr
    assert got["utf16.txt"] == ARTICLE
    assert got["bad-utf8.txt"].startswith("Genève talks ü")


def test_too_large_checked_before_reading(tmp_path: Path) -> None:
    (tmp_path / "big.html").write_text(html_page("x" * 5000))
    (tmp_path / "big.txt.gz").write_bytes(gz(b"y" * 50_000))  # small on disk, big inflated
    (tmp_path / "ok.txt").write_text("short text")
    items, errors = collect(tmp_path, max_item_bytes=1000)
    assert [Path(i.input).name for i in items] == ["ok.txt"]
    assert sorted((Path(e.input).name, e.error) for e in errors) == [
        ("big.html", "too-large"),
        ("big.txt.gz", "too-large"),
    ]


def test_gzipped_html_and_text(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gz(html_page().encode()))
    (tmp_path / "note.txt.gz").write_bytes(gz(ARTICLE.encode()))
    items, errors = collect(tmp_path)
    assert not errors
    assert {Path(i.input).name: i.kind for i in items} == {
        "page.html.gz": "html",
        "note.txt.gz": "text",
    }
    assert items[1].content == ARTICLE or items[0].content == ARTICLE


def test_truncated_and_corrupt_gzip(tmp_path: Path) -> None:
    data = gz(ARTICLE.encode() * 20)
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "junk.html.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"not deflate at all" * 5)
    items, errors = collect(tmp_path)
    assert not items
    assert {Path(e.input).name: e.error for e in errors} == {
        "cut.txt.gz": "truncated",
        "junk.html.gz": "bad-gzip",
    }


def test_unknown_extensions_are_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.dat").write_text(html_page())
    (tmp_path / "README").write_text(ARTICLE)
    (tmp_path / "items.out").write_text('{"text": "hello world"}\n')
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "page.gz").write_bytes(gz(html_page().encode()))
    items, errors = collect(tmp_path)
    kinds = {Path(i.input).name: i.kind for i in items}
    assert kinds == {"page.dat": "html", "README": "text", "items.out": "text", "page.gz": "html"}
    assert [(Path(e.input).name, e.error) for e in errors] == [("blob.bin", "binary")]


def test_folders_recurse_and_skip_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "b" / "c.txt").write_text("two")
    (tmp_path / "b" / "deep" / "d.html").write_text(html_page())
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / ".git" / "config.txt").write_text("secret")
    sources = list(expand_inputs([str(tmp_path)]))
    assert sources == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "c.txt"),
        str(tmp_path / "b" / "deep" / "d.html"),
    ]


def test_globs_dedup_and_order(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    for name in ["2.txt", "1.txt", "x/3.txt", "x/4.html", "x/.5.txt"]:
        (tmp_path / name).write_text(name)
    sources = list(
        expand_inputs(
            [
                str(tmp_path / "**" / "*.txt"),
                str(tmp_path / "1.txt"),
                str(tmp_path / "x"),
            ]
        )
    )
    names = [os.path.relpath(s, tmp_path) for s in sources if isinstance(s, str)]
    assert names == ["1.txt", "2.txt", "x/3.txt", "x/4.html"]


def test_missing_inputs_are_errors_and_reading_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("fine")
    (tmp_path / "empty_dir").mkdir()
    inputs = [
        tmp_path / "nope.html",
        tmp_path / "*.nomatch",
        tmp_path / "ok.txt",
        tmp_path / "empty_dir",
        "ftp://example.org/feed",
    ]
    results = list(expand_inputs([str(i) for i in inputs]))
    errors = [r for r in results if isinstance(r, ItemError)]
    assert [e.error for e in errors] == ["not-found", "not-found", "empty", "unsupported"]
    items, errs = collect(inputs)
    assert len(items) == 1 and len(errs) == 4


def test_gzip_file_object_is_closed(tmp_path: Path) -> None:
    path = tmp_path / "n.txt.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"hello there")
    items, _ = collect(path)
    assert items[0].content == "hello there"


def test_fifo_in_folder_is_skipped_not_opened(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    os.mkfifo(tmp_path / "pipe.txt")
    assert list(expand_inputs([str(tmp_path)])) == [str(tmp_path / "a.txt")]
    items, errors = collect(tmp_path / "pipe.txt")
    assert not items and [e.error for e in errors] == ["unsupported"]


def test_hostile_markup_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "h.html").write_text("<html><head>" + "<link <meta " * 100_000)
    items, errors = collect(tmp_path / "h.html")
    assert not errors and items[0].url is None
