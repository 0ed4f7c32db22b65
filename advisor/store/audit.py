"""The audit record of one rules file saved from the app: the diff and both rules versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from advisor.source.loader import rules_files, rules_version
from advisor.store.records import RuleEdit, unified_diff


def rule_edit_of(directory: str | Path, name: str, *, before: str, after: str, author: str,
                 created: dt.datetime | None = None) -> RuleEdit:
    """The record of ``name`` going from ``before`` to ``after`` in ``directory``.

    The versions are the rules versions of the whole directory with each text in place (as
    :func:`advisor.source.loader.rules_version` computes them), so they match the ``rules_version``
    of results and snapshots made before and after the edit.
    """
    texts = {path.name: path.read_text(encoding="utf-8") for path in rules_files(directory)}
    return RuleEdit(created=created or dt.datetime.now(dt.UTC), author=author, file=name,
                    diff=unified_diff(before, after, file=name),
                    rules_version_before=rules_version({**texts, name: before}),
                    rules_version_after=rules_version({**texts, name: after}))
