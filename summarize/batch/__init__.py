"""Many articles at once: the batch runner, the record cache, the crash-safe journal and
its resume index, the output writers, the dry run and the progress display.

    from summarize.batch import BatchOptions, iter_batch, run_batch
"""

from summarize.batch.estimate import BatchEstimate, aestimate_batch, estimate_batch
from summarize.batch.runner import (
    BatchOptions,
    aiter_batch,
    arun_batch,
    iter_batch,
    run_batch,
)

__all__ = ["BatchEstimate", "BatchOptions", "aestimate_batch", "aiter_batch", "arun_batch",
           "estimate_batch", "iter_batch", "run_batch"]
