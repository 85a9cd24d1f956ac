"""What a batch has done so far: counts, tokens and cost, a live bar on stderr, a summary.

:class:`BatchTally` counts the records of a run as they arrive. :class:`BatchProgress`
shows it with rich on stderr (done/total, ok/failed, tokens, cost so far, ETA) when stderr
is a terminal, and nothing otherwise; :meth:`BatchTally.summary_line` is the one line
printed at the end.

Records answered without a model call (resumed from the output file, replayed from the
cache) arrive first and at once; the ETA is the pace of the other records only. Nothing
here keeps records: counts, and the first few failures to name at the end.

Articles are read as the batch goes, so the total is known only when the last one has
been read (``total`` is None until then; the bar shows the count done).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn
from rich.text import Text

from summarize.records import Record, price_for


@dataclass
class FailureGroup:
    """Articles that failed the same way (error type and the first line of its message)."""

    count: int = 0
    #: The first few of their ids.
    ids: list[str] = field(default_factory=list)
    #: Lines of the message after its first (more problems of the same answer).
    extra_lines: int = 0


@dataclass
class BatchTally:
    """Counts of a batch's records. Tokens and cost are what this run spent: resumed and
    cached records count as done but spent nothing now."""

    #: Articles in the batch (None until the input has been read to its end).
    total: int | None = None
    done: int = 0
    ok: int = 0
    failed: int = 0
    resumed: int = 0
    cached: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    #: Records that spent requests or tokens at a price the table does not know (cost
    #: then unknown), and how many of them are of a model the table prices on OpenAI's
    #: endpoint (not priced at this one: see --pricing).
    unpriced: int = 0
    priced_elsewhere: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    #: Time of the last record that needed work, and how many such records there were.
    last_worked: float = 0.0
    worked: int = 0
    #: Failures by (error type, first line of the message), the first GROUPS_KEPT kinds.
    failure_groups: dict[tuple[str, str], FailureGroup] = field(default_factory=dict)
    #: Articles a stopped batch did not send (reason not_attempted).
    unsent: int = 0

    #: Distinct failures a tally keeps apart (the others are only counted).
    GROUPS_KEPT = 50
    #: Ids a failure group keeps.
    IDS_KEPT = 3

    def add_resumed(self) -> None:
        """Count an article whose ok record from an earlier run stands."""
        self.done += 1
        self.ok += 1
        self.resumed += 1

    def add_cached(self) -> None:
        """Count an ok record the cache answered (this run spent nothing on it)."""
        self.done += 1
        self.ok += 1
        self.cached += 1

    def add(self, record: Record, *, resumed: bool = False) -> None:
        """Count ``record`` (``resumed``: taken from an earlier run's output)."""
        if resumed and record.ok:
            self.add_resumed()
            return
        self.done += 1
        if record.ok:
            self.ok += 1
        else:
            self.failed += 1
            error = record.error
            kind = error.type if error else "error"
            self.errors[kind] += 1
            if error is not None and error.reason == "not_attempted":
                self.unsent += 1
            else:
                lines = (error.message if error else "").splitlines() or [""]
                group = self.failure_groups.get((kind, lines[0]))
                if group is None and len(self.failure_groups) < self.GROUPS_KEPT:
                    group = self.failure_groups[(kind, lines[0])] = FailureGroup(
                        extra_lines=len(lines) - 1)
                if group is not None:
                    group.count += 1
                    if len(group.ids) < self.IDS_KEPT:
                        group.ids.append(record.id)
        if resumed:
            self.resumed += 1
            return
        if record.provenance.cached:
            self.cached += 1
            return
        usage = record.usage
        self.requests += usage.requests
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        if usage.cost_usd is not None:
            self.cost_usd += usage.cost_usd
        elif usage.requests or usage.prompt_tokens or usage.completion_tokens:
            self.unpriced += 1
            if price_for(record.provenance.model, pricing="openai") is not None:
                self.priced_elsewhere += 1
        self.worked += 1
        self.last_worked = time.monotonic()

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens spent by this run."""
        return self.prompt_tokens + self.completion_tokens

    def cost_text(self) -> str:
        """The cost so far, or "cost unknown" (and why) when a record has no cost: a
        model the table has no price for, or one it prices on OpenAI's endpoint only."""
        if self.unpriced == self.priced_elsewhere > 0:
            return "cost unknown (not priced at this endpoint: see --pricing)"
        if self.unpriced:
            return "cost unknown (no price for this model)"
        return f"${self.cost_usd:,.4f}"

    def eta_seconds(self) -> float | None:
        """Seconds left at the pace of the records that needed work (None: no pace yet,
        or the total is not known yet)."""
        if self.total is None:
            return None
        remaining = self.total - self.done
        if remaining <= 0:
            return 0.0
        if not self.worked:
            return None
        pace = (self.last_worked - self.started) / self.worked
        return max(0.0, self.last_worked + pace * remaining - time.monotonic())

    def summary_line(self, *, elapsed: float, output: str | None = None) -> str:
        """One line for the end of a run."""
        total = self.done if self.total is None else self.total
        parts = [f"{self.done} of {total} articles: {self.ok} ok, {self.failed} failed"]
        if self.errors:
            parts[0] += " (" + ", ".join(f"{n} {kind}" for kind, n in self.errors.most_common()) + ")"
        reused = [f"{n} {what}" for n, what in ((self.resumed, "resumed"), (self.cached, "cached")) if n]
        if reused:
            parts.append(", ".join(reused))
        parts.append(f"{self.requests:,} requests")
        if self.tokens or self.requests:
            parts.append(f"{self.prompt_tokens:,} prompt + {self.completion_tokens:,} completion tokens")
            parts.append(self.cost_text())
        parts.append(f"{elapsed:.1f} s")
        line = " · ".join(parts)
        return f"{line} -> {output}" if output else line


class _StatsColumn(ProgressColumn):
    """ok/failed, tokens and cost of the tally."""

    def __init__(self, tally: BatchTally) -> None:
        super().__init__()
        self.tally = tally

    def render(self, task: Task) -> Text:
        t = self.tally
        text = Text(no_wrap=True)
        text.append(f"{t.ok} ok", style="green")
        text.append(" · ")
        text.append(f"{t.failed} failed", style="red" if t.failed else "")
        text.append(f" · {t.tokens:,} tokens")
        if not t.unpriced:  # an unknown cost is said once, in the summary line
            text.append(f" · {t.cost_text()}")
        return text


class _EtaColumn(ProgressColumn):
    """Time left, at the pace of the records that needed work."""

    def __init__(self, tally: BatchTally) -> None:
        super().__init__()
        self.tally = tally

    def render(self, task: Task) -> Text:
        eta = self.tally.eta_seconds()
        if eta is None:
            return Text("ETA -:--", style="progress.remaining")
        minutes, seconds = divmod(int(eta + 0.5), 60)
        hours, minutes = divmod(minutes, 60)
        clock = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
        return Text(f"ETA {clock}", style="progress.remaining")


class BatchProgress:
    """A live progress bar on stderr (only when it is a terminal and ``enabled``)."""

    def __init__(self, tally: BatchTally, *, console: Console | None = None,
                 enabled: bool = True) -> None:
        self.tally = tally
        self.console = console or Console(stderr=True)
        self.live = enabled and self.console.is_terminal
        self._progress = Progress(
            TextColumn("[progress.description]summarizing"),
            BarColumn(bar_width=20),  # leaves room for the counts on an 80-column terminal
            MofNCompleteColumn(),
            _StatsColumn(tally),
            _EtaColumn(tally),
            console=self.console,
            disable=not self.live,
            transient=True,
        )
        self._task = self._progress.add_task("batch", total=tally.total)

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._progress.stop()

    def add(self, record: Record, *, resumed: bool = False) -> None:
        """Count ``record`` and move the bar."""
        self.tally.add(record, resumed=resumed)
        self._progress.update(self._task, completed=self.tally.done)

    def add_resumed(self) -> None:
        """Count an article resumed from an earlier run and move the bar."""
        self.tally.add_resumed()
        self._progress.update(self._task, completed=self.tally.done)

    def add_cached(self) -> None:
        """Count an article the cache answered and move the bar."""
        self.tally.add_cached()
        self._progress.update(self._task, completed=self.tally.done)

    def finished(self) -> None:
        """The input has been read to its end: the total is the count done."""
        self.tally.total = self.tally.done
        self._progress.update(self._task, total=self.tally.total, completed=self.tally.done)
