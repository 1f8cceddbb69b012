"""Imported once in the workers' forkserver: load what every shard worker needs, once.

Importing this module loads the cleaners, Great Expectations, the language models that
articles need, the signatures' character tables, and the residue rules and row checks with
their screens (for the default languages); `flows.worker_preload_html` adds htmldate's date
parser for runs with HTML pages. Workers forked afterwards share these pages instead of each
loading or building its own copy.
"""

import gc

from flows.collector import collection_paused
from flows.shard_work import clean_shard, finalize_with_maps, prepare_shard_work

with collection_paused():
    prepare_shard_work()
# The collector would otherwise walk, and so write to, every object loaded above in each
# worker, turning the pages they share with the forkserver into private copies.
gc.freeze()

__all__ = ["clean_shard", "finalize_with_maps"]
