"""Situation reports: a typed report built from the store, rendered as Markdown or HTML.

``build_report(ng_or_store, Selection(story=...))`` gives a :class:`Report`;
``render_markdown(report)`` and ``render_html(report)`` are pure functions of it.
"""

from __future__ import annotations

from newsgraph.report.build import SelectionError, build_report, select_documents
from newsgraph.report.html import render_html
from newsgraph.report.markdown import render_markdown
from newsgraph.report.model import (
    Actor,
    ArticleRef,
    Claim,
    Discrepancy,
    Position,
    Report,
    RoleClaim,
    Selection,
    SourceRef,
    Statement,
    TimelineEntry,
)

__all__ = [
    "Actor",
    "ArticleRef",
    "Claim",
    "Discrepancy",
    "Position",
    "Report",
    "RoleClaim",
    "Selection",
    "SelectionError",
    "SourceRef",
    "Statement",
    "TimelineEntry",
    "build_report",
    "render_html",
    "render_markdown",
    "select_documents",
]
