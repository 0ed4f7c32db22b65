"""Paths and a CLI runner shared by the test modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
EXAMPLES_DIR = ROOT / "examples"


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    """``python -m advisor ARGS`` from the worktree root, as a user would run it."""
    return subprocess.run([sys.executable, "-m", "advisor", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
