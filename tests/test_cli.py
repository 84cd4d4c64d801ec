"""CLI smoke tests: help, actionable errors, exit codes, any working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painrcm.cli import app

runner = CliRunner()
PAINRCM = Path(sys.executable).with_name("painrcm")


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("generate", "ingest", "build", "run", "demo", "scorecard"):
        assert command in result.output


def test_bad_as_of_is_one_actionable_line(tmp_path):
    result = runner.invoke(
        app, ["build", "--warehouse", str(tmp_path / "w.duckdb"), "--as-of", "30/06/2026"]
    )
    assert result.exit_code == 1
    assert "--as-of '30/06/2026' is not a date: use YYYY-MM-DD" in result.output


def test_missing_inbox_fails_cleanly(tmp_path):
    result = runner.invoke(
        app,
        ["ingest", "--inbox", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")],
    )
    assert result.exit_code == 1
    assert "is not a folder" in result.output
    assert "Traceback" not in result.output


def test_build_without_warehouse_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["build", "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1
    assert "run `painrcm ingest` first" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "--out", "{tmp}/inbox", "--claims-format", "xml"],
         "--claims-format 'xml' is not known: use csv, 837 or both"),
        (["build", "--warehouse", "{tmp}/w.duckdb", "--engine", "DuckDB"],
         "--engine 'DuckDB' is not known: use duckdb or spark"),
        (["export", "ar_worklist", "--warehouse", "{tmp}/w.duckdb", "--out", "{tmp}/x",
          "--format", "pdf"], "--format 'pdf' is not known: use csv or xlsx"),
        (["work", "list", "--warehouse", "{tmp}/w.duckdb", "--format", "json"],
         "--format 'json' is not known: use table or csv"),
        (["users", "add", "bob", "--warehouse", "{tmp}/w.duckdb", "--role", "owner"],
         "--role 'owner' is not known: use biller or manager"),
        (["work", "set", "ar_worklist", "C1", "--warehouse", "{tmp}/w.duckdb", "--as", "ana",
          "--status", "closed"],
         "--status 'closed' is not known: use new, in_progress, waiting_on_payer, done or snoozed"),
    ],
)  # fmt: skip
def test_a_choice_outside_its_list_is_one_line_and_writes_nothing(tmp_path, args, message):
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [f"painrcm: error: {message}"]
    assert list(tmp_path.iterdir()) == []


def test_choices_are_listed_in_help_and_any_case_where_documented(tmp_path):
    help_text = runner.invoke(app, ["generate", "--help"], terminal_width=200).output
    assert "csv|837|both" in help_text
    out = tmp_path / "x.csv"
    result = runner.invoke(
        app,
        ["export", "ar_worklist", "--warehouse", str(tmp_path / "no.duckdb"), "--out", str(out),
         "--format", "CSV"],
    )  # fmt: skip
    assert result.exit_code == 1 and "does not exist" in result.output  # got past --format


def test_console_script_runs_from_another_directory(tmp_path):
    """cron starts painrcm from the home folder: nothing may depend on the cwd."""
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run(
        [str(PAINRCM), "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "generate" in proc.stdout


def test_docs_writes_a_static_page(built_warehouse, tmp_path):
    result = runner.invoke(
        app, ["docs", "--warehouse", str(built_warehouse), "--out", str(tmp_path / "docs")]
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "docs" / "index.html").read_text()
    assert "practice_kpis" in page and "stg_x12__service_lines" in page


def test_help_texts_tell_the_truth():
    commands = ("generate", "ingest", "build", "run", "demo", "docs", "serve", "export")
    for command in commands:
        result = runner.invoke(app, [command, "--help"], terminal_width=200)
        assert result.exit_code == 0, result.output
        assert "<bool>" not in result.output, command  # flags take no value
    build_help = _help_words("build")
    assert "created if missing" not in build_help and "must exist" in build_help
    assert "created if missing" in _help_words("ingest")


def _help_words(command: str) -> str:
    """The help text as words (rich wraps it to the widest metavar: phrases may break)."""
    output = runner.invoke(app, [command, "--help"], terminal_width=200).output
    return " ".join(output.replace("│", " ").split())
