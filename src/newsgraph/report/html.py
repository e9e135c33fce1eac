"""Render a :class:`Report` as one self-contained HTML file (placeholder until the template)."""

from __future__ import annotations

from newsgraph.report.model import Report


def render_html(report: Report) -> str:
    raise NotImplementedError
