"""A model tier from the few figures a lead knows, as the app's "Add a model" form takes them.

:func:`tier_entry` turns a :class:`NewModel` (name, id, prices, speed, and either benchmark scores
or the shipped tier it resembles) into a ``models:`` entry; :func:`local_models_text` adds it to
the text of ``models_local.yaml``; :func:`add_model` writes that file into the rules directory.

Why a file of its own: the loader merges the ``models:`` sections of every top-level ``*.yaml``
file of the rules directory, so extra tiers need no new mechanism, a tier id used twice is the
loader's "duplicate model id" error, and ``prices --sync`` and the shipped ``models.yaml`` never
touch the lead's own tiers. Every check is the rules' own: the entry is validated by loading the
whole directory with the new text in place (pydantic models and cross-checks), never by a second
set of rules here.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.authoring.rules_store import content_hash, create_rules_file, save_rules_file
from advisor.errors import Problem, RulesError
from advisor.model.rules import ModelTier, RuleSet
from advisor.source.inputs import read_text

LOCAL_MODELS_FILE = "models_local.yaml"
"""Why this name: files load in name order, and it sorts after models.yaml, so the lead's tiers
come after the shipped ones and a reused id is reported in this file, not in models.yaml."""
HEADER = ("# yaml-language-server: $schema=./rules.schema.json\n"
          "# Model tiers added in the app (Rules page, Add a model). The loader merges them\n"
          "# with models.yaml; edit them like any rules file. Scores are single-pass\n"
          "# accuracies (0-1).\n")
DEFAULT_SOURCE = "entered in the app's Add a model form"


def model_id_for(name: str) -> str:
    """An id for a model's display name: lower case, runs of other characters as one ``-``.

    >>> model_id_for("Mistral Large 2 (self-hosted)")
    'mistral-large-2-self-hosted'
    """
    slug = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")
    return slug or "model"


@dataclass(frozen=True)
class NewModel:
    """What the form asks: the tier's name and id, prices, speed and single-pass quality.

    Quality is either ``scores`` (benchmark id → accuracy from 0 to 1) or ``resembles`` (the id
    of a tier whose scores and reasoning settings are copied).
    """

    name: str
    model_id: str
    input_per_1m: float | None
    output_per_1m: float | None
    output_tokens_per_s: float | None
    time_to_first_token_s: float | None
    scores: dict[str, float] = field(default_factory=dict)
    resembles: str | None = None
    reasoning: bool = False
    cached_input_per_1m: float | None = None
    price_table_id: str | None = None
    source: str = ""


def _typical(rules: RuleSet, name: str, *, reasoning: bool) -> Any:
    """The median of ``name`` over the tiers with the same ``reasoning`` flag (the schema's
    default when there are none).

    Why: how much a tier gains from thinking is not on any model card; the shipped tiers of
    the same kind are the best guess, and it stays data (models.yaml), not a constant here.
    """
    values = [getattr(t, name) for t in rules.models if t.reasoning == reasoning]
    return statistics.median(values) if values else ModelTier.model_fields[name].default


def tier_entry(new: NewModel, rules: RuleSet, *, today: dt.date) -> dict[str, Any]:
    """The ``models:`` entry for ``new``: what the form gave, the rest from the rules.

    Fields left empty in the form are left out, so the loader names them as missing.

    Raises:
        RulesError: ``resembles`` is not a tier of ``rules``.
    """
    source = new.source.strip() or DEFAULT_SOURCE
    entry: dict[str, Any] = {"id": new.model_id, "name": new.name}
    if new.price_table_id:
        entry["price_table_id"] = new.price_table_id
    if new.resembles is not None:
        like = next((t for t in rules.models if t.id == new.resembles), None)
        if like is None:
            raise RulesError([Problem(LOCAL_MODELS_FILE, 0, (
                f"no model tier '{new.resembles}' to copy the quality of; tiers: "
                f"{', '.join(t.id for t in rules.models)}"))])
        reasoning = like.reasoning
        scores = dict(like.scores)
        thinking = {"thinking_scale": like.thinking_scale, "thinking_skill": like.thinking_skill}
        quality_source = (f"Scores copied from {like.name} ({like.id}), which this model is "
                          "said to resemble; replace them with published scores or your own "
                          "eval")
    else:
        reasoning = new.reasoning
        scores = dict(new.scores)
        thinking = {name: _typical(rules, name, reasoning=reasoning)
                    for name in ("thinking_scale", "thinking_skill")}
        quality_source = f"Single-pass benchmark scores {source}"
    if reasoning:
        entry["reasoning"] = True
    for name, value in (("input_per_1m", new.input_per_1m), ("output_per_1m", new.output_per_1m),
                        ("cached_input_per_1m", new.cached_input_per_1m),
                        ("output_tokens_per_s", new.output_tokens_per_s),
                        ("time_to_first_token_s", new.time_to_first_token_s)):
        if value is not None:
            entry[name] = value
    entry.update(thinking, scores=scores, price_date=today, price_source=f"Prices {source}",
                 speed_source=f"Speed {source}", quality_source=quality_source)
    return entry


def entry_yaml(entry: dict[str, Any]) -> str:
    """One ``models:`` list item as YAML, indented as in models.yaml (``  - id: …``)."""
    text = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=80,
                          default_flow_style=None)
    return "".join("  " + line if line.strip() else line for line in text.splitlines(True))


def local_models_text(existing: str | None, entry: dict[str, Any]) -> str:
    """The text of ``models_local.yaml`` with ``entry`` added at its end.

    Args:
        existing: the file's current text, or None when there is no such file yet.
        entry: a :func:`tier_entry`.
    """
    if existing is None or not existing.strip():
        return HEADER + "models:\n" + entry_yaml(entry)
    return existing.rstrip("\n") + "\n" + entry_yaml(entry)


def read_local_models(directory: str | Path) -> tuple[str | None, str]:
    """The current ``models_local.yaml`` of ``directory`` (None if absent) and its hash.

    Raises:
        RulesError: it exists but cannot be read (too large, not UTF-8, not a file).
    """
    path = Path(directory) / LOCAL_MODELS_FILE
    if not path.exists():
        return None, ""
    text, problems = read_text(path, what="rules file")
    if text is None:
        raise RulesError(problems)
    return text, content_hash(text)


def add_model(directory: str | Path, text: str, *, opened_hash: str) -> Path | None:
    """Write ``text`` as the directory's ``models_local.yaml``, checked with the other files.

    Args:
        directory: the rules directory.
        text: the whole new file (:func:`local_models_text`).
        opened_hash: the hash :func:`read_local_models` gave for the text ``text`` extends
            (empty when there was no file).

    Returns:
        The backup of the previous file, or None when the file is new.

    Raises:
        RulesError: the rules with the new tier have errors, or the file changed (or appeared)
            since it was read, or it cannot be written; nothing is then written.
    """
    if not opened_hash:
        create_rules_file(directory, LOCAL_MODELS_FILE, text)
        return None
    return save_rules_file(directory, LOCAL_MODELS_FILE, text, opened_hash=opened_hash)


__all__ = ["LOCAL_MODELS_FILE", "NewModel", "add_model", "entry_yaml", "local_models_text",
           "model_id_for", "read_local_models", "tier_entry"]
