"""Across outlets: the events a batch of records reports, with their figures side by side.

``group_events(records)`` groups the records of any backend (it never calls a model)
into events: date, place (normalised with the shipped gazetteer of Syria), kind and
actors; every casualty figure with its outlet and source; per outcome a reconciliation
of the tolls (low, high, independent sources, agreement, the conservative figure); the
claims by source and each outlet's loaded terms; the links that joined the reports and
why. See docs/events.md.
"""

from summarize.events.grouping import EventGroup, group_events

__all__ = ["EventGroup", "group_events"]
