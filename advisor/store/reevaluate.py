"""Saved decisions under the current rules: which recommendations would change, and how.

The frozen side is read from the stored JSON through :func:`read_decision` (never by validating
the whole result), so snapshots saved by older versions of the result model still compare.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from advisor.engine.decide import recommend
from advisor.model.rules import RuleSet
from advisor.store.records import read_decision
from advisor.store.snapshots import Snapshot

COMPARED = (("verdict", "verdict"), ("strategy", "strategy_name"), ("model", "model_name"))


class DecisionChange(BaseModel):
    """One saved decision re-run under the current rules: each (what, then, now) that differs."""

    model_config = ConfigDict(frozen=True)

    snapshot_id: str
    title: str | None
    author: str
    rules_version_then: str
    changes: list[tuple[str, str, str]]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def reevaluate(snapshots: list[Snapshot], rules: RuleSet) -> list[DecisionChange]:
    """Re-run each snapshot's answers with ``rules``; one entry per snapshot, in order."""
    found = []
    for snapshot in snapshots:
        then = read_decision(snapshot.result_json)
        fresh = recommend(snapshot.answers, rules)
        changes = []
        for label, name in COMPARED:
            before, after = getattr(then, name), getattr(fresh, name)
            if before != after:
                changes.append((label, before or "(not recorded)", after))
        found.append(DecisionChange(snapshot_id=snapshot.id or "", title=snapshot.title,
                                    author=snapshot.author,
                                    rules_version_then=snapshot.rules_version, changes=changes))
    return found
