"""Snapshots as values: ids, and what freezing a result keeps (storage is in test_store.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from advisor import load_answers, load_rules
from advisor.analysis.full import analyse
from advisor.errors import SnapshotError
from advisor.store.snapshots import ID_PATTERN, Snapshot, check_snapshot_id, new_snapshot_id
from helpers import EXAMPLES_DIR, RULES_DIR

RESULT = analyse(load_answers(EXAMPLES_DIR / "competition-math.yaml"), load_rules(RULES_DIR))
CREATED = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def test_ids_are_short_random_base32():
    ids = {new_snapshot_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(ID_PATTERN.fullmatch(i) for i in ids)


@pytest.mark.parametrize("bad_id", ["abc", "ABCDEFGH", "aaaaaaa1", "'; DROP TABLE snapshots;--",
                                    "a" * 9, "", None])
def test_a_tampered_id_is_refused(bad_id):
    with pytest.raises(SnapshotError) as err:
        check_snapshot_id(bad_id)
    assert "is not a snapshot id: ids are 8 characters, letters a-z and digits 2-7" in \
        err.value.message


def test_freezing_keeps_answers_result_rules_version_title_and_author():
    frozen = Snapshot.of(RESULT, title="Board review", created=CREATED, author="ada@example.com")
    assert (frozen.id, frozen.title, frozen.author, frozen.created) == (
        None, "Board review", "ada@example.com", CREATED)
    assert frozen.rules_version == RESULT.rules_version and frozen.answers == RESULT.answers
    assert frozen.result() == RESULT
    assert Snapshot.of(RESULT, title="").title is None
    assert Snapshot.of(RESULT).author == "anonymous"


def test_a_too_long_author_is_refused():
    with pytest.raises(ValidationError):
        Snapshot.of(RESULT, author="x" * 201)


def test_a_stored_result_that_no_longer_reads_is_a_clear_error():
    frozen = Snapshot.of(RESULT).model_copy(update={"id": "aaaaaaaa", "result_json": "{}"})
    with pytest.raises(SnapshotError) as err:
        frozen.result()
    assert err.value.message == ("snapshot 'aaaaaaaa' is damaged: its stored result does not "
                                 "read as a recommendation")
