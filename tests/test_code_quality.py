"""The code stays lint-clean and type-clean: ruff and mypy over the packages."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["cleaners", "flows", "expectations"]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", *PACKAGES, "tests", "bench"],
        ["ruff", "format", "--check", *PACKAGES],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
