"""Shared fixtures: the default rules (loaded once), a scratch copy of them to break; the
golden-file refresh option."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor import load_rules
from helpers import RULES_DIR


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

    for name in ("ADVISOR_RULES_DIR", "ADVISOR_ALLOW_RULE_EDITS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ADVISOR_SNAPSHOT_DB", str(tmp_path / "snapshots.sqlite3"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
