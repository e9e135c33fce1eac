"""RSS and Atom feed files, and hostile XML that must never be expanded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest_helpers import ARTICLE, collect, gz

RSS2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example Wire</title><link>https://wire.example/</link><language>en-us</language>
  <item>
    <title>Talks in Geneva</title>
    <link>https://wire.example/geneva</link>
    <guid>wire-1</guid>
    <pubDate>Fri, 21 Jan 2022 10:30:00 +0000</pubDate>
    <dc:creator>Ann Lee</dc:creator>
    <category>Diplomacy</category><category>Europe</category>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>{ARTICLE}</p><script>alert(1)</script>]]></content:encoded>
  </item>
  <item>
    <title>Second story</title>
    <link>https://wire.example/second</link>
    <description>&lt;p&gt;Only a summary &amp;amp; nothing more.&lt;/p&gt;</description>
  </item>
  <item><title>No text at all</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Le Journal</title>
  <link rel="self" href="https://journal.example/feed.atom"/>
  <updated>2022-01-22T00:00:00Z</updated><id>urn:feed</id>
  <entry>
    <title>Réunion à Genève</title>
    <link href="https://journal.example/geneve"/>
    <id>urn:entry:1</id>
    <updated>2022-01-22T08:00:00Z</updated>
    <author><name>Marie Curie</name></author><author><name>Paul Dupont</name></author>
    <content type="html">&lt;p&gt;Les ministres se sont réunis.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Texte brut</title><link href="https://journal.example/brut"/><id>urn:entry:2</id>
    <updated>2022-01-23T08:00:00Z</updated>
    <summary type="text">Un simple texte.</summary>
  </entry>
</feed>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example/"><title>Old Site</title>
    <link>https://old.example/</link><description>d</description></channel>
  <item rdf:about="https://old.example/1"><title>One</title><link>https://old.example/1</link>
    <description>First item text.</description><dc:date>2021-12-30</dc:date></item>
</rdf:RDF>"""

RSS091 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Vieux</title><link>https://v.example/</link>
<description>x</description><language>fr</language>
<item><title>Caf\xe9</title><link>https://v.example/1</link>
<description>Un caf\xe9 \xe0 Gen\xe8ve.</description></item></channel></rss>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>
<description>&lol9;</description></item></channel></rss>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>x</title>
<description>&xxe;</description></item></channel></rss>"""

PARAM_XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>
<rss version="2.0"><channel><title>t</title><item><title>x</title>
<description>d</description></item></channel></rss>"""


def test_rss2_entries(tmp_path: Path) -> None:
    (tmp_path / "wire.rss").write_text(RSS2, encoding="utf-8")
    items, errors = collect(tmp_path / "wire.rss")
    first, second = items
    assert first.kind == "html" and first.locator == "entry 1"
    assert ARTICLE.strip() in first.content
    assert "<script" not in first.content  # feedparser sanitises entry HTML
    assert (first.url, first.title, first.outlet) == (
        "https://wire.example/geneva",
        "Talks in Geneva",
        "Example Wire",
    )
    assert first.published == dt.date(2022, 1, 21)
    assert first.authors == ["Ann Lee"]
    assert first.language == "en"
    assert first.extra["entry_id"] == "wire-1"
    assert first.extra["tags"] == ["Diplomacy", "Europe"]
    assert first.extra["feed"] == str(tmp_path / "wire.rss")
    assert "Only a summary" in second.content
    assert second.published is None
    assert [(e.locator, e.error) for e in errors] == [("entry 3", "empty")]


def test_atom_entries(tmp_path: Path) -> None:
    (tmp_path / "journal.atom").write_text(ATOM, encoding="utf-8")
    items, errors = collect(tmp_path / "journal.atom")
    assert not errors
    html_entry, text_entry = items
    assert html_entry.kind == "html" and "Les ministres" in html_entry.content
    assert html_entry.authors == ["Marie Curie", "Paul Dupont"]
    assert html_entry.published == dt.date(2022, 1, 22)
    assert (html_entry.outlet, html_entry.language) == ("Le Journal", "fr")
    assert html_entry.extra["feed_url"] == "https://journal.example/feed.atom"
    assert (text_entry.kind, text_entry.content) == ("text", "Un simple texte.")


def test_rss1_and_rss091_with_doctype(tmp_path: Path) -> None:
    (tmp_path / "old.rdf").write_text(RSS1)
    (tmp_path / "vieux.xml").write_bytes(RSS091.encode("latin-1"))
    items, errors = collect(tmp_path)
    assert not errors
    assert [(i.outlet, i.title) for i in items] == [("Old Site", "One"), ("Vieux", "Café")]
    assert items[0].published == dt.date(2021, 12, 30)
    assert "Genève" in items[1].content


def test_feed_is_sniffed_and_gzipped(tmp_path: Path) -> None:
    (tmp_path / "feed").write_text(ATOM)
    (tmp_path / "wire.xml.gz").write_bytes(gz(RSS2.encode()))
    items, _ = collect(tmp_path)
    assert sorted({i.outlet for i in items}) == ["Example Wire", "Le Journal"]


def test_ids_are_stable(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_text(RSS2)
    first = [i.id for i in collect(tmp_path)[0]]
    assert first == [i.id for i in collect(tmp_path)[0]]
    assert len(set(first)) == len(first)


@pytest.mark.parametrize(
    ("doc", "error"),
    [
        (BILLION_LAUGHS, "xml-bomb"),
        (XXE, "xml-bomb"),
        (PARAM_XXE, "xml-bomb"),
        # Malformed XML must not let entity declarations through to the lenient parser.
        ("<rss><channel" + BILLION_LAUGHS[21:], "xml-bomb"),
        ("<?xml version='1.0'?><urlset><url>x</url></urlset>", "unsupported"),
        ("<?xml version='1.0'?><notxml", "bad-xml"),
        ("", "empty"),
    ],
)
def test_hostile_and_bad_xml(tmp_path: Path, doc: str, error: str) -> None:
    (tmp_path / "f.xml").write_text(doc)
    items, errors = collect(tmp_path / "f.xml")
    assert not items
    assert [e.error for e in errors] == [error]
    assert "lollol" not in errors[0].message


def test_bomb_in_utf16(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_bytes(BILLION_LAUGHS.encode("utf-16"))
    items, errors = collect(tmp_path / "f.rss")
    assert not items and [e.error for e in errors] == ["xml-bomb"]


def test_slightly_broken_feed_is_read_leniently(tmp_path: Path) -> None:
    broken = RSS2.replace("<title>Second story</title>", "<title>Second & story</title>")
    (tmp_path / "b.rss").write_text(broken)
    items, _ = collect(tmp_path / "b.rss")
    assert [i.title for i in items][:1] == ["Talks in Geneva"]
    assert len(items) == 2
