"""Turn pydantic validation errors into plain sentences, from a lookup table kept as data.

Why: pydantic's wording ("Input should be greater than 0") names neither the key nor the value;
users editing YAML need both, and a hint where one helps. The wording lives in
``error_messages.yaml`` so it can be improved without touching code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_TABLE_PATH = Path(__file__).with_name("error_messages.yaml")


@cache
def _table() -> dict[str, str]:
    return yaml.safe_load(_TABLE_PATH.read_text(encoding="utf-8"))


def format_loc(loc: Sequence[str | int]) -> str:
    """``('rules', 3, 'when')`` → ``rules[3].when``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def did_you_mean(value: Any, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: Any) -> Any:
    """``0.0`` → ``0``: bounds read as the user would write them."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def describe_error(error: dict, *, known: Iterable[str] = ()) -> str:
    """One plain-language sentence for one pydantic error dict.

    Args:
        error: an item of ``ValidationError.errors()``.
        known: names valid at that place, for "did you mean" on unknown keys.
    """
    loc = tuple(error.get("loc", ()))
    ctx = dict(error.get("ctx") or {})
    kind = error.get("type", "default")
    msg = str(error.get("msg", ""))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    suggestion = ""
    if kind == "extra_forbidden" and loc:
        known = list(known)
        suggestion = _table()["removed_keys"].get(str(loc[-1]), "") or did_you_mean(loc[-1], known)
        if not suggestion and known:
            suggestion = _table()["known_keys"].format(known=", ".join(known))
    elif kind in ("enum", "literal_error"):
        options = [o.strip(" '") for o in
                   str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        suggestion = did_you_mean(error.get("input"), options)
        if isinstance(error.get("input"), bool):
            suggestion = _table()["yaml_boolean_hint"]
    fields = {"key": format_loc(loc) or "(top level)", "input": _short_repr(error.get("input")),
              "msg": msg, "suggestion": suggestion, "expected": ctx.get("expected", ""),
              "where": ctx.get("where", ""),
              **{k: _number(ctx[k]) for k in ("gt", "ge", "lt", "le") if k in ctx}}
    template = _table().get(kind, _table()["default"])
    try:
        return template.format_map(fields)
    except (KeyError, IndexError):
        return _table()["default"].format_map(fields)
