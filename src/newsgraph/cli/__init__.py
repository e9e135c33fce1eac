"""The ``newsgraph`` command: a thin layer over the Python API (:mod:`newsgraph.api`).

Commands live in one module per topic; importing a module registers its commands on
:data:`app`. Exit codes: 0 all good, 1 some items failed, 2 usage or configuration error.
"""

from __future__ import annotations

from newsgraph.cli import (
    annotate,  # noqa: F401 - registers annotate
    core,  # noqa: F401 - registers run, export, search, stats, errors
    entities,  # noqa: F401 - registers entities, entity, merge, split, corrections
    events,  # noqa: F401 - registers events, timeline
    quotes,  # noqa: F401 - registers quotes
    report,  # noqa: F401 - registers report
    stories,  # noqa: F401 - registers stories, story, recluster
    web,  # noqa: F401 - registers serve, token
)
from newsgraph.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
