"""Deterministic generator of realistic news-like HTML pages, for speed and dedup benchmarks.

    .venv/bin/python bench/corpus.py OUT_DIR --n 5000 --seed 1

Pages look like what the web serves: site chrome (navigation, breadcrumbs, cookie banners,
newsletter boxes, "related" and "most read" lists, comments, link-heavy footers), inline CSS,
scripts and JSON-LD around one article (headline, byline, ``<time datetime>``, 6–25 paragraphs,
some subheadings and figures). Sizes run from 10 to 120 KB, most of it furniture, as on real
news sites. About 3 % of the pages are near-duplicates of an earlier page (the same article in
another outlet's template) and about 1 % are byte-identical copies, so deduplication has work.

All text is made up: words are built from syllables by a seeded RNG, so no page contains real
names or copyrighted text. The same ``--n`` and ``--seed`` always give the same bytes, and page
``i`` does not depend on ``--n`` (a bigger corpus extends a smaller one).

A manifest (``OUT_DIR.manifest.json``, next to the folder so readers never ingest it) lists
every page with its article id and whether it is a copy of an earlier page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

# Bump when the output changes, so cached corpora are regenerated.
GENERATOR_VERSION = 1

NEAR_DUP_RATE = 0.03
EXACT_DUP_RATE = 0.01
MIN_BYTES, MAX_BYTES = 10_000, 120_000


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# Generic English glue words: only the content words are invented.
FUNCTION_WORDS = _split(
    "the the the a a an of of of to to in in and and and for on with by at from as that "
    "which while after before during over under between against about into than its their "
    "this these those it they he she we is was were are has had have will would could may "
    "not also more most some many several other new last first next two three four"
)
VERBS_SAID = ("said", "told reporters", "added", "wrote", "argued", "noted", "warned", "stated")
MONTHS = _split(
    "January February March April May June July August September October November December"
)

_ONSETS = _split(
    "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sk sl sm sn sp st "
    "str t th tr v w wh z"
)
_VOWELS = _split("a e i o u a e i o u a e i o ai ea ee ou")
_CODAS = [
    "",
    "",
    "",
    "",
    "",
    "n",
    "r",
    "s",
    "t",
    "l",
    "m",
    "nd",
    "nt",
    "rk",
    "st",
    "ng",
    "ck",
    "sh",
]
_SUFFIXES = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "s",
    "ed",
    "ing",
    "er",
    "ion",
    "al",
    "ity",
    "ment",
    "ness",
    "ly",
]


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]  # content words, most frequent first
    cum_weights: list[float]  # Zipf weights for random.choices
    names: list[str]  # capitalised proper names (people, places, organisations)


def _word(rng: random.Random, syllables: int) -> str:
    parts = [
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
    ]
    return "".join(parts) + rng.choice(_SUFFIXES)


@lru_cache(maxsize=4)
def vocabulary(seed: int) -> Vocabulary:
    """A procedurally built vocabulary with a Zipf-like frequency curve."""
    rng = random.Random(f"vocab-{seed}")
    seen: set[str] = set()
    words: list[str] = []
    while len(words) < 4000:
        w = _word(rng, rng.choice((1, 1, 1, 2, 2, 2, 3)))
        if 2 <= len(w) <= 13 and w not in seen:
            seen.add(w)
            words.append(w)
    # Frequent words are short in every language: rank roughly by length.
    words.sort(key=lambda w: len(w) + 4 * rng.random())
    names: list[str] = []
    while len(names) < 600:
        n = _word(rng, rng.choice((1, 2, 2, 2, 3))).capitalize()
        if n.lower() not in seen:
            seen.add(n.lower())
            names.append(n)
    weights = [1.0 / (rank + 2.7) for rank in range(len(words))]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return Vocabulary(words, cum, names)


class Writer:
    """Sentences and phrases from a vocabulary with one RNG."""

    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng = rng
        self.vocab = vocab

    def words(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab.words, cum_weights=self.vocab.cum_weights, k=k)

    def name(self) -> str:
        return self.rng.choice(self.vocab.names)

    def person(self) -> str:
        return f"{self.name()} {self.name()}"

    def phrase(self, lo: int, hi: int) -> str:
        return " ".join(self.words(self.rng.randint(lo, hi)))

    def title(self, lo: int = 4, hi: int = 10) -> str:
        ws = self.words(self.rng.randint(lo, hi))
        ws[self.rng.randrange(len(ws))] = self.name()
        return " ".join(ws).capitalize()

    def sentence(self) -> str:
        rng = self.rng
        n = rng.randint(8, 26)
        content = iter(self.words(n))
        out: list[str] = []
        for i in range(n):
            r = rng.random()
            if r < 0.38 and i:
                out.append(rng.choice(FUNCTION_WORDS))
            elif r < 0.46:
                out.append(self.name())
            elif r < 0.48:
                out.append(str(rng.choice((rng.randint(2, 99), rng.randint(100, 2030)))))
            else:
                out.append(next(content))
            if i and i < n - 2 and rng.random() < 0.07:
                out[-1] += ","
        text = " ".join(out)
        text = text[0].upper() + text[1:] + rng.choice(".....?")
        if rng.random() < 0.12:  # a direct quote with its speaker
            text = f"“{text[:-1]},” {rng.choice(VERBS_SAID)} {self.person()}."
        return text

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))


@dataclass(frozen=True)
class Article:
    ident: int
    headline: str
    standfirst: str
    author: str
    published: dt.datetime
    section: str
    blocks: list[tuple[str, str]]  # ("p" | "h2" | "figure" | "blockquote", text)
    tags: list[str]


def make_article(seed: int, ident: int) -> Article:
    """Article ``ident``: a pure function of (seed, ident), so copies can be re-made later."""
    rng = random.Random(f"article-{seed}-{ident}")
    w = Writer(rng, vocabulary(seed))
    blocks: list[tuple[str, str]] = []
    paragraphs = rng.randint(6, 25)
    with_subheads = rng.random() < 0.5
    for i in range(paragraphs):
        if with_subheads and i > 2 and rng.random() < 0.15:
            blocks.append(("h2", w.title(3, 7)))
        if i > 1 and rng.random() < 0.08:
            blocks.append(("figure", w.sentence()))
        if i > 2 and rng.random() < 0.04:
            blocks.append(("blockquote", w.sentence()))
        blocks.append(("p", w.paragraph()))
    published = dt.datetime(2019, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
        minutes=rng.randrange(5 * 365 * 24 * 60)
    )
    return Article(
        ident=ident,
        headline=w.title(),
        standfirst=w.sentence(),
        author=w.person(),
        published=published,
        section=w.words(1)[0].capitalize(),
        blocks=blocks,
        tags=[w.words(1)[0] for _ in range(rng.randint(2, 6))],
    )


# --- site chrome ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    name: str
    domain: str
    layout: str
    nav: list[str]


LAYOUTS = ("classic", "portal", "blog", "minimal")


def make_site(seed: int, ident: int) -> Site:
    rng = random.Random(f"site-{seed}-{ident}")
    w = Writer(rng, vocabulary(seed))
    name = f"The {w.name()} {rng.choice(('Herald', 'Times', 'Post', 'Daily', 'Observer', 'News'))}"
    domain = name.lower().replace("the ", "").replace(" ", "") + ".example"
    nav = [w.words(1)[0].capitalize() for _ in range(rng.randint(6, 16))]
    return Site(name, domain, rng.choice(LAYOUTS), nav)


def _slug(text: str) -> str:
    return "-".join(text.lower().split()[:8])


def _links(w: Writer, site: Site, k: int, lo: int = 3, hi: int = 9) -> list[str]:
    out = []
    for _ in range(k):
        t = w.title(lo, hi)
        out.append(f'<a href="https://{site.domain}/{_slug(t)}">{escape(t)}</a>')
    return out


def _css(rng: random.Random, budget: int) -> str:
    parts: list[str] = []
    size = 0
    props = ("margin", "padding", "font-size", "line-height", "width", "max-width", "top", "gap")
    while size < budget:
        sel = f".{rng.choice(('c', 'm', 'x', 'art', 'nav', 'ft', 'hd'))}-{rng.randrange(4096):x}"
        body = ";".join(
            f"{rng.choice(props)}:{rng.randint(0, 64)}{rng.choice(('px', 'rem', '%', 'em'))}"
            for _ in range(rng.randint(2, 6))
        )
        rule = f"{sel}{{{body};color:#{rng.randrange(1 << 24):06x}}}\n"
        parts.append(rule)
        size += len(rule)
    return "".join(parts)


def _js(rng: random.Random, budget: int) -> str:
    parts: list[str] = []
    size = 0
    while size < budget:
        fn = f"f{rng.randrange(1 << 20):x}"
        stmt = (
            f"function {fn}(e,t){{var n=document.querySelectorAll('.c-{rng.randrange(4096):x}');"
            f"for(var i=0;i<n.length;i++){{n[i].setAttribute('data-k',{rng.randint(0, 999)});}}"
            f"return t?e+{rng.randint(1, 99)}:window.__q&&window.__q.push(['{fn}',e]);}}\n"
        )
        parts.append(stmt)
        size += len(stmt)
    return "".join(parts)


def _chrome(w: Writer, site: Site, budget: int) -> tuple[str, str]:
    """Markup-heavy furniture: a mega menu (nested link lists), ad slots and an SVG sprite.

    Returned as (top, bottom) halves. It gives the pages a realistic number of DOM nodes:
    parsing and pruning them is much of an extractor's cost on real sites.
    """
    rng = w.rng
    top: list[str] = ['<div class="mega-menu" hidden>']
    bottom: list[str] = ['<svg xmlns="http://www.w3.org/2000/svg" style="display:none">']
    size = 0
    while size < budget:
        r = rng.random()
        if r < 0.5:
            links = "".join(
                f"<li>{link}</li>" for link in _links(w, site, rng.randint(4, 12), 1, 3)
            )
            part = f'<div class="mm-col"><h5>{escape(w.title(1, 2))}</h5><ul>{links}</ul></div>'
            top.append(part)
        elif r < 0.75:
            slot, fmt = rng.randrange(1 << 24), rng.choice(("300x250", "728x90"))
            part = (
                f'<div class="ad-slot" id="ad-{slot:06x}" data-size="{fmt}"'
                f' data-pos="{rng.randint(1, 9)}"><div class="ad-label">Advertisement</div>'
                f'<div class="ad-inner"><iframe title="ad" src="about:blank"></iframe></div></div>'
            )
            (top if rng.random() < 0.5 else bottom).append(part)
        else:
            d = " ".join(
                f"{rng.choice('MLCQ')}{rng.randint(0, 24)} {rng.randint(0, 24)}"
                for _ in range(rng.randint(6, 20))
            )
            icon = rng.randrange(1 << 20)
            part = f'<symbol id="i-{icon:x}" viewBox="0 0 24 24"><path d="{d}"/></symbol>'
            bottom.append(part)
        size += len(part)
    top.append("</div>")
    bottom.append("</svg>")
    return "".join(top), "".join(bottom)


def _time(a: Article) -> str:
    d = a.published
    label = f"{d.day} {MONTHS[d.month - 1]} {d.year}, {d:%H:%M}"
    return f'<time datetime="{d.isoformat()}">{label}</time>'


def _body(a: Article, w: Writer) -> str:
    out: list[str] = []
    for kind, text in a.blocks:
        if kind == "p":
            out.append(f"<p>{escape(text)}</p>")
        elif kind == "h2":
            out.append(f"<h2>{escape(text)}</h2>")
        elif kind == "blockquote":
            out.append(f"<blockquote><p>{escape(text)}</p></blockquote>")
        else:
            img = f"https://cdn.example/img/{w.rng.randrange(1 << 32):08x}.jpg"
            out.append(
                f'<figure><img src="{img}" alt="" width="800" height="450">'
                f"<figcaption>{escape(text)} Photo: {escape(w.person())}</figcaption></figure>"
            )
    return "\n".join(out)


def _comments(w: Writer) -> str:
    rng = w.rng
    items = []
    for _ in range(rng.randint(0, 12)):
        items.append(
            f'<li class="comment"><div class="comment-author">{escape(w.name())}'
            f"{rng.randint(1, 99)}</div>"
            f'<div class="comment-date">{rng.randint(1, 23)} hours ago</div>'
            f'<div class="comment-body"><p>{escape(w.sentence())}</p></div>'
            '<a class="reply" href="#reply">Reply</a></li>'
        )
    form = (
        '<form class="comment-form" action="/comments" method="post"><h3>Leave a comment</h3>'
        '<textarea name="comment"></textarea><input name="author" placeholder="Name">'
        '<button type="submit">Post comment</button></form>'
    )
    return (
        f'<section id="comments" class="comments"><h2>{len(items)} comments</h2>'
        f"<ol>{''.join(items)}</ol>{form}</section>"
    )


def _footer(w: Writer, site: Site) -> str:
    cols = []
    for _ in range(w.rng.randint(3, 5)):
        links = "".join(f"<li>{link}</li>" for link in _links(w, site, w.rng.randint(4, 9), 1, 3))
        cols.append(
            f'<div class="footer-col"><h4>{escape(w.title(1, 2))}</h4><ul>{links}</ul></div>'
        )
    return (
        f'<footer class="site-footer">{"".join(cols)}'
        f"<p>© {w.rng.randint(2019, 2024)} {escape(site.name)}. All rights reserved. "
        '<a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/contact">Contact'
        "</a></p></footer>"
    )


def _nav(site: Site) -> str:
    items = "".join(f'<li><a href="/{s.lower()}/">{escape(s)}</a></li>' for s in site.nav)
    return f'<nav class="main-nav" aria-label="Sections"><ul class="menu">{items}</ul></nav>'


def _jsonld(a: Article, site: Site, url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "datePublished": a.published.isoformat(),
        "author": {"@type": "Person", "name": a.author},
        "publisher": {"@type": "Organization", "name": site.name},
        "mainEntityOfPage": url,
    }
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def render(a: Article, site: Site, seed: int, variant: int, target: int) -> str:
    """One page: the article in the site's layout, padded with scripts/styles to ``target``."""
    rng = random.Random(f"page-{seed}-{a.ident}-{variant}")
    w = Writer(rng, vocabulary(seed))
    url = f"https://{site.domain}/{a.section.lower()}/{a.published:%Y/%m/%d}/{_slug(a.headline)}"
    related = "".join(f"<li>{link}</li>" for link in _links(w, site, rng.randint(3, 8)))
    most_read = "".join(f"<li>{link}</li>" for link in _links(w, site, rng.randint(5, 10)))
    tags = "".join(f'<a rel="tag" href="/tag/{t}">{t}</a> ' for t in a.tags)
    byline = f'<span class="byline">By <a rel="author" href="/authors/{_slug(a.author)}">'
    byline += f"{escape(a.author)}</a></span>"
    article = (
        f'<h1 class="headline">{escape(a.headline)}</h1>'
        f'<p class="standfirst">{escape(a.standfirst)}</p>'
        f'<div class="meta">{byline} {_time(a)}</div>'
        f'<div class="article-body">{_body(a, w)}</div>'
        f'<div class="tags">Tags: {tags}</div>'
    )
    share = (
        '<div class="share"><a href="#share-fb">Share</a><a href="#share-x">Post</a>'
        '<a href="#share-mail">Email</a><a href="#print">Print</a></div>'
    )
    crumbs = (
        f'<ol class="breadcrumb"><li><a href="/">Home</a></li>'
        f'<li><a href="/{a.section.lower()}/">{escape(a.section)}</a></li></ol>'
    )
    newsletter = (
        f'<div class="newsletter"><h3>{escape(w.title(3, 6))}</h3><p>{escape(w.sentence())}</p>'
        '<form><input type="email" placeholder="Email address"><button>Sign up</button>'
        "</form></div>"
    )
    cookie = f'<div id="cookie-banner" class="consent"><p>{escape(w.sentence())}</p><button>Accept'
    cookie += "</button><button>Settings</button></div>"
    header = f'<header class="site-header"><a class="logo" href="/">{escape(site.name)}</a>'
    header += f"{_nav(site)}</header>"

    if site.layout == "classic":
        main = (
            f"{header}{crumbs}<main><article>{article}{share}</article>"
            f'<aside class="related"><h2>Related articles</h2><ul>{related}</ul></aside>'
            f"{_comments(w)}</main>"
            f'<aside class="sidebar"><h3>Most read</h3><ol>{most_read}</ol>{newsletter}</aside>'
        )
    elif site.layout == "portal":
        main = (
            f'{cookie}<div class="container"><div class="row">{header}</div>'
            f'<div class="row">{crumbs}</div><div class="row"><div class="col-md-8">'
            f'<div class="post">{article}</div>{share}'
            f'<div class="more"><h3>More from {escape(a.section)}</h3><ul>{related}</ul></div>'
            f'</div><div class="col-md-4"><div class="widget"><h3>Trending</h3><ul>{most_read}'
            f"</ul></div>{newsletter}</div></div>{_comments(w)}</div>"
        )
    elif site.layout == "blog":
        bio = f'<div class="author-bio"><h4>About {escape(a.author)}</h4><p>{escape(w.sentence())}'
        bio += "</p></div>"
        main = (
            f'<div id="page" class="site">{header}<div id="content" class="site-content">'
            f'<div class="entry-content">{article}</div>{bio}{share}'
            f'<nav class="post-navigation"><div class="nav-previous">{_links(w, site, 1)[0]}</div>'
            f'<div class="nav-next">{_links(w, site, 1)[0]}</div></nav>'
            f'<div class="related-posts"><h3>You may also like</h3><ul>{related}</ul></div>'
            f'{_comments(w)}</div><div id="secondary" class="widget-area"><ul>{most_read}</ul>'
            f"</div></div>"
        )
    else:  # minimal: little chrome, most bytes in scripts
        main = f"{header}<main><article>{article}</article></main>{share}"
    footer = _footer(w, site)

    head = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(a.headline)} | {escape(site.name)}</title>"
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="description" content="{escape(a.standfirst)}">'
        f'<meta property="og:title" content="{escape(a.headline)}">'
        f'<meta property="og:site_name" content="{escape(site.name)}">'
        f'<link rel="canonical" href="{url}">{_jsonld(a, site, url)}'
    )
    fixed = len(head) + len(main) + len(footer) + 200
    # Real pages carry most of their weight in furniture markup, CSS and JS.
    pad = max(0, target - fixed)
    markup_budget = int(pad * rng.uniform(0.25, 0.55))
    css_budget = int((pad - markup_budget) * rng.uniform(0.2, 0.6))
    top, bottom = _chrome(w, site, markup_budget)
    return (
        f"{head}<style>{_css(rng, css_budget)}</style></head>\n<body>\n{top}\n{main}\n"
        f"{footer}\n{bottom}\n<script>{_js(rng, pad - markup_budget - css_budget)}</script>\n"
        "</body></html>\n"
    )


# --- corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PagePlan:
    index: int
    article: int  # article id shown on the page
    site: int
    variant: int
    copy_of: int | None  # index of the earlier page this one copies
    kind: str  # "original" | "near-duplicate" | "exact-duplicate"
    target: int


def plan_page(seed: int, index: int) -> PagePlan:
    """What page ``index`` shows; depends on (seed, index) only."""
    rng = random.Random(f"plan-{seed}-{index}")
    # Log-uniform size: many small pages, a long tail of heavy ones, like real news sites.
    target = int(math.exp(rng.uniform(math.log(MIN_BYTES * 1.15), math.log(MAX_BYTES * 0.9))))
    r = rng.random()
    if index >= 10 and r < EXACT_DUP_RATE:
        src = rng.randrange(index)
        return PagePlan(index, -1, -1, -1, src, "exact-duplicate", target)
    if index >= 10 and r < EXACT_DUP_RATE + NEAR_DUP_RATE:
        src = rng.randrange(index)
        return PagePlan(index, -1, rng.randrange(40), index, src, "near-duplicate", target)
    return PagePlan(index, index, rng.randrange(40), 0, None, "original", target)


def resolve(seed: int, index: int) -> PagePlan:
    """Follow copy chains so a plan names the article and, for exact copies, the page to copy."""
    plan = plan_page(seed, index)
    if plan.kind == "exact-duplicate":
        src = resolve(seed, plan.copy_of or 0)
        return PagePlan(
            index, src.article, src.site, src.variant, plan.copy_of, plan.kind, src.target
        )
    if plan.kind == "near-duplicate":
        src = resolve(seed, plan.copy_of or 0)
        site = plan.site if plan.site != src.site else (plan.site + 1) % 40
        return PagePlan(
            index, src.article, site, plan.variant, plan.copy_of, plan.kind, plan.target
        )
    return plan


def page_html(seed: int, plan: PagePlan) -> str:
    html = render(
        make_article(seed, plan.article),
        make_site(seed, plan.site),
        seed,
        plan.variant,
        plan.target,
    )
    return html


def file_name(index: int) -> str:
    return f"page-{index:06d}.html"


def generate(out_dir: Path, n: int, seed: int) -> dict[str, object]:
    """Write ``n`` pages into ``out_dir`` and the manifest next to it; returns the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pages: list[dict[str, object]] = []
    total = 0
    for i in range(n):
        plan = resolve(seed, i)
        data = page_html(seed, plan).encode("utf-8")
        (out_dir / file_name(i)).write_bytes(data)
        total += len(data)
        pages.append(
            {
                "file": file_name(i),
                "article": plan.article,
                "kind": plan.kind,
                "copy_of": None if plan.copy_of is None else file_name(plan.copy_of),
                "bytes": len(data),
            }
        )
    manifest: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "n": n,
        "seed": seed,
        "bytes": total,
        "near_duplicates": sum(p["kind"] == "near-duplicate" for p in pages),
        "exact_duplicates": sum(p["kind"] == "exact-duplicate" for p in pages),
        "pages": pages,
    }
    manifest_path(out_dir).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def manifest_path(out_dir: Path) -> Path:
    return out_dir.with_name(out_dir.name + ".manifest.json")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic news HTML corpus.")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    start = time.perf_counter()
    m = generate(args.out_dir, args.n, args.seed)
    print(
        f"wrote {m['n']} pages ({int(m['bytes']) / 1e6:.1f} MB; {m['near_duplicates']} near- and "
        f"{m['exact_duplicates']} exact duplicates) to {args.out_dir} "
        f"in {time.perf_counter() - start:.1f} s; manifest {manifest_path(args.out_dir)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
