"""Check the model tiers' prices against litellm's price table, and write the table's prices back.

Each tier in a rules directory names its entry in the table (``price_table_id``). The table is the
JSON that the ``litellm`` package ships (``model_prices_and_context_window_backup.json``), with
costs per token; ours are per million tokens. :func:`check_prices` lists every price that
differs, each at the line of the field (or of the tier, when the field is missing);
:func:`sync_prices` writes the table's prices and today's date into the rules file.

Why ruamel.yaml for writing: a rules file is edited by people, and its comments, folded source
texts, anchors, key order and line breaks must survive a price update. PyYAML drops comments and
positions of values; ruamel.yaml (round-trip mode) says at which line and column each value is,
and only those values are rewritten. The new text is read back by the project's own loader, and
saved through :func:`advisor.authoring.rules_store.save_rules_file` (checked, locked, backed up,
atomic).

Why not ``import litellm``: it takes seconds and pulls in dozens of packages; only its data file
is needed, found with :func:`importlib.util.find_spec`, which does not import the package.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.authoring.rules_store import content_hash, save_rules_file
from advisor.errors import PriceTableError, Problem, RulesError
from advisor.model.limits import MAX_PRICE_TABLE_BYTES, MAX_PRICE_TABLE_VALUES
from advisor.model.rules import ModelTier
from advisor.source.inputs import json_nesting_problem, read_bytes
from advisor.source.loader import SourceFile, inspect_rules

TABLE_FILE = "model_prices_and_context_window_backup.json"
LITELLM = "litellm==1.110.2"
"""The litellm release the default prices were read from (2026-11-28)."""

# Our field (USD per 1M tokens) and the table's (USD per token).
PRICE_FIELDS = (("input_per_1m", "input_cost_per_token"),
                ("output_per_1m", "output_cost_per_token"),
                ("cached_input_per_1m", "cache_read_input_token_cost"))


@dataclass(frozen=True)
class PriceChange:
    """One price of one tier that differs from the table: where it is, ours and the table's."""

    path: str
    line: int
    index: int  # the tier's position in its file's ``models`` list
    model_id: str
    field: str
    ours: float | None
    table: float


@dataclass
class PriceReport:
    """What a check found: the prices that differ, and the warnings and notes about the rest."""

    changes: list[PriceChange]
    problems: list[Problem]  # warnings (not in the table) and notes (not checked)
    checked: int  # tiers compared with the table
    texts: dict[str, str]  # path → the text checked, so a sync never writes over a newer edit

    def lines(self) -> list[Problem]:
        """Every finding as ``path:line: message``, in file order."""
        drifts = [Problem(c.path, c.line, _drift_text(c)) for c in self.changes]
        return sorted(drifts + self.problems, key=lambda p: (p.path, p.line))


def _drift_text(change: PriceChange) -> str:
    ours = "not set" if change.ours is None else f"{change.ours:g}"
    return (f"model '{change.model_id}': {change.field} is {ours}, the price table says "
            f"{change.table:g}")


def default_table() -> Path:
    """litellm's own price table, found without importing litellm.

    Raises:
        PriceTableError: litellm is not installed (or ships no table).
    """
    spec = importlib.util.find_spec("litellm")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / TABLE_FILE
        if path.is_file():
            return path
    raise PriceTableError([Problem("litellm", 0, (
        f"no price table: litellm is not installed{' or ships no ' + TABLE_FILE if spec else ''}."
        f" Install it (pip install {LITELLM}) or pass --table FILE, a JSON file in litellm's "
        "format"))])


def read_table(path: str | Path) -> dict[str, dict[str, Any]]:
    """The entries of a price table file: model id → its costs.

    Raises:
        PriceTableError: the file cannot be read, is binary, too large, not JSON, or not a
            mapping of model ids to mappings.
    """
    shown = str(path)
    raw, problems = read_bytes(path, what="price table", limit=MAX_PRICE_TABLE_BYTES)
    if raw is None:
        raise PriceTableError(problems)

    def refuse(message: str) -> PriceTableError:
        return PriceTableError([Problem(shown, 0, message)])

    if b"\x00" in raw:
        raise refuse("file is binary, not a JSON price table")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"file is not UTF-8 text (bad byte at offset {exc.start})") from None
    too_much = json_nesting_problem(text, max_values=MAX_PRICE_TABLE_VALUES)
    if too_much:
        raise refuse(f"{too_much}; not a price table")
    try:
        table = json.loads(text)
    except ValueError as exc:
        raise refuse(f"not JSON: {str(exc).split(';')[0]}") from None
    if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
        raise refuse("not a price table: expected a JSON object of model ids, each with its "
                     "costs (input_cost_per_token, output_cost_per_token, …), as litellm's "
                     + TABLE_FILE)
    return table


def _per_million(entry: dict[str, Any], key: str, table_id: str, shown: str) -> float | None:
    """The table's ``key`` of one entry in USD per 1M tokens (None when absent)."""
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            math.isfinite(value) and 0 <= value <= 1):
        raise PriceTableError([Problem(shown, 0, (
            f"'{table_id}'.{key} is {json.dumps(value)[:40]}; a cost per token is a number "
            "from 0 to 1"))])
    return float(f"{value * 1e6:.10g}")  # 1.5e-07 × 1e6 is 0.15000000000000002


def _tiers(sources: list[SourceFile]) -> Iterator[tuple[SourceFile, int, ModelTier]]:
    for source in sources:
        for index, tier in enumerate(getattr(source.model, "models", None) or []):
            yield source, index, tier


def check_prices(directory: str | Path, table: dict[str, dict[str, Any]], *,
                 table_name: str) -> PriceReport:
    """Every price of the tiers in ``directory`` that differs from ``table``.

    Args:
        directory: the rules directory.
        table: the price table (:func:`read_table`).
        table_name: how messages name the table (its path).

    Raises:
        RulesError: the rules do not load.
        PriceTableError: an entry the tiers name holds a cost that is not a number.
    """
    rules, problems, sources = inspect_rules(directory)
    if rules is None:
        raise RulesError(problems)
    report = PriceReport([], [], 0, {s.path: s.text for s in sources})
    for source, index, tier in _tiers(sources):
        where = ("models", index)
        if tier.price_table_id is None:
            report.problems.append(Problem(source.path, source.doc.line_of(where), (
                f"model '{tier.id}' has no price_table_id; its prices are not checked"), "note"))
            continue
        entry = table.get(tier.price_table_id)
        if entry is None:
            report.problems.append(Problem(source.path, source.doc.line_of(where + (
                "price_table_id",)), (f"model '{tier.id}': price_table_id "
                                      f"'{tier.price_table_id}' is not in the price table "
                                      f"{table_name}; its prices are not checked"), "warning"))
            continue
        report.checked += 1
        for field, key in PRICE_FIELDS:
            theirs = _per_million(entry, key, tier.price_table_id, table_name)
            ours = getattr(tier, field)
            if theirs is None or (ours is not None and math.isclose(ours, theirs, rel_tol=1e-9)):
                continue  # the table has no such price (many list no cached input): keep ours
            report.changes.append(PriceChange(source.path, source.doc.line_of(where + (field,)),
                                              index, tier.id, field, ours, theirs))
    return report


def _yaml_number(value: float) -> str:
    """``value`` as a YAML float the project's reader (YAML 1.1) reads back as a number.

    Why: PyYAML reads ``1e-07`` as a string; ``1.0e-07`` is a float.
    """
    text = repr(float(value))
    mantissa, _, exponent = text.partition("e")
    if exponent and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"
    return text


def updated_text(text: str, changes: list[PriceChange], *, today: dt.date) -> str:
    """``text`` (one rules file) with ``changes`` applied and each changed tier's price_date set
    to ``today``; every other character of the file is kept.

    Why edits in place rather than a round-trip dump: ruamel.yaml keeps comments but re-wraps
    flow mappings (the tiers' ``scores: {…}`` span lines); so ruamel.yaml only says where each
    value is, and just those values are rewritten. A missing price or date goes on a new line
    after ``output_per_1m``, at its indent.

    Raises:
        RulesError: a price or date to change is not written as ``key: value`` on a line of its
            own (inside a flow mapping, say); the file is then left for a person to edit.
    """
    if not changes:
        return text
    from ruamel.yaml import YAML  # Why lazy: only --sync writes

    data = YAML(typ="rt").load(text)
    lines = text.splitlines(keepends=True)
    replace: dict[int, tuple[int, str]] = {}  # line → (column of the value, new value)
    insert: dict[int, list[str]] = {}  # line → new lines to put after it
    by_tier: dict[int, list[PriceChange]] = {}
    for change in changes:
        by_tier.setdefault(change.index, []).append(change)
    for index, tier_changes in by_tier.items():
        tier = data["models"][index]
        values = {c.field: _yaml_number(c.table) for c in tier_changes}
        values["price_date"] = today.isoformat()
        for field, value in values.items():
            if field in tier:
                line, column = tier.lc.value(field)
                key_line, key_column = tier.lc.key(field)
                if key_line != line or lines[line][:key_column].strip():
                    raise RulesError([Problem(tier_changes[0].path, line + 1, (
                        f"model '{tier_changes[0].model_id}': {field} is not written as "
                        f"'{field}: value' on a line of its own, so prices --sync cannot "
                        "rewrite it; change it by hand"))])
                replace[line] = (column, value)
            else:
                anchor_line, indent = tier.lc.key("output_per_1m")
                insert.setdefault(anchor_line, []).append(f"{' ' * indent}{field}: {value}\n")
    out = []
    for number, line in enumerate(lines):
        if number in replace:
            column, value = replace[number]
            rest = line[column:]
            old = rest.split(" #", 1)[0].rstrip("\r\n").rstrip()
            line = line[:column] + value + rest[len(old):]
        out.append(line)
        out.extend(insert.get(number, []))
    return "".join(out)


def sync_prices(directory: str | Path, report: PriceReport, *, today: dt.date) -> list[Path]:
    """Write the table's prices of ``report`` into the rules files they came from.

    Each file is rewritten only if the whole directory still loads without errors with the new
    text, and through :func:`~advisor.authoring.rules_store.save_rules_file`: a numbered backup,
    then an atomic replace, refused if the file changed since it was checked.

    Returns:
        The backups written, one per changed file.

    Raises:
        RulesError: the new text would not load, or a file changed or cannot be written; that
            file is then unchanged.
    """
    backups = []
    for path in sorted({c.path for c in report.changes}):
        checked = report.texts[path]
        new = updated_text(checked, [c for c in report.changes if c.path == path], today=today)
        backups.append(save_rules_file(directory, Path(path).name, new,
                                       opened_hash=content_hash(checked)))
    return backups


__all__ = ["LITELLM", "PriceChange", "PriceReport", "check_prices", "default_table", "read_table",
           "sync_prices", "updated_text"]
