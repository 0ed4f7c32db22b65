"""Shared fixtures: the default rules (loaded once), a scratch copy of them to break; the
golden-file refresh option."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

import pgcluster
from advisor import load_rules
from helpers import RULES_DIR

POSTGRES_URL_ENV = "ADVISOR_TEST_POSTGRES_URL"


def pytest_addoption(parser):
    # Golden files (tests/golden/): rewrite them from the current output instead of comparing.
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/* from the current output")


@pytest.fixture(scope="session")
def rules():
    """The default rule set, loaded once: every test only reads it."""
    return load_rules(RULES_DIR)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A scratch copy of the default rules directory, to edit into a broken one."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


@pytest.fixture
def fresh_streamlit(monkeypatch, tmp_path):
    """A clean slate for an app test: empty Streamlit caches, no rules or edit switches set,
    and a snapshot database of its own."""
    import streamlit as st

    for name in ("ADVISOR_RULES_DIR", "ADVISOR_ALLOW_RULE_EDITS", "ADVISOR_DATABASE_URL",
                 "ADVISOR_USER_HEADER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ADVISOR_SNAPSHOT_DB", str(tmp_path / "snapshots.sqlite3"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL server for this run: scripts/test's cluster
    (``$ADVISOR_TEST_POSTGRES_URL``), else a throwaway one started here.

    Why fail and not skip: the store must be tested on PostgreSQL; a run without it is broken.
    """
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        yield url
        return
    directory = tempfile.mkdtemp(prefix="advisor-pg-")  # not under pytest's root-only tmp
    try:
        url = pgcluster.start(directory)
    except pgcluster.ClusterError as exc:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"PostgreSQL could not be started for the store's tests: {exc}")
    yield url
    pgcluster.stop(directory)
    shutil.rmtree(directory, ignore_errors=True)


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL as psycopg's own connection string."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(libpq_url(postgres_server), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(libpq_url(postgres_server), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh database on each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("postgres_url")
