"""Snapshots: a recommendation frozen under a short id, to reopen weeks later as it was.

A :class:`Snapshot` keeps the answers, the full result JSON, the ``rules_version`` that
produced it and who saved it. Stores implement :class:`SnapshotStore`; :mod:`advisor.store` has
the one implementation, over SQLite by default (``$ADVISOR_SNAPSHOT_DB``, default
``snapshots.sqlite3`` in the working directory) or PostgreSQL (``$ADVISOR_DATABASE_URL``).

Guarantees: a save is one transaction (all or nothing); a snapshot is never overwritten (the id
is the primary key and rows are only ever inserted; a colliding random id is replaced by a new
one); reads never modify the database; every failure is a :class:`SnapshotError` with a message a
person can act on.

Why a protocol: the app's pages depend on these three methods, not on a database.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import SnapshotError
from advisor.model.answers import Answers
from advisor.model.result import Recommendation

DB_ENV = "ADVISOR_SNAPSHOT_DB"
DEFAULT_DB = "snapshots.sqlite3"
ID_LENGTH = 8
ID_PATTERN = re.compile(r"[a-z2-7]{8}")  # used with fullmatch: "$" would accept a final newline
SAVE_ATTEMPTS = 5
BUSY_TIMEOUT_S = 10.0
TITLE_MAX = 200
AUTHOR_MAX = 200


class Snapshot(BaseModel):
    """A frozen recommendation: answers, the full result and the rules version behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = Field(None, description="Short id; None until a store saves it.")
    created: dt.datetime = Field(description="When it was frozen (UTC).")
    title: str | None = Field(None, max_length=TITLE_MAX)
    author: str = Field("anonymous", min_length=1, max_length=AUTHOR_MAX,
                        description="Who saved it (from the trusted proxy header).")
    rules_version: str
    answers: Answers
    result_json: str = Field(description="The result exactly as it was recommended (JSON).")

    @classmethod
    def of(cls, result: Recommendation, *, title: str | None = None,
           created: dt.datetime | None = None, author: str = "anonymous") -> Snapshot:
        """Freeze ``result`` (an analysed or plain recommendation)."""
        return cls(created=created or dt.datetime.now(dt.UTC), title=(title or None),
                   author=author, rules_version=result.rules_version, answers=result.answers,
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
