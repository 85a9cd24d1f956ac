"""Limits of one OpenAI Batch API input file (OpenAI's documentation of batches.create).

Apart from summarize.model.batch_api so that the command line can show them as the
defaults of ``--max-requests-per-file`` and ``--max-bytes-per-file`` without importing
the openai SDK: a command that sends nothing (``--help``, a resume, a warm-cache rerun,
the rules backend) starts about a second sooner without it.
"""

from __future__ import annotations

#: Requests in one input file, at most.
MAX_REQUESTS_PER_FILE = 50_000
#: Bytes of one input file, at most.
MAX_BYTES_PER_FILE = 200 * 1024**2
