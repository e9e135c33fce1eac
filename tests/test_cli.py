"""The command-line interface: commands, output, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"
runner = CliRunner()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "news.db"
    result = runner.invoke(app, ["run", str(SAMPLE), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize(
    "command",
    ["run", "export", "search", "stats", "errors", "stories", "story", "recluster",
     "story-move", "story-corrections"],
)  # fmt: skip
def test_every_command_has_help_with_examples(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_run_prints_a_summary(sample_db: Path) -> None:
    result = runner.invoke(app, ["run", str(SAMPLE), "--db", str(sample_db), "--quiet"])
    assert result.exit_code == 0
    assert "Run summary" in result.output
    assert "already stored" in result.output


def test_run_counts_undated_documents_and_says_what_stories_need(tmp_path: Path) -> None:
    # The sample files carry no publication date, except one in its byline.
    args = ["run", str(SAMPLE), "--db", str(tmp_path / "x.db"), "--quiet"]
    result = runner.invoke(app, [*args, "--stages", "stories"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert re.search(r"without a publication date\s*│\s*4\b", result.output)
    assert "4 new documents have no publication date" in result.output
    dated = REPO / "examples" / "seeds.jsonl"
    args = ["run", str(dated), "--db", str(tmp_path / "y.db"), "--quiet", "--stages", "stories"]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert re.search(r"without a publication date\s*│\s*0\b", result.output)
    assert "no publication date;" not in result.output


def test_run_exit_code_1_when_items_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\x00\x01\x02binary\xff" * 100)
    result = runner.invoke(
        app, ["run", str(SAMPLE), str(bad), "--db", str(tmp_path / "x.db"), "--quiet"]
    )
    assert result.exit_code == 1
    assert "bad.html" in result.output
    listed = runner.invoke(app, ["errors", "--db", str(tmp_path / "x.db"), "--json"])
    assert listed.exit_code == 0
    errors = [json.loads(line) for line in listed.output.splitlines()]
    assert [Path(e["input"]).name for e in errors] == ["bad.html"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["run"]).exit_code == 2
    assert runner.invoke(app, ["run", "x", "--workers", "0"]).exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("this is not a database " * 200)
    result = runner.invoke(app, ["stats", "--db", str(not_a_db)])
    assert result.exit_code == 2
    assert "cannot open database" in result.output


def test_search_ranks_and_snippets(sample_db: Path) -> None:
    result = runner.invoke(app, ["search", "Stoltenberg", "--db", str(sample_db), "--json"])
    assert result.exit_code == 0
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert hits, "Stoltenberg is in three sample articles"
    assert all("stoltenberg" in h["snippet"].lower() for h in hits)
    nothing = runner.invoke(app, ["search", "zzyzzyx", "--db", str(sample_db)])
    assert nothing.exit_code == 0 and "no matches" in nothing.output
    hostile = runner.invoke(app, ["search", '"unbalanced AND (', "--db", str(sample_db)])
    assert hostile.exit_code == 0


def test_stats_and_export(sample_db: Path, tmp_path: Path) -> None:
    stats = runner.invoke(app, ["stats", "--db", str(sample_db)])
    assert stats.exit_code == 0 and "documents" in stats.output
    result = runner.invoke(app, ["export", "--db", str(sample_db), "--out", str(tmp_path / "e")])
    assert result.exit_code == 0
    docs = (tmp_path / "e" / "documents.jsonl").read_text().splitlines()
    assert len(docs) == 5


def test_installed_entry_point() -> None:
    exe = Path(sys.executable).with_name("newsgraph")
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("newsgraph ")
