"""Where the rules and example answers that come with the advisor are.

In a checkout they are ``rules/`` and ``examples/`` beside the package; ``pip install .`` copies
them into the package as ``advisor/default_rules`` and ``advisor/examples`` (pyproject.toml).
``ADVISOR_RULES_DIR`` overrides the rules, as it does for the app.

Why not the working directory: a notebook's working directory is anywhere, and a ``rules/``
that happens to be there is not the advisor's.
"""

from __future__ import annotations

import os
from pathlib import Path

RULES_DIR_ENV = "ADVISOR_RULES_DIR"
_PACKAGE = Path(__file__).resolve().parent.parent  # the advisor package


def _bundled(installed: str, checkout: str) -> Path:
    """The installed copy when there is one, else the checkout's directory."""
    inside = _PACKAGE / installed
    return inside if inside.is_dir() else _PACKAGE.parent / checkout


def default_rules_dir() -> Path:
    """``$ADVISOR_RULES_DIR``, else the default rules the advisor ships with.

    >>> from advisor import default_rules_dir, load_rules
    >>> rules = load_rules(default_rules_dir())
    """
    configured = os.environ.get(RULES_DIR_ENV)
    return Path(configured) if configured else _bundled("default_rules", "rules")


def examples_dir() -> Path:
    """The example answers files (``examples/`` in a checkout)."""
    return _bundled("examples", "examples")
