"""The command line as a user meets it: summaries, exit codes, messages instead of tracebacks."""

import logging
import shutil
from pathlib import Path

import pytest

from flows.cli import EXIT_FAILED, EXIT_OK, main

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


class Recorded(logging.Handler):
    """Keeps the messages of the records it is handed."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_run_report_and_explain(
    prefect_api: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "wire"
    shutil.copytree(SAMPLES / "example-wire", source)
    out = tmp_path / "out"
    flow_log = Recorded()
    logging.getLogger("prefect.flow_runs").addHandler(flow_log)
    try:
        assert main(["run", str(source), "--out", str(out)]) == EXIT_OK
    finally:
        logging.getLogger("prefect.flow_runs").removeHandler(flow_log)
    printed = capsys.readouterr().out
    assert "read 3 = written 2 + rejected 1" in printed
    # Progress of the shard stages, with their pace, in the run's log.
    assert any(m.startswith("cleaned 1 of 1 shards (3 documents") for m in flow_log.messages)
    assert any(m.startswith("finalised 1 of 1 shards (3 documents") for m in flow_log.messages)
    assert "rejected: empty 1" in printed

    assert main(["report", "--out", str(out)]) == EXIT_OK
    report = capsys.readouterr().out
    assert "written 2" in report and "index.html" in report

    assert main(["run", str(source), "--out", str(out)]) == EXIT_OK
    assert "nothing new" in capsys.readouterr().out

    assert main(["explain", str(source / "2026-11-18-hamburg-terminal-cranes.txt")]) == EXIT_OK
    explained = capsys.readouterr().out
    assert "removed" in explained and "moved" in explained and "dateline" in explained


def test_unwritable_output_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    code = main(["run", str(SAMPLES), "--out", str(blocker / "out")])
    captured = capsys.readouterr()
    assert code == EXIT_FAILED
    assert "cannot write to" in captured.err and "Traceback" not in captured.err
    assert blocker.read_text() == "a file where the output folder should be"


def test_report_without_runs_and_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--out", str(tmp_path)]) == EXIT_FAILED
    assert "no runs recorded" in capsys.readouterr().err
    assert main(["run", str(SAMPLES), "--out", str(tmp_path), "--shard-size", "0"]) == EXIT_FAILED
    assert "invalid options" in capsys.readouterr().err
