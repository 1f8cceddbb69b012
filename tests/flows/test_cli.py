"""The command line as a user meets it: summaries, exit codes, messages instead of tracebacks."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import EXIT_FAILED, EXIT_OK, EXIT_QUALITY, main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


def test_run_report_and_explain(
    prefect_api: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "wire"
    shutil.copytree(SAMPLES / "example-wire", source)
    out = tmp_path / "out"
    assert main(["run", str(source), "--out", str(out)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "read 3 = written 2 + rejected 1" in printed
    assert "rejected: empty 1" in printed

    assert main(["report", "--out", str(out)]) == EXIT_OK
    report = capsys.readouterr().out
    assert "written 2" in report and "index.html" in report
    # the report says it in the same words and order as the run did
    for label in ("  languages:", "  removals:", "  rejected:"):
        in_run = [line for line in printed.splitlines() if line.startswith(label)]
        assert in_run == [line for line in report.splitlines() if line.startswith(label)]

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
    assert "invalid options: --shard-size:" in capsys.readouterr().err


def test_an_empty_output_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        main(["run", str(SAMPLES), "--out", ""])
    assert (
        stopped.value.code == 2 and "--out: the folder's name is empty" in capsys.readouterr().err
    )
    assert list(tmp_path.iterdir()) == []


def test_a_busy_output_folder_is_refused_before_the_run_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cleaners.store import OutputLock

    with OutputLock(tmp_path / "out"):
        assert main(["run", str(SAMPLES), "--out", str(tmp_path / "out")]) == EXIT_FAILED
    printed = capsys.readouterr().err
    assert "is in use by" in printed and "Traceback" not in printed


def test_sources_without_any_input_say_so(
    prefect_api: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["run", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == EXIT_OK
    assert "no input found" in capsys.readouterr().out


def test_a_run_that_fails_its_quality_checks_still_prints_what_it_did(tmp_path: Path) -> None:
    # One article that names no author: below the dataset's floor for author coverage.
    source = tmp_path / "desk"
    source.mkdir()
    story = "Harbour cranes arrive\n" + "\n".join(
        [
            "The port authority said on Monday that four new cranes would arrive in the spring.",
            "They will replace machines that have worked on the container quay for thirty years.",
            "Each of the new cranes can lift two containers at once and runs on electricity.",
            "Dock workers will be trained on the new machines over the summer, the union said.",
            "The project costs 60 million euros, a third of it paid by a regional fund.",
            "Ships calling at the quay should spend about a day less in port once all are running.",
        ]
    )
    (source / "cranes.txt").write_text(story, encoding="utf-8")
    # In a fresh interpreter, as a user starts it, so that Prefect's own log is seen too.
    out = tmp_path / "out"
    command = [sys.executable, "-m", "flows.cli", "run", str(source), "--out", str(out)]
    printed = subprocess.run(
        [*command, "--fail-on-quality"], capture_output=True, text=True, timeout=300
    )
    assert printed.returncode == EXIT_QUALITY
    assert "read 1 = written 1 + rejected 0" in printed.stdout
    assert "quality: FAILED" in printed.stdout
    assert "quality checks failed" in printed.stderr and "author" in printed.stderr
    # the run completed: its reason is one line, with no traceback and no dump of the summary
    assert "Traceback" not in printed.stderr and "RunSummary(" not in printed.stderr


def test_a_reader_that_stops_reading_gets_no_traceback() -> None:
    # `newsclean explain … | head -1`: the pipe closes while explain is still writing.
    command = [sys.executable, "-m", "flows.cli", "explain", str(SAMPLES)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read().decode()
    process.wait(timeout=120)
    assert first.startswith(b"== ")
    assert "Traceback" not in errors and "BrokenPipeError" not in errors


def test_explain_goes_on_past_an_unusable_entry_and_says_when_there_is_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    os.mkfifo(folder / "a-pipe.txt")  # comes first, and would block a reader for ever
    shutil.copy(SAMPLES / "example-wire" / "2026-11-18-hamburg-terminal-cranes.txt", folder)
    assert main(["explain", str(folder)]) == EXIT_OK
    explained = capsys.readouterr().out
    assert "a-pipe.txt: rejected (not-a-file)" in explained
    assert "hamburg-terminal-cranes.txt  [en" in explained
    (tmp_path / "empty").mkdir()
    assert main(["explain", str(tmp_path / "empty")]) == EXIT_FAILED
    assert "no .txt, .html" in capsys.readouterr().err


def test_report_names_the_page_under_the_output_folder_given_now(
    prefect_api: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The run is started in one folder with a relative --out; the report asked from another.
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    assert main(["run", str(SAMPLES / "example-wire"), "--out", "out"]) == EXIT_OK
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--out", "work/out"]) == EXIT_OK
    printed = capsys.readouterr().out
    page = next(line for line in printed.splitlines() if line.startswith("  report: "))
    assert (tmp_path / page.removeprefix("  report: ")).is_file()


def test_the_summary_says_duplicates_were_dropped_when_they_were() -> None:
    from cleaners.runlog import RunSummary
    from flows.cli import _summary_text

    # What `run --drop-duplicates` over the samples records: both copies moved to rejected/.
    dropped = RunSummary(
        run_id="r1",
        started_at="2026-12-01T00:00:00+00:00",
        inputs=14,
        read=20,
        written=16,
        rejected=4,
        duplicates=2,
        rejected_by_reason={"duplicate": 2, "bad-json": 1, "empty": 1},
    )
    text = _summary_text(dropped, 1.0)
    assert "duplicates dropped: 2" in text and "flagged" not in text
    kept = RunSummary(run_id="r2", started_at="", inputs=1, read=3, written=3, duplicates=2)
    assert "  duplicates flagged: 2" in _summary_text(kept, 1.0)


def test_a_run_that_wrote_nothing_says_so_for_its_languages() -> None:
    from cleaners.runlog import RunSummary
    from flows.cli import _summary_text

    summary = RunSummary("r1", "", inputs=1, read=1, rejected=1, rejected_by_reason={"empty": 1})
    lines = _summary_text(summary, 1.0).splitlines()
    assert "  languages: none written" in lines
    assert "  rejected: empty 1" in lines


def test_a_dask_scheduler_that_cannot_be_reached_is_said_before_the_run_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    out = tmp_path / "out"
    code = main(["run", str(SAMPLES / "example-wire"), "--out", str(out), "--dask", address])
    printed = capsys.readouterr()
    assert code == EXIT_FAILED
    assert f"cannot reach the Dask scheduler at {address}" in printed.err
    assert not (out / "reports").exists()  # no run was started


def test_a_broken_rule_file_fails_the_run_and_leaves_the_inputs_new(tmp_path: Path) -> None:
    # The packages copied, so that a rule file can be broken without touching the real one.
    code = tmp_path / "code"
    for package in ("cleaners", "flows", "expectations"):
        shutil.copytree(
            ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    rules = code / "cleaners" / "rules" / "en.toml"
    good_rules = rules.read_text(encoding="utf-8")
    bad_rule = '\n[[rule]]\nname = "bad-one"\nkind = "navigation"\n'
    bad_rule += 'match = { line = \'^(a+)+$\' }\nwhere = "head"\nwhy = "backtracks"\n'
    rules.write_text(good_rules + bad_rule, encoding="utf-8")
    source = tmp_path / "wire"
    source.mkdir()
    shutil.copy(SAMPLES / "example-wire" / "2026-11-18-hamburg-terminal-cranes.txt", source)
    out = tmp_path / "out"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(code), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "flows.cli", "run", str(source), "--out", str(out)]

    run = {"capture_output": True, "text": True, "timeout": 300, "env": env, "cwd": tmp_path}
    failed = subprocess.run(command, **run)
    assert failed.returncode == EXIT_FAILED, failed.stdout + failed.stderr
    assert "en rule #" in failed.stderr and "nested quantifiers" in failed.stderr
    assert not (out / "articles").exists() and not (out / "rejected").exists()
    explained = subprocess.run([sys.executable, "-m", "flows.cli", "explain", str(source)], **run)
    assert explained.returncode == EXIT_FAILED
    assert "nested quantifiers" in explained.stderr and "Traceback" not in explained.stderr

    # Fixed, the rules clean the input the failed run did not: it was not recorded as done.
    rules.write_text(good_rules, encoding="utf-8")
    fixed = subprocess.run(command, **run)
    assert fixed.returncode == EXIT_OK, fixed.stderr
    assert "read 1 = written 1 + rejected 0" in fixed.stdout
