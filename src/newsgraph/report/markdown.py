"""Render a :class:`Report` as Markdown (GitHub-flavoured: tables and footnotes).

Article strings are untrusted: whitespace is collapsed (no new blocks) and Markdown and HTML
punctuation is backslash-escaped, so a headline cannot inject links, HTML or formatting into
the report or into a viewer that renders Markdown to HTML.
"""

from __future__ import annotations

import re

from newsgraph.report.footnotes import (
    DEFAULT_LINK_BASE,
    Footnotes,
    document_link,
    shown,
    source_link,
)
from newsgraph.report.model import Report, SourceRef
from newsgraph.report.text import (
    POSITION_LABELS,
    date_range,
    event_date,
    first_latest,
    fmt_date,
    one_line,
    outlet_list,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md(s: str | None, limit: int = 0) -> str:
    """Untrusted text as inert Markdown on one line."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(s, limit))


def _refs(fn: Footnotes, refs: list[SourceRef]) -> str:
    links, more = shown(refs)
    return "".join(f"[^{n}]" for n in fn.numbers(links)) + (f" (+{more} more)" if more else "")


def render_markdown(report: Report, *, link_base: str = DEFAULT_LINK_BASE) -> str:
    """The report as Markdown; every fact is followed by footnotes linking to its spans."""
    fn = Footnotes()
    out: list[str] = []
    w = out.append
    outlets = report.outlets
    w(f"# {md(report.title)}\n")
    w(
        f"*{md(report.selection.describe())} · {len(report.articles)} articles from "
        f"{len(outlets)} outlets · {date_range(*report.period)} · generated "
        f"{report.generated.isoformat()}*\n"
    )
    for note in report.notes:
        w(f"*Note: {md(note)}*\n")

    w("## Timeline\n")
    if not report.timeline:
        w("*No events were extracted from these articles.*\n")
    for t in report.timeline:
        who = md(t.source or "unknown actor")
        if t.target:
            who += f" → {md(t.target)}"
        mode = f" ({md(t.mode)})" if t.mode else ""
        where = f", in {md(t.location)}" if t.location else ""
        n = len({r.document for r in t.sources})
        said = f" — “{md(t.sources[0].excerpt, 160)}”" if t.sources else ""
        refs = _refs(fn, t.sources)
        if t.from_caption:  # captions are not in the text: no span to cite, the outlets say
            n = len({c.document for c in t.captions})
            said = f" — photo caption: “{md(t.captions[0].excerpt, 160)}”"
            cap_outlets = sorted({c.outlet or "unknown outlet" for c in t.captions})
            refs = f"(photo caption; {md(', '.join(cap_outlets))})"
        when = event_date(t.date, t.reported)
        w(
            f"- **{when}** — {md(t.type)}{mode}: {who}{where}; {md(t.status)}{said}; "
            f"{n} article{'s' if n != 1 else ''} {refs}"
        )
    w("")

    w("## Key actors\n")
    if not report.actors:
        w("*No named actors were found.*\n")
    for a in report.actors:
        w(f"### {md(a.name)}\n")
        w(f"{md(a.type)}; named {a.mentions} times in {a.documents} articles.\n")
        if a.aliases:
            w(f"Also written: {', '.join(md(x) for x in a.aliases)}.\n")
        if a.roles:
            roles = "; ".join(f"{md(r.role)}{_refs(fn, r.sources)}" for r in a.roles)
            w(f"Roles: {roles}.\n")
        if a.statements:
            w("Statements:\n")
            for s in a.statements:
                outlets_s = md(outlet_list(s.outlets))
                verb = f"{md(s.cue)}, " if s.cue else ""
                w(f"- “{md(s.text, 400)}” — {verb}{md(s.kind)}; carried by {outlets_s} "
                  f"{_refs(fn, s.sources)}")  # fmt: skip
            w("")

    w("## Positions\n")
    if not report.positions:
        w("*No demands, rejections, threats, support or accusations were found.*\n")
    current = None
    for p in report.positions:
        if p.actor != current:
            current = p.actor
            w(f"\n### {md(p.actor)}\n")
        target = f" ({md(p.target)})" if p.target else ""
        w(
            f"- **{POSITION_LABELS.get(p.kind, p.kind.lower())}**{target}, "
            f"{first_latest(p.first, p.latest)}: “{md(p.text, 300)}” "
            f"{_refs(fn, p.sources)}"
        )
    w("")

    w("## Discrepancies\n")
    if not report.discrepancies:
        w("*The articles do not contradict each other on numbers, roles or event dates.*\n")
    for d in report.discrepancies:
        w(f"### {md(d.kind.capitalize())}: {md(d.subject)}\n")
        w(f"{md(d.summary)}.\n")
        w("| version | reading | sources |")
        w("|---|---|---|")
        for c in d.claims:
            outlets_c = md(
                outlet_list(list(dict.fromkeys(r.outlet or "unknown outlet" for r in c.sources)))
            )
            w(f"| {md(c.value, 200)} | {md(c.detail or '')} | {outlets_c} {_refs(fn, c.sources)} |")
        w("")

    w("## Outlets and articles\n")
    w(", ".join(f"{md(o)} ({n})" for o, n in outlets) + "\n")
    w("| published | outlet | title |")
    w("|---|---|---|")
    for art in report.articles:
        title = md(art.title or "(untitled)", 200)
        dup = f" (copy of {md(art.duplicate_of)})" if art.duplicate_of else ""
        w(f"| {fmt_date(art.published)} | {md(art.outlet or 'unknown outlet')} | "
          f"[{title}]({document_link(art.id, link_base)}){dup} |")  # fmt: skip
    w("")

    if fn.notes:
        w("## Sources\n")
        for i, ref in enumerate(fn.notes, 1):
            label = md(f"{ref.outlet or 'unknown outlet'}, {fmt_date(ref.published)}")
            where = " (headline)" if ref.field == "title" else ""
            w(f"[^{i}]: [{label}]({source_link(ref, link_base)}){where}: “{md(ref.excerpt, 300)}”")
        w("")
    return "\n".join(out)
