"""The store's tables and the migrations that build them, recorded in a version table.

Each migration is a list of portable SQL statements (the subset SQLite and PostgreSQL share) plus
an optional Python step; ``migrate`` applies the missing ones in order inside one transaction,
under a lock, and records each in ``advisor_schema`` — so two app servers starting at once
migrate once, and a failed migration leaves the database as it was.

Migration 1 is the table of the single-server snapshot store, created only if absent, so an
existing ``snapshots.sqlite3`` is adopted in place and keeps every snapshot and id.

Why hand-written migrations and not Alembic: three small steps, both backends, no extra package
or migration directory to ship; the version table makes them idempotent the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import (Column, Connection, Integer, MetaData, String, Table, Text, inspect,
                        select, text, update)

from advisor.store.records import read_decision

METADATA = MetaData()

SCHEMA_TABLE = Table(
    "advisor_schema", METADATA,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied", String(40), nullable=False),
    Column("description", Text, nullable=False),
)

SNAPSHOTS = Table(
    "snapshots", METADATA,
    Column("id", String(16), primary_key=True),
    Column("created", String(40), nullable=False),
    Column("title", Text),
    Column("rules_version", String(64), nullable=False),
    Column("answers_json", Text, nullable=False),
    Column("result_json", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("verdict", String(40)),
    Column("strategy_name", Text),
    Column("model_name", Text),
    Column("task_type", String(40)),
    Column("deleted", String(40)),
)

COMPARE_SETS = Table(
    "compare_sets", METADATA,
    Column("id", String(16), primary_key=True),
    Column("created", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("scenarios_json", Text, nullable=False),
)

RULE_EDITS = Table(
    "rule_edits", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created", String(40), nullable=False),
    Column("author", String(200), nullable=False),
    Column("file", Text, nullable=False),
    Column("diff", Text, nullable=False),
    Column("rules_version_before", String(64), nullable=False),
    Column("rules_version_after", String(64), nullable=False),
)

LEGACY_SNAPSHOT_COLUMNS = {"id", "created", "title", "rules_version", "answers_json",
                           "result_json"}
POSTGRES_MIGRATION_LOCK = 7_301_013  # any constant shared by every server of this app


@dataclass(frozen=True)
class Migration:
    """One step: SQL statements, then an optional Python step on the same connection."""

    version: int
    description: str
    statements: list[str]
    then: Callable[[Connection], None] | None = field(default=None)


def _fill_decision_columns(conn: Connection) -> None:
    """Copy verdict, configuration and task type out of each older snapshot's result JSON."""
    rows = conn.execute(select(SNAPSHOTS.c.id, SNAPSHOTS.c.result_json)).all()
    for snapshot_id, result_json in rows:
        decision = read_decision(result_json)
        conn.execute(update(SNAPSHOTS).where(SNAPSHOTS.c.id == snapshot_id).values(
            verdict=decision.verdict, strategy_name=decision.strategy_name,
            model_name=decision.model_name, task_type=decision.task_type))


MIGRATIONS = [
    Migration(1, "snapshots (the single-server store's table, adopted as it is)", [
        "CREATE TABLE IF NOT EXISTS snapshots (id VARCHAR(16) PRIMARY KEY, "
        "created VARCHAR(40) NOT NULL, title TEXT, rules_version VARCHAR(64) NOT NULL, "
        "answers_json TEXT NOT NULL, result_json TEXT NOT NULL)",
    ]),
    Migration(2, "who saved each snapshot, its decision fields for filtering, deletion marks", [
        "ALTER TABLE snapshots ADD COLUMN author VARCHAR(200) NOT NULL DEFAULT 'anonymous'",
        "ALTER TABLE snapshots ADD COLUMN verdict VARCHAR(40)",
        "ALTER TABLE snapshots ADD COLUMN strategy_name TEXT",
        "ALTER TABLE snapshots ADD COLUMN model_name TEXT",
        "ALTER TABLE snapshots ADD COLUMN task_type VARCHAR(40)",
        "ALTER TABLE snapshots ADD COLUMN deleted VARCHAR(40)",
        "CREATE INDEX ix_snapshots_created ON snapshots (created)",
    ], then=_fill_decision_columns),
    Migration(3, "named compare sets and the audit log of rule edits", [
        "CREATE TABLE compare_sets (id VARCHAR(16) PRIMARY KEY, created VARCHAR(40) NOT NULL, "
        "name TEXT NOT NULL, author VARCHAR(200) NOT NULL, scenarios_json TEXT NOT NULL)",
        "CREATE TABLE rule_edits (id {serial_id}, created VARCHAR(40) NOT NULL, "
        "author VARCHAR(200) NOT NULL, file TEXT NOT NULL, diff TEXT NOT NULL, "
        "rules_version_before VARCHAR(64) NOT NULL, rules_version_after VARCHAR(64) NOT NULL)",
        "CREATE INDEX ix_rule_edits_created ON rule_edits (created)",
    ]),
]
SCHEMA_VERSION = MIGRATIONS[-1].version
# Why a placeholder: the one statement that differs between the backends is an auto-increment key.
SERIAL_ID = {"postgresql": "SERIAL PRIMARY KEY", "sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT"}


class ForeignDatabase(Exception):
    """The database holds a ``snapshots`` table that is not ours (its columns differ)."""


def current_version(conn: Connection) -> int:
    """The highest migration applied, 0 for a database the store has never touched."""
    if not inspect(conn).has_table(SCHEMA_TABLE.name):
        return 0
    return conn.execute(select(SCHEMA_TABLE.c.version).order_by(
        SCHEMA_TABLE.c.version.desc()).limit(1)).scalar() or 0


def migrate(conn: Connection) -> list[int]:
    """Apply every missing migration on ``conn`` (inside the caller's transaction).

    Returns:
        The versions applied (empty when the schema was current).

    Raises:
        ForeignDatabase: an unversioned ``snapshots`` table with other columns is in the way.
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        # Why: two servers starting together must not both create the tables; the lock is
        # released when the transaction ends.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                     {"key": POSTGRES_MIGRATION_LOCK})
    version = current_version(conn)
    if version == 0:
        found = inspect(conn)
        if found.has_table("snapshots"):
            columns = {c["name"] for c in found.get_columns("snapshots")}
            if columns != LEGACY_SNAPSHOT_COLUMNS:
                raise ForeignDatabase(", ".join(sorted(columns)))
        SCHEMA_TABLE.create(conn)
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        for statement in migration.statements:
            conn.execute(text(statement.replace("{serial_id}", SERIAL_ID[dialect])))
        if migration.then is not None:
            migration.then(conn)
        conn.execute(SCHEMA_TABLE.insert().values(
            version=migration.version, description=migration.description,
            applied=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
        applied.append(migration.version)
    return applied
