"""The run page in a real headless Chromium, offline: charts drawn, no errors, a screenshot."""

from __future__ import annotations

import json
import struct
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from expectations import render_run_page
from tests.expectations.quality_builders import a_summary, history, validation

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install -y chromium)"
)
OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    # Any host name resolves to nothing: a page that reaches for the network fails visibly.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STARTUP_SECONDS = 20
EVENT_SECONDS = 15
# Every chart on the page, with the number of marks each should draw, read in the browser.
CHART_MARKS_JS = """JSON.stringify([...document.querySelectorAll('svg.chart')].map(svg => ({
  label: svg.getAttribute('aria-label'),
  marks: [...svg.querySelectorAll('.mark')].filter(m => {
    const box = m.getBBox(); return box.width > 0 || box.height > 0; }).length
})))"""


@dataclass
class PageVisit:
    """What the browser reported while loading a page."""

    errors: list[str] = field(default_factory=list)
    result: Any = None


@contextmanager
def devtools_browser(user_data_dir: Path) -> Iterator[str]:
    """A headless Chromium speaking DevTools on a free local port; yields its page socket."""
    process = subprocess.Popen(
        [
            str(CHROMIUM),
            *OFFLINE_FLAGS,
            f"--user-data-dir={user_data_dir}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = user_data_dir / "DevToolsActivePort"
        deadline = time.monotonic() + STARTUP_SECONDS
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            targets = json.load(answer)
        yield next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def visit(page: Path, user_data_dir: Path, expression: str) -> PageVisit:
    """Load a file, collect console errors and exceptions, then evaluate `expression`."""
    from websockets.sync.client import connect

    outcome = PageVisit()
    with devtools_browser(user_data_dir) as socket_url, connect(socket_url, max_size=None) as ws:
        ids = iter(range(1, 1_000_000))

        def send(method: str, **params: Any) -> int:
            message_id = next(ids)
            ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
            return message_id

        def until(done) -> dict[str, Any]:
            deadline = time.monotonic() + EVENT_SECONDS
            while time.monotonic() < deadline:
                message = json.loads(ws.recv(timeout=deadline - time.monotonic()))
                record(message)
                if done(message):
                    return message
            raise TimeoutError("Chromium did not answer in time")

        def record(message: dict[str, Any]) -> None:
            method, params = message.get("method"), message.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                outcome.errors.append(
                    details.get("exception", {}).get("description") or details["text"]
                )
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                outcome.errors.append(" ".join(str(a.get("value")) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                outcome.errors.append(params["entry"]["text"])

        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            sent = send(method)
            until(lambda m, sent=sent: m.get("id") == sent)
        send("Page.navigate", url=page.as_uri())
        until(lambda m: m.get("method") == "Page.loadEventFired")
        sent = send("Runtime.evaluate", expression=expression, returnByValue=True)
        answer = until(lambda m: m.get("id") == sent)
        outcome.result = answer["result"]["result"].get("value")
        send("Browser.close")
    return outcome


def screenshot(page: Path, user_data_dir: Path, target: Path) -> None:
    subprocess.run(
        [
            str(CHROMIUM),
            *OFFLINE_FLAGS,
            f"--user-data-dir={user_data_dir}",
            "--window-size=1200,1600",
            f"--screenshot={target}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def run_page(tmp_path: Path) -> Path:
    report_dir = tmp_path / "report"
    report_dir.mkdir()
    return render_run_page(a_summary(), history(), report_dir, validation(report_dir))


def test_run_page_renders_offline_without_errors(run_page: Path, tmp_path: Path):
    outcome = visit(run_page, tmp_path / "profile", CHART_MARKS_JS)
    assert outcome.errors == []
    charts = {chart["label"]: chart["marks"] for chart in json.loads(outcome.result)}
    assert charts == {
        "written and rejected make up read": 2,
        "Documents by language": 3,
        "Documents by site": 2,
        "Removals by rule": 3,
        "Rejections by reason": 2,
        "Metadata coverage": 3,
        "Read, written and rejected per run": 9,
    }


def test_run_page_screenshot(run_page: Path, tmp_path: Path):
    target = tmp_path / "page.png"
    screenshot(run_page, tmp_path / "profile", target)
    data = target.read_bytes()
    assert png_size(data) == (1200, 1600)
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes


def test_the_browser_check_sees_errors(tmp_path: Path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!DOCTYPE html><html><head><meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'; script-src 'unsafe-inline'\"></head><body>"
        "<img src='https://example.org/pixel.png'>"
        "<script>console.error('drawing failed'); undefinedChart.draw();</script>"
        "</body></html>",
        encoding="utf-8",
    )
    outcome = visit(broken, tmp_path / "profile", "document.querySelectorAll('svg').length")
    assert outcome.result == 0
    assert any("drawing failed" in error for error in outcome.errors)
    assert any("undefinedChart" in error for error in outcome.errors)
    assert any("Content Security Policy" in error for error in outcome.errors)
