"""Clustering: reports into events, deterministic and explainable, in two passes.

1. **Dates that agree.** Candidate links only between reports of one area whose dates
   are within the window of each other (reports sorted by date: no all-pairs table),
   taken strongest first (ties by record ids). Two clusters merge only when every report
   of one may be the same event as every report of the other (complete link), so a chain
   of neighbouring days or places cannot drag different events together.
2. **Uncertain dates.** A cluster that rests on one outlet's dateline or on no date at
   all (none of its reports has a firm date, and they come from one outlet) may then
   join another cluster of its area whose dates lie within ``UNCERTAIN_REACH`` days
   (any, when it has no date) on the evidence of their content (``linking.Evidence``):
   the strongest such join first, each report still compatible with every report of the
   cluster it joins (kinds, dates; places in one governorate, towns of it may differ as
   they may in an event of one day). A dateline is an upper bound: the report dated later than the other
   by more than the window must be the uncertain one (a stamp may come after the event,
   never before it), and a cluster that two outlets' datelines date counts as settled.
   A cluster whose date is firm, or corroborated by two outlets' datelines,
   never joins another across the window: two strikes in one governorate a week apart
   stay apart unless one of them is dated only by a single dateline and the content says
   they are one. A report without a date speaks for its own content only: when it
   joins, two dated reports it would bring together whose dates do not agree need
   content evidence of their own (it never bridges two dated events).

Word bags are compared only between reports that share one of their rarer words
(an inverted index of the words an uncertain report could be found by), so the second
pass costs little more than the reports it has to place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from summarize.events.linking import (UNCERTAIN_REACH, Assessed, Candidate, Link, assess, compatible, dates_agree,
                                      evidence, explain, joins_across_dates, may_be_one)
from summarize.events.wording import Vocabulary

#: Each report of pass 1 is compared with at most this many reports of its area that
#: follow it by date: a day many outlets report (or a batch of copies) stays linear, and
#: an event told by more reports still joins whole (a merge needs one link, and then
#: every report of one cluster must fit every report of the other).
MAX_NEIGHBOURS = 32
#: How many of an uncertain report's rarer words find the reports it is compared with.
FINDING_WORDS = 12
#: A word more than this share of the reports have (and more than COMMON_LEAST) finds nothing.
COMMON_SHARE = 0.05
COMMON_LEAST = 50


def candidate_pairs(items: Sequence[Candidate], window: int) -> list[tuple[int, int]]:
    """Index pairs of pass 1: same area and dates within the window, by blocks; and
    reports without a place, with those of the same day and a close killed toll."""
    by_area: dict[str | None, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        by_area[item.area].append(i)
    pairs: list[tuple[int, int]] = []
    reach = timedelta(days=window)
    for area, members in by_area.items():
        if area is None:
            continue
        dated = sorted((i for i in members if items[i].interval is not None),
                       key=lambda i: (items[i].interval[0], items[i].profile.record_id))  # type: ignore[index]
        for pos, i in enumerate(dated):
            end = items[i].interval[1] + reach  # type: ignore[index]
            for j in dated[pos + 1:pos + 1 + MAX_NEIGHBOURS]:
                if items[j].interval[0] > end:  # type: ignore[index]
                    break  # sorted by start: no later report comes within the window
                pairs.append((i, j))
    placeless = [i for i in by_area.get(None, []) if items[i].tolls and items[i].profile.date is not None]
    if placeless:
        by_day_toll: dict[tuple[date, int], list[int]] = defaultdict(list)
        for i, item in enumerate(items):
            if item.profile.date is not None:
                for toll in item.tolls:
                    by_day_toll[(item.profile.date, toll)].append(i)
        for i in placeless:
            day = items[i].profile.date
            seen = {j for toll in items[i].tolls for j in by_day_toll[(day, toll)]}  # type: ignore[index]
            pairs.extend((min(i, j), max(i, j)) for j in sorted(seen) if j != i)
    return sorted(set(pairs))


class _Clusters:
    """Clusters of item indexes (each item in exactly one) and the links that joined them."""

    def __init__(self, items: Sequence[Candidate], window: int) -> None:
        self.items = items
        self.window = window
        self.owner = list(range(len(items)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
        self.joined: dict[int, list[Link]] = defaultdict(list)
        #: clusters known not to fit each other: a cluster only grows, so a pair of
        #: reports that does not fit stays in them and the merge stays refused
        self.apart: dict[int, set[int]] = defaultdict(set)
        self._uncertain: dict[int, bool] = {}

    def join(self, judged: Assessed, i: int, j: int, *, uncertain: bool = False) -> bool:
        """Merge the clusters of ``i`` and ``j`` when every report of one may be the same
        event as every report of the other (their dates within the window; with
        ``uncertain``, an uncertain date within UNCERTAIN_REACH); True when they merged."""
        ci, cj = self.owner[i], self.owner[j]
        if ci == cj or (not uncertain and cj in self.apart[ci]):
            return False
        items, window = self.items, self.window
        if uncertain:
            # a date that two outlets' datelines agree on is as settled as a firm one
            settled_i, settled_j = not self.uncertain(ci), not self.uncertain(cj)
            # places need only lie in one governorate: the content's evidence of the
            # joining pair stands in for dates that agree (as for an event told from
            # several towns of one day)
            fit = all(may_be_one(items[x], items[y], window, settled_a=settled_i or items[x].firm,
                                 settled_b=settled_j or items[y].firm, any_town=True)
                      for x in self.members[ci] for y in self.members[cj]) and self._no_bridge(i, j)
        else:
            fit = all(compatible(items[x], items[y], window) for x in self.members[ci] for y in self.members[cj])
        if not fit:
            if not uncertain:
                self.apart[ci].add(cj)
                self.apart[cj].add(ci)
            return False
        keep, gone = min(ci, cj), max(ci, cj)
        for other in self.apart.pop(gone, set()):
            self.apart[other].discard(gone)
            if other != keep:
                self.apart[other].add(keep)
                self.apart[keep].add(other)
        self._uncertain.pop(keep, None)
        self._uncertain.pop(gone, None)
        for x in self.members[gone]:
            self.owner[x] = keep
        self.members[keep].extend(self.members.pop(gone))
        self.joined[keep].extend(self.joined.pop(gone, ()))
        self.joined[keep].append(explain(judged, window))
        return True

    def _no_bridge(self, i: int, j: int) -> bool:
        """A report without a date joins on its own content, and speaks for no other
        report's date: when ``i`` or ``j`` is undated, every two dated reports of the two
        clusters whose dates do not agree must show the content evidence that would join
        them by themselves (``joins_across_dates``), or an undated report alike to two
        strikes weeks apart would carry one into the other."""
        items, window = self.items, self.window
        if items[i].interval is not None and items[j].interval is not None:
            return True
        dated_i = [x for x in self.members[self.owner[i]] if items[x].interval is not None]
        dated_j = [y for y in self.members[self.owner[j]] if items[y].interval is not None]
        return all(dates_agree(items[x], items[y], window)
                   or joins_across_dates(items[x], items[y], evidence(items[x], items[y]))
                   for x in dated_i for y in dated_j)

    def uncertain(self, root: int) -> bool:
        """The cluster's date is uncertain: none of its reports is firmly dated, and no two
        outlets' dates of it agree (it rests on one outlet's dateline, or on none)."""
        if root not in self._uncertain:
            self._uncertain[root] = self._judge_uncertain(root)
        return self._uncertain[root]

    def _judge_uncertain(self, root: int) -> bool:
        reports = [self.items[i] for i in self.members[root]]
        if any(r.firm for r in reports):
            return False
        dated = sorted((r for r in reports if r.interval is not None),
                       key=lambda r: r.interval)  # type: ignore[arg-type, return-value]
        reach = timedelta(days=self.window)
        for n, a in enumerate(dated):
            for b in dated[n + 1:]:
                if b.interval[0] > a.interval[1] + reach:  # type: ignore[index]
                    break  # sorted by start: no later report agrees with a
                if a.profile.outlet != b.profile.outlet:
                    return False  # two outlets' dates agree: corroborated
        return True

    def result(self) -> tuple[list[list[int]], list[list[Link]]]:
        order = sorted(self.members)
        return [sorted(self.members[k]) for k in order], [self.joined.get(k, []) for k in order]


def cluster(items: Sequence[Candidate], *, window: int = 1,
            vocabulary: Vocabulary | None = None) -> tuple[list[list[int]], list[list[Link]]]:
    """Complete-link clusters of ``items`` (lists of indexes, every item in exactly one)
    and the links that joined each. ``vocabulary``: the batch's word frequencies (the
    items' words are weighed with it; without it, wording counts for nothing)."""
    if vocabulary is not None:
        for item in items:
            item.weighted = vocabulary.weigh(item.words)
    clusters = _Clusters(items, window)
    links = []
    for i, j in candidate_pairs(items, window):
        if dates_agree(items[i], items[j], window) or items[i].area is None \
                or items[j].area is None:
            judged = assess(items[i], items[j], window)
            if judged is not None:
                links.append((judged, i, j))
    links.sort(key=lambda t: (-t[0].score, t[0].ids))
    for judged, i, j in links:
        clusters.join(judged, i, j)
    if vocabulary is not None:
        _place_uncertain(clusters, vocabulary)
    return clusters.result()


def _place_uncertain(clusters: _Clusters, vocabulary: Vocabulary) -> None:
    """Pass 2 (see the module docstring)."""
    items, window = clusters.items, clusters.window
    unsure = [i for root in sorted(clusters.members) if clusters.uncertain(root) for i in clusters.members[root]]
    unsure = [i for i in unsure if items[i].area is not None]
    if not unsure:
        return
    common = max(COMMON_LEAST, int(COMMON_SHARE * vocabulary.documents))
    finding = {i: [w for w in vocabulary.rarest(items[i].words, len(items[i].words))
                   if 2 <= vocabulary.frequency.get(w, 0) <= common][:FINDING_WORDS] for i in unsure}
    wanted = {w for words in finding.values() for w in words}
    # the reports that use each wanted word, per area (a report is compared only with
    # reports of its own area)
    postings: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for j, item in enumerate(items):
        for word in item.words:
            if word in wanted:
                postings[(word, item.area)].append(j)
    # date intervals as day numbers: a report further than UNCERTAIN_REACH days from
    # another is no candidate (may_be_one), and most are, in a batch of years
    days = [None if item.interval is None else (item.interval[0].toordinal(), item.interval[1].toordinal())
            for item in items]
    found: dict[tuple[int, int], tuple[Assessed, int, int]] = {}
    for i in unsure:
        me = items[i]
        shared: Counter[int] = Counter()
        for word in finding[i]:
            shared.update(postings.get((word, me.area), ()))
        shared.pop(i, None)
        mine = days[i]
        if mine is not None:
            lo, hi = mine[0] - UNCERTAIN_REACH, mine[1] + UNCERTAIN_REACH
            reach = [j for j in shared if (other := days[j]) is None or (other[0] <= hi and other[1] >= lo)]
        else:
            reach = list(shared)
        # the reports that share most of its rarer words, at most MAX_NEIGHBOURS of them
        nearest = sorted(reach, key=lambda j: (-shared[j], items[j].profile.record_id))
        compared = 0
        for j in nearest:
            other = items[j]
            settled = other.firm or not clusters.uncertain(clusters.owner[j])
            if clusters.owner[j] == clusters.owner[i] or dates_agree(me, other, window) \
                    or not may_be_one(me, other, window, settled_b=settled, any_town=True):
                continue  # pass 1 judged the pairs whose dates agree
            compared += 1
            if compared > MAX_NEIGHBOURS:
                break
            judged = assess(me, other, window, any_town=True)
            if judged is None:
                continue
            key = (clusters.owner[i], clusters.owner[j])
            kept = found.get(key)
            if kept is None or (-judged.found.score, judged.ids) < (-kept[0].found.score, kept[0].ids):
                found[key] = (judged, i, j)
    # the most alike first: an uncertain report joins the event its content is most like
    for judged, i, j in sorted(found.values(), key=lambda t: (-t[0].found.score, t[0].ids)):
        if clusters.owner[i] != clusters.owner[j] and clusters.uncertain(clusters.owner[i]):
            clusters.join(judged, i, j, uncertain=True)

