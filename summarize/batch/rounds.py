"""The rounds of a Batch API job: request files out, result lines in.

A round sends the next request of every queued article: :func:`plan_round` writes them
to request files of at most ``max_requests`` lines and ``max_bytes`` bytes (50,000 and
200 MB by default, the Batch API's limits), :func:`submit_round` uploads each file and
creates its batch, :func:`refresh_round` reads the batches' status, and
:func:`ingest_part` (or :func:`ingest_results` for an output file made elsewhere, e.g.
by ``vllm run-batch``) reads the output and error lines back into the job's state: an
answer for the request in flight, a failure to send again, or a failure for good. A
request that no line answers (the batch expired, was cancelled or failed, or a line is
missing) is a failure to send again. Lines are read one at a time from files on disk.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from summarize.batch.job import Job, JobState, Part
from summarize.errors import ModelError
from summarize.model.batch_api import TERMINAL, BatchClients, BatchInfo, batch_unknown
from summarize.model.batch_lines import (ENDPOINT, ResultLine, UnreadableLine, custom_id,
                                         read_result_line, split_custom_id)

#: The status of a part whose batch the endpoint no longer knows (404) and that the user
#: named lost (``collect --lost-batch``): its unanswered requests are sent again.
LOST = "lost"
#: A part's statuses after which its batch is read no more: it is ingested.
ENDED = TERMINAL | {LOST}

#: What a request that no result line answered is failed with, by batch status.
_UNANSWERED = {
    "expired": ("batch_expired", "the batch expired (24 h window) before this request ran"),
    "cancelled": ("batch_cancelled", "the batch was cancelled before this request ran"),
    "failed": ("batch_failed", "the batch failed"),
    "completed": ("no_result_line", "the batch completed without a result line for this request"),
    LOST: ("batch_lost", "the endpoint no longer knows the batch (404) and collect "
           "--lost-batch named it lost"),
}


@dataclass
class Notices:
    """What reading result files found that a user should hear about (stderr)."""

    unreadable: int = 0
    unknown: int = 0
    duplicate: int = 0
    examples: list[str] = field(default_factory=list)

    def note(self, kind: str, example: str) -> None:
        """Count one ``kind`` (unreadable, unknown, duplicate) and keep a few examples."""
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.examples) < 5:
            self.examples.append(example)

    def lines(self) -> list[str]:
        """The notices, one line each (none when all was well)."""
        said = []
        if self.unreadable:
            said.append(f"{self.unreadable} result line(s) unreadable (cut off or not JSON): "
                        "their requests count as unanswered and are sent again")
        if self.unknown:
            said.append(f"{self.unknown} result line(s) name a custom_id this job did not send: "
                        "ignored")
        if self.duplicate:
            said.append(f"{self.duplicate} result line(s) repeat a request already answered "
                        "(or one of an earlier round): the first answer kept")
        if said and self.examples:
            said.append("for example: " + "; ".join(self.examples))
        return said


# ---- out: request files and batches ------------------------------------------------------


def plan_round(job: Job, state: JobState, *, number: int, max_requests: int,
               max_bytes: int, single_file: Path | None = None) -> list[Part]:
    """Write the queued articles' requests into round ``number``'s request files (one
    file ``single_file`` when given: an export), moving them to ``submitted``, in one
    transaction with the parts. Empty when nothing is queued."""
    folder = job.folder / "requests"
    folder.mkdir(parents=True, exist_ok=True)
    parts: list[Part] = []
    out = None
    state.begin()
    try:
        for row in state.rows(states=("queued",)):
            line = _line(custom_id(row.base or "", row.send), row.body or "{}")
            current = parts[-1] if parts else None
            if current is None or (single_file is None and (
                    current.requests >= max_requests or current.bytes + len(line) > max_bytes)):
                if out is not None:
                    _close(out)
                name = f"r{number}-p{len(parts) + 1}"
                path = single_file or folder / f"{name}.jsonl"
                current = Part(name=name, round=number, file=str(path), requests=0, bytes=0,
                               status="written" if job.mode == "file" else "planned")
                parts.append(current)
                out = open(path, "wb")
            assert out is not None
            out.write(line)
            current.requests += 1
            current.bytes += len(line)
            state.set_state(row.position, "submitted", round=number, part=current.name)
        if out is not None:
            _close(out)
        for part in parts:
            state.add_part(part)
        state.commit()
    except BaseException:
        state.rollback()
        raise
    return parts


def _line(cid: str, body: str) -> bytes:
    """A request line with ``body`` (JSON text, as stored) put in without re-encoding."""
    head = json.dumps({"custom_id": cid, "method": "POST", "url": ENDPOINT}, separators=(",", ":"))
    return (head[:-1] + ',"body":' + body + "}\n").encode("utf-8")


def _close(out: object) -> None:
    out.flush()  # type: ignore[attr-defined]
    os.fsync(out.fileno())  # type: ignore[attr-defined]
    out.close()  # type: ignore[attr-defined]


async def submit_round(job: Job, state: JobState, clients: BatchClients, *, number: int) -> None:
    """Upload round ``number``'s request files and create their batches, each step
    recorded before the next: a file is uploaded to the current endpoint, which the
    part keeps, and its batch created there (also by a later run that names another
    endpoint); a part ``creating`` when a run stopped is first looked for among the
    endpoint's batches (by its metadata, or its input file on an endpoint that drops
    metadata) before a batch is created."""
    for part in state.parts(round_=number):
        if part.status == "planned":
            file_id = await clients.current().upload(Path(part.file))
            state.update_part(part.name, file_id=file_id, status="uploaded", base_url=clients.url)
            part.status, part.file_id, part.base_url = "uploaded", file_id, clients.url
        client = clients.at(part.base_url)
        metadata = {"summarize_job": job.uid, "summarize_part": part.name}
        info: BatchInfo | None = None
        if part.status == "creating":
            info = await client.find_or_none(metadata, input_file_id=part.file_id)
        if part.status in ("uploaded", "creating") and info is None:
            state.update_part(part.name, status="creating")
            info = await client.create(part.file_id or "", metadata=metadata)
        if info is not None:
            _record(state, part.name, info)
            job.save(state)


def _record(state: JobState, name: str, info: BatchInfo) -> None:
    state.update_part(name, **_columns(info))


def _columns(info: BatchInfo) -> dict[str, Any]:
    """The columns of a part that say what the endpoint said of its batch."""
    return dict(batch_id=info.id, status=info.status, output_file_id=info.output_file_id,
                error_file_id=info.error_file_id, total=info.total, completed=info.completed,
                failed=info.failed, errors=info.errors, final=info.final)


def updated(part: Part, info: BatchInfo) -> Part:
    """``part`` as the endpoint now describes its batch (not recorded)."""
    return replace(part, **_columns(info))


async def fetch_round(clients: BatchClients, parts: list[Part], *,
                      lost: Collection[str] = ()) -> dict[str, BatchInfo]:
    """What the endpoint says now of each batch of ``parts`` that is not finished yet,
    by part name (each read where it was created). A batch named in ``lost`` that the
    endpoint answers 404 for is :data:`LOST`; any other failure raises ModelError.
    Records nothing."""
    found: dict[str, BatchInfo] = {}
    for part in parts:
        if part.batch_id and not part.ingested and part.status not in ENDED:
            try:
                found[part.name] = await clients.at(part.base_url).retrieve(part.batch_id)
            except ModelError as exc:
                if not batch_unknown(exc):
                    raise
                if part.batch_id not in lost:
                    raise ModelError(
                        f"{exc}. If the batch is gone for good (check first that the key and "
                        "project are those that created it: OpenAI answers 404 for a batch "
                        "of another project too), run collect again with --lost-batch "
                        f"{part.batch_id} to send its unanswered requests again",
                        reason=exc.reason, cause=exc.cause) from exc
                found[part.name] = BatchInfo(id=part.batch_id, status=LOST, errors=str(exc))
    return found


def record_round(job: Job, state: JobState, found: dict[str, BatchInfo]) -> None:
    """Record what :func:`fetch_round` found (and copy it into the job file)."""
    if not found:
        return
    state.begin()
    for name, info in found.items():
        _record(state, name, info)
    state.commit()
    job.save(state)


async def refresh_round(job: Job, state: JobState, clients: BatchClients, *,
                        number: int, lost: Collection[str] = ()) -> list[Part]:
    """Read and record the status of round ``number``'s batches that are not finished
    yet (``lost``: as :func:`fetch_round`); the parts, updated."""
    record_round(job, state, await fetch_round(clients, state.parts(round_=number), lost=lost))
    return state.parts(round_=number)


# ---- in: result lines ---------------------------------------------------------------------


def _take(state: JobState, line: ResultLine, notices: Notices) -> None:
    """Apply one result line to the article it answers."""
    parsed = split_custom_id(line.custom_id)
    row = state.find(parsed[0]) if parsed else None
    if row is None or parsed is None:
        notices.note("unknown", f"custom_id {line.custom_id[:70]!r}")
        return
    send = parsed[1]
    if row.state != "submitted" or row.send != send:
        notices.note("duplicate", f"custom_id {line.custom_id}")
        return
    if line.kind == "answer":
        state.add_answer(row.position, send, json.dumps(line.body, separators=(",", ":")))
        state.set_state(row.position, "answered")
    elif line.kind == "retry":
        state.add_failure(row.position, send)
        state.set_state(row.position, "retry", reason=line.reason, message=line.message)
    else:
        state.add_failure(row.position, send)  # counted as a request, as live
        state.set_state(row.position, "failed", reason=line.reason, message=line.message)


def read_lines(path: Path, notices: Notices) -> Iterator[ResultLine]:
    """The result lines of the file at ``path``, one at a time; unreadable ones (a cut
    off last line, a line that is not JSON) are counted in ``notices`` and skipped."""
    with open(path, "rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                yield read_result_line(raw)
            except UnreadableLine as exc:
                notices.note("unreadable", f"{path.name} line {number}: {exc}")


def _fail_unanswered(state: JobState, part: Part, status: str) -> None:
    """Every request of ``part`` still waiting gets a failure to send again, or, when
    its batch failed for a reason that would fail it again (``part.final``), a failure
    for good."""
    reason, message = _UNANSWERED.get(status, ("no_result_line", "no result line"))
    if status == "failed" and part.errors:
        message = f"{message}: {part.errors}"
    final = status == "failed" and part.final
    if final:
        message += " (the same request file would fail again: not sent again)"
    for position, send in state.waiting_in(part.name):
        state.add_failure(position, send)
        state.set_state(position, "failed" if final else "retry", reason=reason, message=message)


async def ingest_part(job: Job, state: JobState, clients: BatchClients, part: Part,
                      notices: Notices) -> None:
    """Download a finished batch's output and error files and apply their lines, then
    mark the part ingested, all in one transaction (a rerun applies nothing twice)."""
    folder = job.folder / "results"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for kind, file_id in (("output", part.output_file_id), ("error", part.error_file_id)):
        if file_id:
            path = folder / f"{part.batch_id}.{kind}.jsonl"
            if not path.exists():
                await clients.at(part.base_url).download(file_id, path)
            files.append(path)
    state.begin()
    try:
        for path in files:
            for line in read_lines(path, notices):
                _take(state, line, notices)
        _fail_unanswered(state, part, part.status)
        state.update_part(part.name, ingested=1)
        state.commit()
    except BaseException:
        state.rollback()
        raise
    job.save(state)


def ingest_results(job: Job, state: JobState, path: Path, notices: Notices) -> int:
    """Apply an output file made elsewhere (``collect --results``) to the open round of
    a file-mode job; its requests that no line answered get a failure to send again.
    The number of the round it answered (0: none was open)."""
    number = state.last_round()
    parts = [p for p in state.parts(round_=number) if not p.ingested]
    if not parts:
        return 0
    state.begin()
    try:
        for line in read_lines(path, notices):
            _take(state, line, notices)
        for part in parts:
            _fail_unanswered(state, part, "completed")
            state.update_part(part.name, ingested=1, status="completed")
        state.commit()
    except BaseException:
        state.rollback()
        raise
    job.save(state)
    return number
