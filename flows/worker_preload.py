"""Imported once in the workers' forkserver: load what every shard worker needs, once.

Importing this module loads the cleaners, Great Expectations and the language models that
articles need (for the default languages). Workers forked afterwards share these pages instead
of each loading its own copy.
"""

import gc

import great_expectations  # noqa: F401 - the row checks' import takes seconds

from cleaners.metadata.language import load_models
from flows.shard_work import clean_shard, finalize_with_maps

load_models()
# The collector would otherwise walk, and so write to, every object loaded above in each
# worker, turning the pages they share with the forkserver into private copies.
gc.freeze()

__all__ = ["clean_shard", "finalize_with_maps"]
