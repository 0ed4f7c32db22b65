"""The store on both backends (a SQLite file and the test run's PostgreSQL): round trips, never
overwriting, many writers at once, filters, ownership, compare sets, the audit log, migrations,
and every failure as one clear message."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading

import psycopg
import pytest
import yaml
from sqlalchemy import event, inspect, text

from advisor import load_answers, load_rules
from advisor.analysis.full import analyse
from advisor.analysis.compare import NamedScenario
from advisor.errors import SnapshotError, StoreError, UserInputError
from advisor.store.snapshots import ID_PATTERN, Snapshot
from advisor.store import CompareSet, RuleEdit, open_store, reevaluate, unified_diff
from advisor.store.schema import METADATA, SCHEMA_VERSION, current_version
from conftest import libpq_url
from helpers import EXAMPLES_DIR, ROOT, RULES_DIR

RULES = load_rules(RULES_DIR)
MATH = analyse(load_answers(EXAMPLES_DIR / "competition-math.yaml"), RULES)
FAQ = analyse(load_answers(EXAMPLES_DIR / "support-faq-bot.yaml"), RULES)
CREATED = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def snapshot(title: str | None = "Math solver", *, author: str = "ada@example.com",
             result=MATH, created: dt.datetime = CREATED) -> Snapshot:
    return Snapshot.of(result, title=title, created=created, author=author)


def test_round_trip_keeps_the_result_exactly(store_url):
    store = open_store(store_url)
    snapshot_id = store.save(snapshot())
    assert ID_PATTERN.match(snapshot_id)
    got = store.get(snapshot_id)
    assert (got.id, got.title, got.author, got.created) == (
        snapshot_id, "Math solver", "ada@example.com", CREATED)
    assert got.rules_version == MATH.rules_version and got.answers == MATH.answers
    assert got.result() == MATH
    assert [s.id for s in store.list()] == [snapshot_id]
    assert open_store(store_url).get(snapshot_id) == got  # another server, same database


def test_a_colliding_id_is_redrawn_never_overwritten(store_url):
    drawn = iter(["aaaaaaaa", "aaaaaaaa", "bbbbbbbb"])
    store = open_store(store_url, new_id=lambda: next(drawn))
    assert store.save(snapshot("first")) == "aaaaaaaa"
    assert store.save(snapshot("second")) == "bbbbbbbb"
    assert store.get("aaaaaaaa").title == "first"
    assert store.get("bbbbbbbb").title == "second"


def test_no_free_id_saves_nothing(store_url):
    store = open_store(store_url, new_id=lambda: "aaaaaaaa")
    store.save(snapshot("first"))
    with pytest.raises(SnapshotError) as err:
        store.save(snapshot("second"))
    assert err.value.message == ("no free snapshot id after 5 attempts; nothing was saved. "
                                 "Try again.")
    assert [s.title for s in store.list()] == ["first"]


def test_concurrent_threads_each_get_their_own_snapshot(store_url):
    saved: list[str] = []
    errors: list[Exception] = []
    store = open_store(store_url)

    def writer(n: int) -> None:
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
    assert len(open_store(store_url).list(limit=500)) == 120


def _save_in_a_process(url: str, count: int, go, queue) -> None:
    store = open_store(url)  # each process its own engine, as each app server has
    go.wait(timeout=60)
    try:
        queue.put([store.save(snapshot(f"process #{i}")) for i in range(count)])
    except Exception as exc:  # reported to the test, which fails on it
        queue.put(repr(exc))


def test_twenty_processes_saving_at_once_each_get_their_own_snapshot(store_url):
    open_store(store_url)  # the schema exists before the writers race (as after start-up)
    context = multiprocessing.get_context("fork")
    go, queue = context.Event(), context.Queue()
    workers = [context.Process(target=_save_in_a_process, args=(store_url, 5, go, queue))
               for _ in range(20)]
    for worker in workers:
        worker.start()
    go.set()  # every process starts saving at the same moment
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert [r for r in results if isinstance(r, str)] == []
    saved = [snapshot_id for ids in results for snapshot_id in ids]
    assert len(saved) == len(set(saved)) == 100
    assert {s.id for s in open_store(store_url).list(limit=200)} == set(saved)


def test_twenty_servers_starting_at_once_migrate_once(store_url):
    errors: list[Exception] = []

    def start() -> None:
        try:
            open_store(store_url)
        except Exception as exc:  # collected: a failure in a thread must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(store_url).engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM advisor_schema ORDER BY version"))
        assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1))


def test_the_migrated_schema_is_the_one_the_code_queries(store_url):
    store = open_store(store_url)
    found = inspect(store.engine)
    for table in METADATA.sorted_tables:
        assert {c["name"] for c in found.get_columns(table.name)} == set(table.c.keys())
    with store.engine.connect() as conn:
        assert current_version(conn) == SCHEMA_VERSION


@pytest.mark.parametrize("bad_id", ["abc", "ABCDEFGH", "aaaaaaa1", "'; DROP TABLE snapshots;--",
                                    "a" * 9, ""])
def test_a_tampered_id_is_refused_before_any_lookup(store_url, bad_id):
    store = open_store(store_url)
    with pytest.raises(SnapshotError) as err:
        store.get(bad_id)
    assert "is not a snapshot id: ids are 8 characters, letters a-z and digits 2-7" in \
        err.value.message


def test_unknown_id(store_url):
    store = open_store(store_url)
    store.save(snapshot())
    with pytest.raises(SnapshotError) as err:
        store.get("zzzzzzzz")
    assert err.value.message == (f"no snapshot 'zzzzzzzz' in {store.location}: the link may be "
                                 "mistyped, or it was saved with another database.")


def test_a_damaged_row_is_reported_not_shown(store_url):
    store = open_store(store_url, new_id=lambda: "aaaaaaaa")
    store.save(snapshot())
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE snapshots SET answers_json = '{\"task_type\": 3}'"))
    with pytest.raises(SnapshotError) as err:
        store.get("aaaaaaaa")
    assert err.value.message == (f"snapshot 'aaaaaaaa' in {store.location} is damaged and "
                                 "cannot be shown")


def test_find_filters_by_text_task_type_and_verdict(store_url):
    store = open_store(store_url)
    math_id = store.save(snapshot("Olympiad solver", author="ada@example.com"))
    faq_id = store.save(snapshot("Support bot 100%_sure", author="bob@example.com", result=FAQ,
                                 created=CREATED + dt.timedelta(hours=1)))
    everything, total = store.find()
    assert [s.id for s in everything] == [faq_id, math_id] and total == 2  # newest first
    faq = everything[0]
    assert (faq.title, faq.author, faq.decision.verdict, faq.decision.task_type) == (
        "Support bot 100%_sure", "bob@example.com", FAQ.verdict, "knowledge_qa")
    assert faq.decision.strategy_name == FAQ.strategy_name
    assert faq.decision.model_name == FAQ.model_name
    assert [s.id for s in store.find(text="OLYMPIAD")[0]] == [math_id]
    assert [s.id for s in store.find(text="bob@")[0]] == [faq_id]
    assert [s.id for s in store.find(text=math_id)[0]] == [math_id]
    assert [s.id for s in store.find(text="%_")[0]] == [faq_id]  # wildcards are literal
    assert store.find(text="%x")[1] == 0
    assert [s.id for s in store.find(task_type="math")[0]] == [math_id]
    same = [faq_id, math_id] if FAQ.verdict == MATH.verdict else [faq_id]
    assert [s.id for s in store.find(verdict=FAQ.verdict)[0]] == same
    assert store.find(task_type="knowledge_qa", verdict=FAQ.verdict)[1] == 1
    assert store.find(verdict="neither") == ([], 0)
    summaries, total = store.find(limit=1)
    assert len(summaries) == 1 and total == 2


def test_only_the_author_deletes_and_the_id_is_never_reused(store_url):
    drawn = iter(["aaaaaaaa", "bbbbbbbb", "aaaaaaaa", "cccccccc"])
    store = open_store(store_url, new_id=lambda: next(drawn))
    mine = store.save(snapshot("mine", author="ada@example.com"))
    anonymous = store.save(snapshot("nobody's", author="anonymous"))
    with pytest.raises(SnapshotError) as err:
        store.delete(mine, by="mallory@example.com")
    assert err.value.message == ("only the person who saved snapshot 'aaaaaaaa' "
                                 "(ada@example.com) can delete it; you are mallory@example.com. "
                                 "Nothing was deleted.")
    with pytest.raises(SnapshotError):
        store.delete(anonymous, by="anonymous")
    assert store.get(mine).title == "mine" and store.get(anonymous).title == "nobody's"

    store.delete(mine, by="ada@example.com")
    with pytest.raises(SnapshotError) as err:
        store.get(mine)
    assert err.value.message.startswith("snapshot 'aaaaaaaa' was deleted by the person who saved "
                                        "it (ada@example.com) on ")
    assert [s.id for s in store.list()] == [anonymous]
    assert store.find()[1] == 1
    assert store.save(snapshot("later")) == "cccccccc"  # the deleted id was not handed out


def test_compare_sets_round_trip_and_list(store_url):
    store = open_store(store_url)
    scenarios = [NamedScenario(name="Today", answers=MATH.answers),
                 NamedScenario(name="Cheaper <b>", answers=FAQ.answers)]
    first = store.save_compare_set(CompareSet(created=CREATED, name="Q4 options",
                                              author="ada@example.com", scenarios=scenarios,
                                              picked=["Today", "Cheaper <b>"]))
    second = store.save_compare_set(CompareSet(created=CREATED + dt.timedelta(minutes=1),
                                               name="Just one", scenarios=scenarios[:1]))
    got = store.get_compare_set(first)
    assert (got.id, got.name, got.author, got.scenarios, got.picked) == (
        first, "Q4 options", "ada@example.com", scenarios, ["Today", "Cheaper <b>"])
    assert [s.id for s in store.list_compare_sets()] == [second, first]
    with pytest.raises(StoreError) as err:
        store.get_compare_set("zzzzzzzz")
    assert err.value.message == (f"no compare set 'zzzzzzzz' in {store.location}: the link may be "
                                 "mistyped, or it was saved with another database.")
    with pytest.raises(StoreError) as err:
        store.get_compare_set("../etc")
    assert err.value.message.startswith("'../etc' is not a compare set id")


def test_the_audit_log_keeps_who_when_which_file_the_diff_and_both_versions(store_url):
    store = open_store(store_url)
    diff = unified_diff("a: 1\nb: 2\n", "a: 1\nb: 3\n", file="rules.yaml")
    assert diff.splitlines()[:2] == ["--- a/rules.yaml", "+++ b/rules.yaml"]
    assert "-b: 2" in diff and "+b: 3" in diff
    first = store.record_rule_edit(RuleEdit(created=CREATED, author="ada@example.com",
                                            file="rules.yaml", diff=diff,
                                            rules_version_before="aaa", rules_version_after="bbb"))
    second = store.record_rule_edit(RuleEdit(created=CREATED, author="bob@example.com",
                                             file="models.yaml", diff="",
                                             rules_version_before="bbb",
                                             rules_version_after="ccc"))
    assert second > first
    edits = open_store(store_url).rule_edits()
    assert [(e.author, e.file, e.rules_version_before, e.rules_version_after) for e in edits] == [
        ("bob@example.com", "models.yaml", "bbb", "ccc"),
        ("ada@example.com", "rules.yaml", "aaa", "bbb")]
    assert edits[1].diff == diff and edits[1].created == CREATED


def test_reevaluate_lists_the_decisions_that_would_change(store_url, rules_copy):
    store = open_store(store_url)
    math_id, faq_id = store.save(snapshot("math")), store.save(snapshot("faq", result=FAQ))
    models = rules_copy / "models.yaml"
    # The math solver's tier triples its output price: its configuration no longer wins.
    data = yaml.safe_load(models.read_text())
    for model in data["models"]:
        if model["id"] == MATH.model:
            model["output_per_1m"] *= 3
    models.write_text(yaml.safe_dump(data, sort_keys=False))
    changes = reevaluate([store.get(math_id), store.get(faq_id)], load_rules(rules_copy))
    assert [c.snapshot_id for c in changes] == [math_id, faq_id]
    assert changes[0].changed and not changes[1].changed
    then = {what: before for what, before, _ in changes[0].changes}
    assert then.get("strategy", MATH.strategy_name) == MATH.strategy_name
    assert then.get("model", MATH.model_name) == MATH.model_name
    assert reevaluate([store.get(math_id)], RULES)[0].changes == []


def test_an_old_result_model_still_lists_and_reevaluates(store_url):
    """Snapshots keep results as opaque JSON: missing or unknown fields never break a row."""
    store = open_store(store_url, new_id=lambda: "aaaaaaaa")
    old = snapshot().model_copy(update={"result_json": '{"verdict": "training", "extra": [1]}'})
    store.save(old)
    summary = store.find()[0][0]
    assert (summary.decision.verdict, summary.decision.strategy_name) == ("training", None)
    change = reevaluate([store.get("aaaaaaaa")], RULES)[0]
    assert ("strategy", "(not recorded)", MATH.strategy_name) in change.changes


def _legacy_table(conn) -> None:
    conn.execute(text("CREATE TABLE snapshots (id TEXT PRIMARY KEY, created TEXT NOT NULL, "
                      "title TEXT, rules_version TEXT NOT NULL, answers_json TEXT NOT NULL, "
                      "result_json TEXT NOT NULL)"))
    conn.execute(text("INSERT INTO snapshots VALUES ('legacy22', '2026-01-02T03:04:05+00:00', "
                      "'Saved before the store', :version, :answers, :result)"),
                 {"version": MATH.rules_version, "answers": MATH.answers.model_dump_json(),
                  "result": MATH.model_dump_json()})


def test_a_single_server_snapshot_database_is_adopted_with_every_snapshot(store_url):
    from sqlalchemy import create_engine

    with create_engine(store_url).begin() as conn:
        _legacy_table(conn)
    store = open_store(store_url)
    old = store.get("legacy22")
    assert (old.title, old.author, old.result()) == ("Saved before the store", "anonymous", MATH)
    summary = store.find(text="legacy")[0][0]
    assert (summary.decision.verdict, summary.decision.task_type) == (MATH.verdict, "math")


def test_a_foreign_snapshots_table_is_refused_untouched(store_url):
    from sqlalchemy import create_engine

    with create_engine(store_url).begin() as conn:
        conn.execute(text("CREATE TABLE snapshots (x INTEGER)"))
    with pytest.raises(SnapshotError) as err:
        open_store(store_url)
    assert "is damaged or is not a snapshot database (its snapshots table has the columns x)" \
        in err.value.message
    assert not inspect(create_engine(store_url)).has_table("advisor_schema")


def test_a_schema_newer_than_the_app_is_refused(store_url):
    store = open_store(store_url)
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO advisor_schema VALUES (99, 'x', 'from the future')"))
    with pytest.raises(StoreError) as err:
        open_store(store_url)
    assert err.value.message == (f"the database at {store.location} has schema version 99, "
                                 f"newer than this app understands ({SCHEMA_VERSION}): upgrade "
                                 "the app on every server that shares it.")
    # The app's users read where the store is as "the team store" (issue 12).
    assert err.value.public == ("the team store has schema version 99, newer than this app "
                                f"understands ({SCHEMA_VERSION}): upgrade the app on every "
                                "server that shares it.")


# --- faults --------------------------------------------------------------------------------------

def _break_the_next_insert(store, backend_url: str) -> None:
    """Make the next INSERT of a snapshot lose its connection, as a network fault would."""
    fired = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def lose_connection(conn, cursor, statement, parameters, context, executemany):
        if fired or not statement.startswith("INSERT INTO snapshots"):
            return
        fired.append(True)
        if store.backend == "postgresql":
            pid = conn.connection.dbapi_connection.info.backend_pid
            with psycopg.connect(libpq_url(backend_url), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        else:
            raise sqlite3.OperationalError("disk I/O error")


def test_a_connection_lost_mid_save_reports_it_and_loses_nothing(store_url):
    store = open_store(store_url)
    kept = store.save(snapshot("saved before the fault"))
    _break_the_next_insert(store, store_url)
    with pytest.raises(SnapshotError) as err:
        store.save(snapshot("lost in the fault"))
    assert err.value.message.startswith("could not save the snapshot: ")
    if store.backend == "postgresql":
        assert "lost the connection to the database at" in err.value.message
        assert err.value.message.endswith("What was saved before is safe; try again (a retry "
                                          "never overwrites anything).")
    assert [s.title for s in store.list()] == ["saved before the fault"]
    assert store.get(kept).title == "saved before the fault"
    retried = store.save(snapshot("after the fault"))  # the pool recovers
    assert {s.id for s in store.list()} == {kept, retried}


def test_an_unreachable_server_is_one_clear_message():
    with pytest.raises(StoreError) as err:
        open_store("postgresql://advisor:secret@127.0.0.1:9/advisor")
    message = err.value.message
    assert message.startswith("cannot reach the database at "
                              "postgresql+psycopg://advisor:***@127.0.0.1:9/advisor: ")
    assert message.endswith("Check that the server is running and that ADVISOR_DATABASE_URL is "
                            "right; until then the app recommends as usual with saving turned "
                            "off.")
    assert "secret" not in message and "\n" not in message


def test_a_missing_database_on_a_running_server_is_one_clear_message(postgres_server):
    from sqlalchemy.engine import make_url

    url = make_url(postgres_server).set(database="no_such_db")
    with pytest.raises(StoreError) as err:
        open_store(url.render_as_string(hide_password=False))
    assert err.value.message.startswith(f"cannot reach the database at {url}: ")
    assert 'database "no_such_db" does not exist' in err.value.message
    assert err.value.public.startswith("cannot reach the team store: ")


@pytest.mark.parametrize(("url", "message"), [
    ("not a url", "ADVISOR_DATABASE_URL is not a database URL. Expected "
                  "postgresql://USER:PASSWORD@HOST:5432/DATABASE, or leave it unset to use "
                  "SQLite."),
    ("mysql://u:p@host/db", "ADVISOR_DATABASE_URL names an unsupported database 'mysql'; the "
                            "store supports postgresql (with psycopg) and sqlite."),
])
def test_a_wrong_url_is_one_clear_message(url, message):
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert err.value.message == err.value.public == message  # names a setting, not a place
    assert isinstance(err.value, UserInputError)


def test_the_configured_database(tmp_path, monkeypatch, postgres_url):
    monkeypatch.delenv("ADVISOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("ADVISOR_SNAPSHOT_DB", str(tmp_path / "env.sqlite3"))
    assert open_store().location == str(tmp_path / "env.sqlite3")
    monkeypatch.delenv("ADVISOR_SNAPSHOT_DB")
    monkeypatch.chdir(tmp_path)
    assert open_store().location == "snapshots.sqlite3"
    assert (tmp_path / "snapshots.sqlite3").is_file()
    monkeypatch.setenv("ADVISOR_DATABASE_URL", postgres_url)
    assert open_store().backend == "postgresql"


# --- SQLite files --------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"this is not a database" * 50,
                                     b"SQLite format 3\0" + b"\xff" * 200])
def test_a_corrupt_sqlite_file_is_refused_and_left_as_it_was(tmp_path, content):
    path = tmp_path / "s.sqlite3"
    path.write_bytes(content)
    with pytest.raises(SnapshotError) as err:
        open_store(f"sqlite:///{path}")
    assert err.value.message.startswith(f"the snapshot database {path} is damaged or is not a "
                                        "snapshot database (")
    assert err.value.message.endswith("Restore it from a backup, or set ADVISOR_SNAPSHOT_DB to "
                                      "another file.")
    assert err.value.public.startswith("the team store is damaged or is not a snapshot database (")
    assert str(tmp_path) not in err.value.public
    assert path.read_bytes() == content


@pytest.mark.parametrize("where", ["no-such-folder/s.sqlite3", "."])
def test_an_unwritable_sqlite_path(tmp_path, where):
    path = tmp_path / where
    with pytest.raises(SnapshotError) as err:
        open_store(f"sqlite:///{path}")
    assert err.value.message == (f"cannot create or open the snapshot database {path}: unable "
                                 "to open database file. Check that the folder exists and is "
                                 "writable, or set ADVISOR_SNAPSHOT_DB to another file.")
    assert err.value.public == ("cannot create or open the team store: unable to open database "
                                "file. Check that the folder exists and is writable, or set "
                                "ADVISOR_SNAPSHOT_DB to another file.")


def test_the_start_up_check_is_one_line(tmp_path, monkeypatch, postgres_url):
    def check(**env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "advisor.store", "check"], cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                              capture_output=True, text=True, timeout=60)

    monkeypatch.delenv("ADVISOR_DATABASE_URL", raising=False)
    monkeypatch.delenv("ADVISOR_SNAPSHOT_DB", raising=False)
    done = check()
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "store: sqlite store at snapshots.sqlite3, schema version 3, 0 snapshot(s)\n", "")
    done = check(ADVISOR_DATABASE_URL=postgres_url)
    assert done.returncode == 0 and done.stdout.startswith("store: postgresql store at ")
    done = check(ADVISOR_DATABASE_URL="postgresql://advisor:secret@127.0.0.1:9/advisor")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("store unavailable, the app will run with saving off: cannot "
                                  "reach the database at postgresql+psycopg://advisor:***@")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
