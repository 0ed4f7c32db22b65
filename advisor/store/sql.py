"""The store over SQLAlchemy Core: snapshots, compare sets and the rule-edit audit log.

One class serves both backends; only the engine differs (:func:`connect`). Every write is one
transaction; rows of ``snapshots`` and ``compare_sets`` are only ever inserted under a fresh
random id (a colliding id is redrawn, never replaced); a deleted snapshot keeps its row as a
tombstone so its id is never handed out again. Every database failure becomes a
:class:`~advisor.errors.StoreError` (a :class:`~advisor.errors.SnapshotError` for snapshots) whose
message says where, what happened and what to do.

Why SQLite transactions are started by hand: Python's ``sqlite3`` starts them lazily, so a write
could fail with "database is locked" without waiting; ``BEGIN IMMEDIATE`` takes the write lock up
front and the busy timeout queues concurrent writers instead (SQLAlchemy's documented recipe).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (URL, Connection, Engine, Row, create_engine, event, func, or_, select,
                        update)
from sqlalchemy.exc import (ArgumentError, DatabaseError, IntegrityError, NoSuchModuleError,
                            OperationalError, SQLAlchemyError)

from advisor.errors import SnapshotError, StoreError
from advisor.model.answers import Answers
from advisor.store.records import (ANONYMOUS, CompareSet, Decision, RuleEdit, SnapshotSummary,
                                   read_decision)
from advisor.store.schema import (COMPARE_SETS, RULE_EDITS, SCHEMA_VERSION, SNAPSHOTS,
                                  ForeignDatabase, current_version, migrate)
from advisor.store.snapshots import (BUSY_TIMEOUT_S, DB_ENV, SAVE_ATTEMPTS, Snapshot,
                                     check_snapshot_id, new_snapshot_id)

DATABASE_URL_ENV = "ADVISOR_DATABASE_URL"
CONNECT_TIMEOUT_S = 5
SUPPORTED = ("sqlite", "postgresql")
_WRITE = "advisor_write"


def _utc_text(moment: dt.datetime) -> str:
    """ISO-8601 in UTC with microseconds: sorts as text in the order of time."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own first line, without SQLAlchemy's wrapping and the SQL."""
    original = getattr(exc, "orig", None) or exc
    return (str(original).strip().splitlines() or [type(original).__name__])[0]


class SQLStore:
    """Snapshots, compare sets and rule edits in one SQL database (SQLite or PostgreSQL).

    Build one with :func:`connect`; it is safe to share between threads (the engine pools
    connections).

    Args:
        engine: an engine whose schema :func:`connect` has migrated.
        location: where the data lives, for messages (a file path, or the URL without password).
        hint: what to set to point the app at another database.
        new_id: id generator (tests inject collisions).
    """

    def __init__(self, engine: Engine, *, location: str, hint: str,
                 new_id: Callable[[], str] = new_snapshot_id):
        self.engine = engine
        self.location = location
        self.hint = hint
        self._new_id = new_id

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    # --- transactions and errors ------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn

    def _failure(self, doing: str, exc: SQLAlchemyError, error: type[StoreError] = SnapshotError
                 ) -> StoreError:
        """A database exception as one message: where, what happened, what to do."""
        reason = _reason(exc)
        lowered = reason.lower()
        if "locked" in lowered or "busy" in lowered:
            message = (f"could not {doing}: the database {self.location} stayed busy for "
                       f"{BUSY_TIMEOUT_S:g} s ({reason}); nothing was changed. Try again.")
        elif "readonly" in lowered or "read-only" in lowered:
            message = (f"cannot write to the snapshot database {self.location}: {reason}. Check "
                       f"its permissions, or {self.hint}.")
        elif self.backend == "sqlite" and not isinstance(exc, OperationalError):
            message = (f"the snapshot database {self.location} is damaged or is not a snapshot "
                       f"database ({reason}). Restore it from a backup, or {self.hint}.")
        elif isinstance(exc, (OperationalError, DatabaseError)) and (
                getattr(exc, "connection_invalidated", False) or self.backend == "postgresql"):
            message = (f"could not {doing}: lost the connection to the database at "
                       f"{self.location} ({reason}). What was saved before is safe; try again "
                       "(a retry never overwrites anything).")
        else:
            message = (f"could not {doing}: the database {self.location} failed ({reason}). What "
                       "was saved before is safe; try again.")
        return error(message, location=self.location)

    def _insert_with_fresh_id(self, table: Any, values: dict[str, Any], *, what: str,
                              error: type[StoreError]) -> str:
        for _ in range(SAVE_ATTEMPTS):
            new_id = check_snapshot_id(self._new_id())
            try:
                with self._transaction(write=True) as conn:
                    conn.execute(table.insert().values(id=new_id, **values))
                return new_id
            except IntegrityError:
                continue  # the id is taken: never replace, draw another
            except SQLAlchemyError as exc:
                raise self._failure(f"save the {what}", exc, error) from None
        raise error(f"no free {what} id after {SAVE_ATTEMPTS} attempts; nothing was saved. Try "
                    "again.", location=self.location)

    # --- snapshots (the SnapshotStore protocol, and more) -----------------------------------

    def save(self, snapshot: Snapshot) -> str:
        """Insert ``snapshot`` under a fresh id in one transaction; return the id.

        Raises:
            SnapshotError: the database cannot be written, is damaged or unreachable, or no
                free id was found in a few attempts. Nothing is saved then.
        """
        decision = read_decision(snapshot.result_json)
        values = {"created": _utc_text(snapshot.created), "title": snapshot.title,
                  "author": snapshot.author, "rules_version": snapshot.rules_version,
                  "answers_json": snapshot.answers.model_dump_json(),
                  "result_json": snapshot.result_json, **decision.model_dump()}
        return self._insert_with_fresh_id(SNAPSHOTS, values, what="snapshot",
                                          error=SnapshotError)

    def _read_rows(self, query: Any, doing: str) -> list[Row]:
        try:
            with self._transaction(write=False) as conn:
                return list(conn.execute(query))
        except SQLAlchemyError as exc:
            raise self._failure(doing, exc) from None

    def _row_by_id(self, table: Any, row_id: str, *, what: str, error: type[StoreError]) -> Row:
        rows = self._read_rows(select(table).where(table.c.id == row_id), f"read the {what}")
        if not rows:
            raise error(f"no {what} '{row_id}' in {self.location}: the link may be mistyped, or "
                        "it was saved with another database.", location=self.location)
        return rows[0]

    def _snapshot(self, row: Row) -> Snapshot:
        try:
            return Snapshot(id=row.id, created=dt.datetime.fromisoformat(row.created),
                            title=row.title, author=row.author, rules_version=row.rules_version,
                            answers=Answers.model_validate_json(row.answers_json),
                            result_json=row.result_json)
        except (ValidationError, ValueError, TypeError):
            raise SnapshotError(f"snapshot '{row.id}' in {self.location} is damaged and cannot "
                                "be shown", location=self.location) from None

    def get(self, snapshot_id: str) -> Snapshot:
        """The snapshot saved under ``snapshot_id``.

        Raises:
            SnapshotError: malformed, unknown or deleted id; damaged or unreachable database.
        """
        check_snapshot_id(snapshot_id)
        row = self._row_by_id(SNAPSHOTS, snapshot_id, what="snapshot", error=SnapshotError)
        if row.deleted:
            raise SnapshotError(f"snapshot '{snapshot_id}' was deleted by the person who saved "
                                f"it ({row.author}) on {row.deleted[:10]}.",
                                location=self.location)
        return self._snapshot(row)

    def list(self, *, limit: int = 50) -> list[Snapshot]:
        """The most recent snapshots (not deleted), newest first."""
        query = (select(SNAPSHOTS).where(SNAPSHOTS.c.deleted.is_(None))
                 .order_by(SNAPSHOTS.c.created.desc(), SNAPSHOTS.c.id).limit(limit))
        return [self._snapshot(row) for row in self._read_rows(query, "list the snapshots")]

    def find(self, *, text: str = "", task_type: str | None = None, verdict: str | None = None,
             limit: int = 500) -> tuple[list[SnapshotSummary], int]:
        """Saved decisions matching every filter, newest first, and how many match in all.

        Args:
            text: found, case-insensitively, in the title, author, id, strategy or model.
            task_type: the answers' task type, exactly.
            verdict: the recommendation's verdict, exactly.
            limit: at most this many summaries (the count is of all matches).
        """
        where = [SNAPSHOTS.c.deleted.is_(None)]
        needle = text.strip().lower()
        if needle:
            where.append(or_(*(func.lower(func.coalesce(column, "")).contains(
                needle, autoescape=True) for column in (
                SNAPSHOTS.c.title, SNAPSHOTS.c.author, SNAPSHOTS.c.id,
                SNAPSHOTS.c.strategy_name, SNAPSHOTS.c.model_name))))
        if task_type:
            where.append(SNAPSHOTS.c.task_type == task_type)
        if verdict:
            where.append(SNAPSHOTS.c.verdict == verdict)
        columns = [SNAPSHOTS.c[name] for name in (
            "id", "created", "title", "author", "rules_version", "verdict", "strategy_name",
            "model_name", "task_type")]
        rows = self._read_rows(select(*columns).where(*where).order_by(
            SNAPSHOTS.c.created.desc(), SNAPSHOTS.c.id).limit(limit), "list the decisions")
        total = self._read_rows(select(func.count()).select_from(SNAPSHOTS).where(*where),
                                "count the decisions")[0][0]
        return [SnapshotSummary(
            id=row.id, created=dt.datetime.fromisoformat(row.created), title=row.title,
            author=row.author, rules_version=row.rules_version,
            decision=Decision(verdict=row.verdict, strategy_name=row.strategy_name,
                              model_name=row.model_name, task_type=row.task_type))
            for row in rows], total

    def delete(self, snapshot_id: str, *, by: str) -> None:
        """Delete a snapshot its author no longer wants listed or opened.

        The row stays as a tombstone: the id is never reused and nothing else is touched.

        Raises:
            SnapshotError: unknown id, or ``by`` is not the person who saved it (anonymous
                snapshots cannot be deleted by anyone).
        """
        check_snapshot_id(snapshot_id)
        try:
            with self._transaction(write=True) as conn:
                row = conn.execute(select(SNAPSHOTS.c.author, SNAPSHOTS.c.deleted).where(
                    SNAPSHOTS.c.id == snapshot_id)).first()
                if row is None:
                    raise SnapshotError(f"no snapshot '{snapshot_id}' in {self.location}.",
                                        location=self.location)
                if by == ANONYMOUS or row.author != by:
                    raise SnapshotError(
                        f"only the person who saved snapshot '{snapshot_id}' ({row.author}) can "
                        f"delete it; you are {by}. Nothing was deleted.", location=self.location)
                conn.execute(update(SNAPSHOTS).where(
                    SNAPSHOTS.c.id == snapshot_id, SNAPSHOTS.c.author == by,
                    SNAPSHOTS.c.deleted.is_(None)).values(deleted=_utc_text(dt.datetime.now(
                        dt.UTC))))
        except SQLAlchemyError as exc:
            raise self._failure("delete the snapshot", exc) from None

    # --- compare sets -----------------------------------------------------------------------

    def save_compare_set(self, compare_set: CompareSet) -> str:
        """Insert a named set of scenarios under a fresh id; return the id.

        Raises:
            StoreError: the database cannot be written or reached; nothing is saved then.
        """
        payload = {"scenarios": [s.model_dump(mode="json") for s in compare_set.scenarios],
                   "picked": compare_set.picked}
        values = {"created": _utc_text(compare_set.created), "name": compare_set.name,
                  "author": compare_set.author,
                  "scenarios_json": json.dumps(payload, sort_keys=True)}
        return self._insert_with_fresh_id(COMPARE_SETS, values, what="compare set",
                                          error=StoreError)

    def _compare_set(self, row: Row) -> CompareSet:
        try:
            payload = json.loads(row.scenarios_json)
            return CompareSet(id=row.id, created=dt.datetime.fromisoformat(row.created),
                              name=row.name, author=row.author, scenarios=payload["scenarios"],
                              picked=payload.get("picked", []))
        except (ValidationError, ValueError, TypeError, KeyError):
            raise StoreError(f"compare set '{row.id}' in {self.location} is damaged and cannot "
                             "be opened", location=self.location) from None

    def get_compare_set(self, set_id: str) -> CompareSet:
        """The compare set saved under ``set_id``.

        Raises:
            StoreError: malformed or unknown id, damaged or unreachable database.
        """
        try:
            check_snapshot_id(set_id)
        except SnapshotError:
            raise StoreError(f"'{str(set_id)[:40]}' is not a compare set id: ids are 8 "
                             "characters, letters a-z and digits 2-7. Check the link you were "
                             "given.", location=self.location) from None
        return self._compare_set(self._row_by_id(COMPARE_SETS, set_id, what="compare set",
                                                 error=StoreError))

    def list_compare_sets(self, *, limit: int = 100) -> list[CompareSet]:
        """The most recent compare sets, newest first."""
        query = select(COMPARE_SETS).order_by(COMPARE_SETS.c.created.desc(),
                                              COMPARE_SETS.c.id).limit(limit)
        return [self._compare_set(row) for row in self._read_rows(query, "list compare sets")]

    # --- the audit log of rule edits --------------------------------------------------------

    def record_rule_edit(self, edit: RuleEdit) -> int:
        """Append one rule edit to the audit log; return its number.

        Raises:
            StoreError: the database cannot be written or reached.
        """
        try:
            with self._transaction(write=True) as conn:
                return conn.execute(RULE_EDITS.insert().values(
                    created=_utc_text(edit.created), author=edit.author, file=edit.file,
                    diff=edit.diff, rules_version_before=edit.rules_version_before,
                    rules_version_after=edit.rules_version_after)).inserted_primary_key[0]
        except SQLAlchemyError as exc:
            raise self._failure("record the rule edit", exc, StoreError) from None

    def rule_edits(self, *, limit: int = 100) -> list[RuleEdit]:
        """The most recent rule edits, newest first."""
        rows = self._read_rows(select(RULE_EDITS).order_by(RULE_EDITS.c.id.desc()).limit(limit),
                               "read the audit log")
        return [RuleEdit(id=row.id, created=dt.datetime.fromisoformat(row.created),
                         author=row.author, file=row.file, diff=row.diff,
                         rules_version_before=row.rules_version_before,
                         rules_version_after=row.rules_version_after) for row in rows]

    def describe(self) -> str:
        """One line for people: backend, where, schema version, how many snapshots."""
        count = self._read_rows(select(func.count()).select_from(SNAPSHOTS),
                                "count the snapshots")[0][0]
        return (f"{self.backend} store at {self.location}, schema version {SCHEMA_VERSION}, "
                f"{count} snapshot(s)")


# --- opening a store --------------------------------------------------------------------------

def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def parse_url(raw: str) -> URL:
    """A database URL from configuration; a bare ``postgresql://`` uses psycopg 3.

    Raises:
        StoreError: not a URL, or a database the store does not support.
    """
    from sqlalchemy.engine import make_url

    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise StoreError(f"{DATABASE_URL_ENV} is not a database URL. Expected "
                         "postgresql://USER:PASSWORD@HOST:5432/DATABASE, or leave it unset to "
                         "use SQLite.", path=DATABASE_URL_ENV) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in SUPPORTED:
        raise StoreError(f"{DATABASE_URL_ENV} names an unsupported database "
                         f"'{url.get_backend_name()}'; the store supports postgresql (with "
                         "psycopg) and sqlite.", path=DATABASE_URL_ENV)
    return url


def sqlite_url(path: str) -> URL:
    """The URL of a SQLite file."""
    return URL.create("sqlite", database=path)


def connect(url: URL, *, new_id: Callable[[], str] = new_snapshot_id) -> SQLStore:
    """Open the database at ``url``, create or migrate its schema, and return the store.

    Raises:
        StoreError: the URL's driver is missing, the server is unreachable or refuses the
            login, the file cannot be created, the database is damaged or belongs to something
            else, or its schema is newer than this app.
    """
    backend = url.get_backend_name()
    if backend == "sqlite":
        location = url.database or ":memory:"
        hint = f"set {DB_ENV} to another file"
        make_engine = _sqlite_engine
    else:
        location = url.render_as_string(hide_password=True)
        hint = f"check {DATABASE_URL_ENV}"

        def make_engine(url: URL) -> Engine:
            return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                                 connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                                               "application_name": "compute-advisor"})
    try:
        engine = make_engine(url)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot use {location}: its driver is not installed ({exc}). "
                         "Install requirements.txt, which pins psycopg.",
                         location=location) from None
    store = SQLStore(engine, location=location, hint=hint, new_id=new_id)
    try:
        with store._transaction(write=True) as conn:
            version = current_version(conn)
            if version > SCHEMA_VERSION:
                raise StoreError(f"the database at {location} has schema version {version}, "
                                 f"newer than this app understands ({SCHEMA_VERSION}): upgrade "
                                 "the app on every server that shares it.", location=location)
            migrate(conn)
    except ForeignDatabase as exc:
        engine.dispose()
        raise SnapshotError(f"the snapshot database {location} is damaged or is not a snapshot "
                            f"database (its snapshots table has the columns {exc}). Restore it "
                            f"from a backup, or {hint}.", location=location) from None
    except StoreError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = _reason(exc)
        if backend == "sqlite" and "unable to open" in reason:
            raise SnapshotError(f"cannot create or open the snapshot database {location}: "
                                f"{reason}. Check that the folder exists and is writable, or "
                                f"{hint}.", location=location) from None
        if backend == "sqlite" or not isinstance(exc, OperationalError):
            raise store._failure("open the store", exc) from None
        raise StoreError(f"cannot reach the database at {location}: {reason}. Check that the "
                         f"server is running and that {DATABASE_URL_ENV} is right; until then "
                         "the app recommends as usual with saving turned off.",
                         location=location) from None
    return store
