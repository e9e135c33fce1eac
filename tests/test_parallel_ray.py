"""Per-document work on a real (local) Ray instance gives exactly what local workers give."""

from __future__ import annotations

import json
from pathlib import Path

import newsgraph

SAMPLE = Path(__file__).resolve().parents[1] / "sample"


def _export(db: Path, out: Path) -> list[dict]:
    with newsgraph.open(db) as ng:
        ng.export(out)
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted((json.loads(x) for x in lines), key=lambda r: r["id"])


def test_ray_executor_matches_local_run(tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "binary.html").write_bytes(bytes(range(256)) * 16)
    with newsgraph.open(tmp_path / "ray.db") as ng:
        summary = ng.run([str(SAMPLE), str(bad)], workers=2, executor="ray", batch_size=2)
    assert summary.stored == 5
    assert [e.error for e in summary.errors] == ["binary"]  # per-item errors still reported
    with newsgraph.open(tmp_path / "local.db") as ng:
        ng.run([str(SAMPLE), str(bad)], workers=1, batch_size=2)
    ray_rows = _export(tmp_path / "ray.db", tmp_path / "ray-out")
    assert ray_rows == _export(tmp_path / "local.db", tmp_path / "local-out")
    assert all(r["mentions"] for r in ray_rows)  # the NLP stages ran inside the Ray workers
