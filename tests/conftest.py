"""Shared fixtures: the default rules, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import load_rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def default_rules():
    return load_rules(ROOT / "rules")
