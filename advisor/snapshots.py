"""Snapshots: a recommendation frozen under a short id, to reopen weeks later as it was.

A :class:`Snapshot` keeps the answers, the full result JSON and the ``rules_version`` that
produced it. Stores implement :class:`SnapshotStore`; :class:`SQLiteSnapshotStore` is the default,
an embedded database at ``$ADVISOR_SNAPSHOT_DB`` (default ``snapshots.sqlite3`` in the working
directory).

Guarantees: a save is one transaction (all or nothing); a snapshot is never overwritten (the id
is the primary key and rows are only ever inserted; a colliding random id is replaced by a new
one); reads never create or modify the database; every failure is a :class:`SnapshotError` with a
message a person can act on.

Why a protocol: several app replicas can later share one database server by implementing the same
three methods.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.answers import Answers
from advisor.errors import SnapshotError
from advisor.result import Recommendation

DB_ENV = "ADVISOR_SNAPSHOT_DB"
DEFAULT_DB = "snapshots.sqlite3"
ID_LENGTH = 8
ID_PATTERN = re.compile(r"[a-z2-7]{8}")  # used with fullmatch: "$" would accept a final newline
SAVE_ATTEMPTS = 5
BUSY_TIMEOUT_S = 10.0
TITLE_MAX = 200
SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    title TEXT,
    rules_version TEXT NOT NULL,
    answers_json TEXT NOT NULL,
    result_json TEXT NOT NULL
)
"""


class Snapshot(BaseModel):
    """A frozen recommendation: answers, the full result and the rules version behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = Field(None, description="Short id; None until a store saves it.")
    created: dt.datetime = Field(description="When it was frozen (UTC).")
    title: str | None = Field(None, max_length=TITLE_MAX)
    rules_version: str
    answers: Answers
    result_json: str = Field(description="The result exactly as it was recommended (JSON).")

    @classmethod
    def of(cls, result: Recommendation, *, title: str | None = None,
           created: dt.datetime | None = None) -> Snapshot:
        """Freeze ``result`` (an analysed or plain recommendation)."""
        return cls(created=created or dt.datetime.now(dt.UTC), title=(title or None),
                   rules_version=result.rules_version, answers=result.answers,
                   result_json=result.model_dump_json())

    def result(self) -> Recommendation:
        """The recommendation as it was made.

        Raises:
            SnapshotError: the stored result no longer reads as a recommendation.
        """
        try:
            return Recommendation.model_validate_json(self.result_json)
        except ValidationError:
            raise SnapshotError(f"snapshot '{self.id}' is damaged: its stored result does not "
                                "read as a recommendation") from None


class SnapshotStore(Protocol):
    """Where snapshots live. Implementations never overwrite a saved snapshot."""

    def save(self, snapshot: Snapshot) -> str:
        """Store ``snapshot`` under a new id and return the id."""

    def get(self, snapshot_id: str) -> Snapshot:
        """The snapshot saved under ``snapshot_id``; raises SnapshotError if there is none."""

    def list(self, *, limit: int = 50) -> list[Snapshot]:
        """The most recent snapshots, newest first."""


def new_snapshot_id() -> str:
    """8 lower-case base32 characters from 40 random bits (ids are not guessable)."""
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()


def check_snapshot_id(snapshot_id: str) -> str:
    """Return ``snapshot_id`` if it has the shape of an id.

    Raises:
        SnapshotError: it does not (for example, a tampered link).
    """
    if not isinstance(snapshot_id, str) or not ID_PATTERN.fullmatch(snapshot_id):
        shown = str(snapshot_id)[:40]
        raise SnapshotError(f"'{shown}' is not a snapshot id: ids are {ID_LENGTH} characters, "
                            "letters a-z and digits 2-7. Check the link you were given.")
    return snapshot_id


class SQLiteSnapshotStore:
    """Snapshots in an embedded SQLite database file.

    Args:
        path: the database file; created (with its table) on the first save.
        new_id: id generator (tests inject collisions).
    """

    def __init__(self, path: str | Path, *, new_id: Callable[[], str] = new_snapshot_id):
        self.path = Path(path)
        self._new_id = new_id

    def _fail(self, message: str) -> SnapshotError:
        return SnapshotError(message, path=str(self.path))

    def _read_connection(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise self._fail(f"no snapshot database at {self.path}: nothing has been saved "
                             f"there yet. Set {DB_ENV} to the database the link was made with.")
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise self._fail(f"cannot open the snapshot database {self.path}: {exc}") from None

    def _damaged(self, exc: sqlite3.Error) -> SnapshotError:
        if isinstance(exc, sqlite3.OperationalError) and "no such table" not in str(exc):
            return self._fail(f"cannot read the snapshot database {self.path}: {exc}")
        return self._fail(f"the snapshot database {self.path} is damaged or is not a snapshot "
                          f"database ({exc}). Restore it from a backup, or point {DB_ENV} at "
                          "another file.")

    def save(self, snapshot: Snapshot) -> str:
        """Insert ``snapshot`` under a fresh id in one transaction; return the id.

        Raises:
            SnapshotError: the file cannot be created or written, is damaged, or no free id was
                found in a few attempts.
        """
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise self._fail(f"cannot create or open the snapshot database {self.path}: {exc}. "
                             f"Check that the folder exists and is writable, or set "
                             f"{DB_ENV}.") from None
        try:
            for _ in range(SAVE_ATTEMPTS):
                snapshot_id = check_snapshot_id(self._new_id())
                try:
                    with conn:  # one transaction: the table and the row, or nothing
                        conn.execute(SCHEMA)
                        conn.execute(
                            "INSERT INTO snapshots (id, created, title, rules_version, "
                            "answers_json, result_json) VALUES (?, ?, ?, ?, ?, ?)",
                            (snapshot_id, snapshot.created.isoformat(), snapshot.title,
                             snapshot.rules_version, snapshot.answers.model_dump_json(),
                             snapshot.result_json))
                    return snapshot_id
                except sqlite3.IntegrityError:
                    continue  # the id is taken: never replace, draw another
            raise self._fail(f"no free snapshot id after {SAVE_ATTEMPTS} attempts; nothing was "
                             "saved. Try again.")
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and (
                    "readonly" in str(exc) or "unable to open" in str(exc)):
                raise self._fail(f"cannot write to the snapshot database {self.path}: {exc}. "
                                 f"Check its permissions, or set {DB_ENV} to a writable "
                                 "file.") from None
            raise self._damaged(exc) from None
        finally:
            conn.close()

    def _row_to_snapshot(self, row: tuple) -> Snapshot:
        snapshot_id, created, title, rules_version, answers_json, result_json = row
        try:
            return Snapshot(id=snapshot_id, created=dt.datetime.fromisoformat(created),
                            title=title, rules_version=rules_version,
                            answers=Answers.model_validate_json(answers_json),
                            result_json=result_json)
        except (ValidationError, ValueError, TypeError):
            raise self._fail(f"snapshot '{snapshot_id}' in {self.path} is damaged and cannot be "
                             "shown") from None

    def get(self, snapshot_id: str) -> Snapshot:
        """The snapshot saved under ``snapshot_id``.

        Raises:
            SnapshotError: malformed or unknown id, missing or damaged database.
        """
        check_snapshot_id(snapshot_id)
        conn = self._read_connection()
        try:
            row = conn.execute("SELECT id, created, title, rules_version, answers_json, "
                               "result_json FROM snapshots WHERE id = ?",
                               (snapshot_id,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()
        if row is None:
            raise self._fail(f"no snapshot '{snapshot_id}' in {self.path}: the link may be "
                             "mistyped, or it was saved with another database.")
        return self._row_to_snapshot(row)

    def list(self, *, limit: int = 50) -> list[Snapshot]:
        """The most recent snapshots, newest first (empty when nothing was saved yet)."""
        if not self.path.exists():
            return []
        conn = self._read_connection()
        try:
            rows = conn.execute("SELECT id, created, title, rules_version, answers_json, "
                                "result_json FROM snapshots ORDER BY created DESC, id LIMIT ?",
                                (limit,)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()
        return [self._row_to_snapshot(row) for row in rows]


def default_store() -> SQLiteSnapshotStore:
    """The store at ``$ADVISOR_SNAPSHOT_DB``, or ``snapshots.sqlite3`` in the working directory."""
    return SQLiteSnapshotStore(os.environ.get(DB_ENV) or DEFAULT_DB)
