"""The quality tests' shared fixture: one expectation validated against one frame."""

from __future__ import annotations

import copy
import itertools
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def run_expectation() -> Callable[[Any, pd.DataFrame], Any]:
    """Validate one expectation against a frame in one shared ephemeral context."""
    import great_expectations as gx

    from expectations.validation import TZ_VALUES_WARNING, _context, raised_exception

    context = _context()
    batch = (
        context.data_sources.add_pandas("frames")
        .add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole")
    )
    names = itertools.count()

    def run(expectation: Any, frame: pd.DataFrame) -> Any:
        name = f"suite-{next(names)}"
        suite = context.suites.add(
            gx.ExpectationSuite(name=name, expectations=[copy.copy(expectation)])
        )
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=TZ_VALUES_WARNING)
            result = definition.run(
                batch_parameters={"dataframe": frame}, result_format={"result_format": "COMPLETE"}
            )
        (outcome,) = result.results
        assert raised_exception(outcome) is None, outcome.exception_info
        return outcome

    return run
