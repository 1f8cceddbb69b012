"""Imported once in the workers' forkserver: load what every shard worker needs, once.

Importing this module loads the cleaners, Great Expectations, the language models that
articles need, htmldate's date parser, the signatures' character tables, and the residue rules
and row checks with their screens (for the default languages). Workers forked afterwards share
these pages instead of each loading or building its own copy.
"""

import gc

import great_expectations  # noqa: F401 - the row checks' import takes seconds

from cleaners.dedup import prepare_signatures
from cleaners.metadata.dates import prepare_htmldate
from cleaners.metadata.language import load_models
from cleaners.residue import prepare_rules
from expectations import prepare_row_checks
from flows.shard_work import clean_shard, finalize_with_maps

load_models()
prepare_rules()
prepare_htmldate()
prepare_signatures()
prepare_row_checks()
# The collector would otherwise walk, and so write to, every object loaded above in each
# worker, turning the pages they share with the forkserver into private copies.
gc.freeze()

__all__ = ["clean_shard", "finalize_with_maps"]
