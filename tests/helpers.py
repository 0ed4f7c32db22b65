"""Paths, a CLI runner and an app runner shared by the test modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
EXAMPLES_DIR = ROOT / "examples"
APP = str(ROOT / "app.py")


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    """``python -m advisor ARGS`` from the worktree root, as a user would run it."""
    return subprocess.run([sys.executable, "-m", "advisor", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def run_app(query: dict[str, str] | None = None) -> AppTest:
    """The whole app in AppTest, opened on a link with ``query``; it must not raise."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Select the tab ``label`` of the tabs keyed ``key`` and rerun, as a click on it would.

    Why: the app builds a tab's content only while it is open.
    """
    at.session_state[key] = label
    at.run()
    assert not at.exception, at.exception
    return at
