"""Shared fixtures: the default rules, loaded once; the golden-file refresh option."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import load_rules

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    # Golden files (tests/golden/): rewrite them from the current output instead of comparing.
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/* from the current output")


@pytest.fixture(scope="session")
def default_rules():
    return load_rules(ROOT / "rules")
