"""Many articles at once: the batch runner, the record cache, the crash-safe journal and
the output writers, and the progress display.

    from summarize.batch import BatchOptions, run_batch
"""

from summarize.batch.runner import (
    BatchEstimate,
    BatchOptions,
    aestimate_batch,
    arun_batch,
    estimate_batch,
    run_batch,
)

__all__ = ["BatchEstimate", "BatchOptions", "aestimate_batch", "arun_batch", "estimate_batch",
           "run_batch"]
