"""Snapshot storage: round trips, never overwriting, and every failure as a clear message."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest

from advisor import load_answers, load_rules
from advisor.analysis import analyse
from advisor.errors import SnapshotError, UserInputError
from advisor.snapshots import (ID_PATTERN, Snapshot, SQLiteSnapshotStore, default_store,
                               new_snapshot_id)

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules(ROOT / "rules")
RESULT = analyse(load_answers(ROOT / "examples" / "competition-math.yaml"), RULES)
CREATED = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def snapshot(title: str | None = "Math solver") -> Snapshot:
    return Snapshot.of(RESULT, title=title, created=CREATED)


def test_round_trip_keeps_the_result_exactly(tmp_path):
    store = SQLiteSnapshotStore(tmp_path / "s.sqlite3")
    snapshot_id = store.save(snapshot())
    assert ID_PATTERN.fullmatch(snapshot_id)
    got = store.get(snapshot_id)
    assert got.id == snapshot_id and got.title == "Math solver" and got.created == CREATED
    assert got.rules_version == RESULT.rules_version and got.answers == RESULT.answers
    assert got.result() == RESULT
    assert [s.id for s in store.list()] == [snapshot_id]


def test_ids_are_short_random_base32():
    ids = {new_snapshot_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(ID_PATTERN.fullmatch(i) for i in ids)


def test_a_colliding_id_is_redrawn_never_overwritten(tmp_path):
    drawn = iter(["aaaaaaaa", "aaaaaaaa", "bbbbbbbb"])
    store = SQLiteSnapshotStore(tmp_path / "s.sqlite3", new_id=lambda: next(drawn))
    assert store.save(snapshot("first")) == "aaaaaaaa"
    assert store.save(snapshot("second")) == "bbbbbbbb"
    assert store.get("aaaaaaaa").title == "first"
    assert store.get("bbbbbbbb").title == "second"


def test_no_free_id_saves_nothing(tmp_path):
    store = SQLiteSnapshotStore(tmp_path / "s.sqlite3", new_id=lambda: "aaaaaaaa")
    store.save(snapshot("first"))
    with pytest.raises(SnapshotError) as err:
        store.save(snapshot("second"))
    assert err.value.message == "no free snapshot id after 5 attempts; nothing was saved. Try again."
    assert [s.title for s in store.list()] == ["first"]


def test_concurrent_writers_each_get_their_own_snapshot(tmp_path):
    path = tmp_path / "s.sqlite3"
    saved: list[str] = []
    errors: list[Exception] = []

    def writer(n: int) -> None:
        store = SQLiteSnapshotStore(path)
        for i in range(15):
            try:
                saved.append(store.save(snapshot(f"writer {n} #{i}")))
            except Exception as exc:  # collected: a failure in a thread must fail the test
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(saved) == len(set(saved)) == 120
    store = SQLiteSnapshotStore(path)
    assert len(store.list(limit=500)) == 120
    assert store.get(saved[0]).result() == RESULT


def _save_in_a_process(path: str, count: int, queue) -> None:
    store = SQLiteSnapshotStore(path)
    queue.put([store.save(snapshot(f"process #{i}")) for i in range(count)])


def test_concurrent_processes_each_get_their_own_snapshot(tmp_path):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    path = str(tmp_path / "s.sqlite3")
    workers = [context.Process(target=_save_in_a_process, args=(path, 10, queue))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    saved = [snapshot_id for _ in workers for snapshot_id in queue.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert len(saved) == len(set(saved)) == 40
    assert {s.id for s in SQLiteSnapshotStore(path).list(limit=100)} == set(saved)


@pytest.mark.parametrize("bad_id", ["abc", "ABCDEFGH", "aaaaaaa1", "'; DROP TABLE snapshots;--",
                                    "a" * 9, ""])
def test_a_tampered_id_is_refused_before_any_lookup(tmp_path, bad_id):
    store = SQLiteSnapshotStore(tmp_path / "missing.sqlite3")
    with pytest.raises(SnapshotError) as err:
        store.get(bad_id)
    assert "is not a snapshot id: ids are 8 characters, letters a-z and digits 2-7" in \
        err.value.message


def test_unknown_id(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = SQLiteSnapshotStore(path)
    store.save(snapshot())
    with pytest.raises(SnapshotError) as err:
        store.get("zzzzzzzz")
    assert err.value.message == (f"no snapshot 'zzzzzzzz' in {path}: the link may be mistyped, "
                                 "or it was saved with another database.")


def test_missing_database_on_read_is_not_created(tmp_path):
    path = tmp_path / "never-saved.sqlite3"
    store = SQLiteSnapshotStore(path)
    with pytest.raises(SnapshotError) as err:
        store.get("aaaaaaaa")
    assert err.value.message == (f"no snapshot database at {path}: nothing has been saved there "
                                 "yet. Set ADVISOR_SNAPSHOT_DB to the database the link was made "
                                 "with.")
    assert store.list() == []
    assert not path.exists()


@pytest.mark.parametrize("content", [b"this is not a database" * 50,
                                     b"SQLite format 3\0" + b"\xff" * 200])
def test_corrupt_file(tmp_path, content):
    path = tmp_path / "s.sqlite3"
    path.write_bytes(content)
    store = SQLiteSnapshotStore(path)
    for attempt in (lambda: store.get("aaaaaaaa"), lambda: store.save(snapshot()), store.list):
        with pytest.raises(SnapshotError) as err:
            attempt()
        assert err.value.message.startswith(f"the snapshot database {path} is damaged or is not "
                                            "a snapshot database (")
    assert path.read_bytes() == content  # nothing was written over it


def test_a_database_of_something_else(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(SnapshotError) as err:
        SQLiteSnapshotStore(path).get("aaaaaaaa")
    assert "is damaged or is not a snapshot database (no such table: snapshots)" in err.value.message


def test_a_damaged_row_is_reported_not_shown(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = SQLiteSnapshotStore(path, new_id=lambda: "aaaaaaaa")
    store.save(snapshot())
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE snapshots SET answers_json = '{\"task_type\": 3}'")
    with pytest.raises(SnapshotError) as err:
        store.get("aaaaaaaa")
    assert err.value.message == f"snapshot 'aaaaaaaa' in {path} is damaged and cannot be shown"


@pytest.mark.parametrize("where", ["no-such-folder/s.sqlite3", "."])
def test_unwritable_path(tmp_path, where):
    path = tmp_path / where
    with pytest.raises(SnapshotError) as err:
        SQLiteSnapshotStore(path).save(snapshot())
    assert err.value.message.startswith(f"cannot create or open the snapshot database {path}: "
                                        "unable to open database file.")
    assert isinstance(err.value, UserInputError)


def test_default_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_SNAPSHOT_DB", str(tmp_path / "env.sqlite3"))
    assert default_store().path == tmp_path / "env.sqlite3"
    monkeypatch.delenv("ADVISOR_SNAPSHOT_DB")
    assert default_store().path == Path("snapshots.sqlite3")
