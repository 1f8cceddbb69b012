"""Fixtures shared by every test folder."""

from collections.abc import Iterator

import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """One Prefect test server for the whole session: starting one costs seconds."""
    with prefect_test_harness(server_startup_timeout=180):
        yield
