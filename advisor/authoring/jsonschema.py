"""JSON Schemas for editors, generated from the pydantic models of rules and scenario files.

``rules/rules.schema.json`` describes a rules file and ``rules/tests/scenarios.schema.json`` a
scenario file. Editors with the YAML language server read the ``# yaml-language-server:
$schema=...`` header of each file and autocomplete and flag errors as people type. Descriptions
and examples the models lack are filled in from ``schema_docs.yaml`` (data, like the error wording).

Why generated and committed: editors need a file; a test regenerates it and fails when the
committed copy drifts from the models (``python -m advisor schema`` rewrites it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from advisor.authoring.scenarios import SCENARIO_DIR, ScenarioFile
from advisor.model.rules import RulesFile

_DOCS_PATH = Path(__file__).with_name("schema_docs.yaml")
RULES_SCHEMA_NAME = "rules.schema.json"
SCENARIOS_SCHEMA_NAME = "scenarios.schema.json"
RULES_HEADER = f"# yaml-language-server: $schema=./{RULES_SCHEMA_NAME}"
SCENARIOS_HEADER = f"# yaml-language-server: $schema=./{SCENARIOS_SCHEMA_NAME}"


@cache
def _docs() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(_DOCS_PATH.read_text(encoding="utf-8"))


def _fill(owner: str, properties: dict[str, dict]) -> None:
    for name, prop in properties.items():
        extra = _docs().get(f"{owner}.{name}", {})
        for key in ("description", "examples"):
            if key not in prop and key in extra:
                prop[key] = extra[key]


def build_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of ``model`` with every property documented where the table says how."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    _fill(model.__name__, schema.get("properties", {}))
    for name, definition in schema.get("$defs", {}).items():
        _fill(name, definition.get("properties", {}))
    return schema


def undocumented(schema: dict[str, Any]) -> list[str]:
    """``Model.field`` of every property lacking a description or examples (should be empty)."""
    missing = []
    owners = [(schema.get("title", "root"), schema)] + list(schema.get("$defs", {}).items())
    for owner, definition in owners:
        for name, prop in definition.get("properties", {}).items():
            missing += [f"{owner}.{name} ({key})" for key in ("description", "examples")
                        if key not in prop]
    return missing


def render(schema: dict[str, Any]) -> str:
    """Stable text of a schema, as committed."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def schema_texts(directory: str | Path) -> dict[Path, str]:
    """Where each schema belongs under a rules directory, and its text."""
    directory = Path(directory)
    return {directory / RULES_SCHEMA_NAME: render(build_schema(RulesFile)),
            directory / SCENARIO_DIR / SCENARIOS_SCHEMA_NAME: render(build_schema(ScenarioFile))}


def write_schemas(directory: str | Path) -> list[Path]:
    """Write (or rewrite) both schemas under ``directory``; returns the files changed."""
    changed = []
    for path, text in schema_texts(directory).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
