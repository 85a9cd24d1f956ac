"""The pace a batch sends at when the endpoint answers 429: found, shared, recovered.

Without ``--rpm`` a batch does not know its endpoint's limit. Every request of a batch
passes one :class:`AdaptivePace` (summarize.model.ratelimit puts it in the transport),
which runs the usual answer to a shared bottleneck, additive increase and
multiplicative decrease (AIMD, as TCP does):

- no pace at first: requests go out as fast as the concurrency allows;
- on a 429, the pace becomes ``DECREASE`` (0.8) times the rate the endpoint was
  accepting (successful requests per second over the last ``WINDOW`` seconds; the rate
  they were sent at, when none succeeded), at most once per ``COOLDOWN``: every worker slows down together, not only the one that got
  the 429. Requests are then spaced evenly (1 / pace apart), so that workers waiting
  for their turn go out one by one, never in lock-step;
- each second without a 429 adds ``INCREASE`` (a tenth) of the pace to it, at least
  ``STEP`` requests a second, so the batch climbs back towards the endpoint's limit
  and finds it again when that limit rises; after ``RECOVERY`` seconds without a 429
  the pace is dropped.

Against a server allowing 600 requests a minute with a burst of 10, 200 articles end
ok at about 550 a minute (benchmarks/rate_limit.py; docs/batch.md has the figures).

With ``--rpm`` the pace never exceeds the rpm (which its own bucket enforces anyway).
What one 429'd request waits before it is sent again (Retry-After with a floor and
jitter) is the model client's business (summarize.model.client).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque


class AdaptivePace:
    """A pace shared by every request of a batch (see the module docstring)."""

    #: Share of the accepted rate the pace drops to on a 429.
    DECREASE = 0.8
    #: Seconds of successful requests the accepted rate is measured over.
    WINDOW = 2.0
    #: Shortest time between two decreases, in seconds.
    COOLDOWN = 1.0
    #: Growth of the pace per second without a 429, as a share of the pace ...
    INCREASE = 0.1
    #: ... and at least this many requests per second per second.
    STEP = 0.5
    #: Seconds without a 429 after which there is no pace any more.
    RECOVERY = 60.0
    #: Slowest pace, in requests per second (one every two seconds).
    SLOWEST = 0.5

    def __init__(self, *, ceiling: float | None = None) -> None:
        """``ceiling``: requests per second never exceeded (None: no ceiling)."""
        self.ceiling = ceiling
        #: Requests per second allowed now (None: no pace).
        self.rate: float | None = None
        #: 429s seen, and decreases made.
        self.rate_limited_count = 0
        self.decreases = 0
        self._clock = time.monotonic
        self._next = 0.0
        self._turn = asyncio.Lock()
        self._successes: deque[float] = deque()
        self._sent: deque[float] = deque()
        self._started: float | None = None
        self._last_decrease = float("-inf")
        self._last_429 = float("-inf")
        self._last_increase = 0.0

    async def wait_turn(self) -> None:
        """Wait until the pace lets one more request go out (at once when there is none).
        Requests take their turns first come, first served; each turn is set by the pace
        when the turn before it has gone, so that a backlog speeds up when the pace does."""
        now = self._clock()
        if self._started is None:
            self._started = now
        self._sent.append(now)
        _forget(self._sent, now - self.WINDOW)
        if self.rate is None:
            return
        async with self._turn:
            while self.rate is not None:
                now = self._clock()
                if now - self._last_429 > self.RECOVERY:
                    self.rate = None
                    break
                if now >= self._next:
                    self._next = now + 1.0 / self.rate
                    break
                # Wake at most a second from now: a pace that rose meanwhile counts.
                await asyncio.sleep(min(self._next - now, 1.0))

    def succeeded(self) -> None:
        """A request got its answer: count it, and let the pace grow."""
        now = self._clock()
        self._successes.append(now)
        _forget(self._successes, now - self.WINDOW)
        if self.rate is not None:
            elapsed = max(0.0, now - self._last_increase)
            self._last_increase = now
            self.rate += elapsed * max(self.STEP, self.INCREASE * self.rate)
            if self.ceiling is not None:
                self.rate = min(self.rate, self.ceiling)

    def rate_limited(self) -> None:
        """The endpoint answered 429: slow every request down (once per COOLDOWN)."""
        now = self._clock()
        self.rate_limited_count += 1
        self._last_429 = now
        if now - self._last_decrease < self.COOLDOWN:
            return
        self._last_decrease = now
        self._last_increase = now
        accepted = self.accepted_rate(now)
        base = accepted if accepted > 0 else self._per_second(self._sent, now)
        target = max(self.SLOWEST, self.DECREASE * base)
        self.rate = target if self.rate is None else min(self.rate, target)
        if self.ceiling is not None:
            self.rate = min(self.rate, self.ceiling)
        self.decreases += 1

    def accepted_rate(self, now: float | None = None) -> float:
        """Successful requests per second over the last WINDOW seconds (over at least
        half a second, when the batch is younger than the window)."""
        return self._per_second(self._successes, self._clock() if now is None else now)

    def _per_second(self, times: deque[float], now: float) -> float:
        _forget(times, now - self.WINDOW)
        started = self._started if self._started is not None else now
        return len(times) / min(self.WINDOW, max(0.5, now - started))


def _forget(times: deque[float], before: float) -> None:
    """Drop the times before ``before`` from the front of ``times``."""
    while times and times[0] < before:
        times.popleft()
