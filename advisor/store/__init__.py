"""The shared store: snapshots, named compare sets and the audit log of rule edits.

One interface (:class:`SQLStore`), two backends through SQLAlchemy Core: SQLite by default (a file
at ``$ADVISOR_SNAPSHOT_DB``, default ``snapshots.sqlite3``: nothing to set up) and PostgreSQL when
``$ADVISOR_DATABASE_URL`` is set, so several app servers share one database. The schema is
created and migrated by :func:`open_store` itself (:mod:`advisor.store.schema`).

May import: ``advisor.store.snapshots``, ``advisor.model.answers``, ``advisor.analysis.compare``,
``advisor.errors``, ``advisor.engine.decide`` (re-evaluation), ``advisor.source.loader`` (rules
versions) and SQLAlchemy; never Streamlit — the app's pages pass in who is asking.

Imports: ``advisor.authoring`` and below (never a renderer's output format).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from sqlalchemy import URL

from advisor.store.audit import rule_edit_of
from advisor.store.records import (ANONYMOUS, CompareSet, Decision, RuleEdit, SnapshotSummary,
                                   clean_author, read_decision, unified_diff)
from advisor.store.reevaluate import DecisionChange, reevaluate
from advisor.store.snapshots import DB_ENV, DEFAULT_DB, new_snapshot_id
from advisor.store.sql import DATABASE_URL_ENV, SQLStore, connect, parse_url, sqlite_url


def configured_url() -> URL:
    """The database the environment asks for: ``$ADVISOR_DATABASE_URL``, else the SQLite file.

    Raises:
        StoreError: ``$ADVISOR_DATABASE_URL`` is not a URL of a supported database.
    """
    raw = os.environ.get(DATABASE_URL_ENV, "").strip()
    return parse_url(raw) if raw else sqlite_url(os.environ.get(DB_ENV) or DEFAULT_DB)


def open_store(url: str | URL | None = None, *,
               new_id: Callable[[], str] = new_snapshot_id) -> SQLStore:
    """Open (creating or migrating) the store at ``url``, by default the configured one.

    Raises:
        StoreError: a wrong or unsupported URL, an unreachable server, a damaged database.
    """
    if url is None:
        url = configured_url()
    elif isinstance(url, str):
        url = parse_url(url)
    return connect(url, new_id=new_id)


__all__ = [
    "ANONYMOUS",
    "DATABASE_URL_ENV",
    "CompareSet",
    "Decision",
    "DecisionChange",
    "RuleEdit",
    "SQLStore",
    "SnapshotSummary",
    "clean_author",
    "configured_url",
    "open_store",
    "read_decision",
    "reevaluate",
    "rule_edit_of",
    "unified_diff",
]
