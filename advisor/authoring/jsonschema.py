"""JSON Schemas for editors, generated from the pydantic models of rules and scenario files.

``rules/rules.schema.json`` describes a rules file and ``rules/tests/scenarios.schema.json`` a
scenario file. Editors with the YAML language server read the ``# yaml-language-server:
$schema=...`` header of each file and autocomplete and flag errors as people type. Every
description and example comes from the models' ``Field(description=..., examples=...)``: the
words editors show sit beside the field they document.

Why generated and committed: editors need a file; a test regenerates it and fails when the
committed copy drifts from the models (``python -m advisor schema`` rewrites it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

from advisor.authoring.scenarios import SCENARIO_DIR, ScenarioFile
from advisor.model.rules import RulesFile

RULES_SCHEMA_NAME = "rules.schema.json"
SCENARIOS_SCHEMA_NAME = "scenarios.schema.json"
RULES_HEADER = f"# yaml-language-server: $schema=./{RULES_SCHEMA_NAME}"
SCENARIOS_HEADER = f"# yaml-language-server: $schema=./{SCENARIOS_SCHEMA_NAME}"


class _ExamplesAsWritten(GenerateJsonSchema):
    """Pydantic's key order (sorted, but fields and defaults as declared), except examples.

    Why: an example is YAML to copy, and ``{field: high_stakes, eq: true}`` or ``{id: ..., name:
    ...}`` read in the order people write them; sorted, the test comes before the field it tests.
    """

    def sort(self, value: JsonSchemaValue, parent_key: str | None = None) -> JsonSchemaValue:
        if parent_key == "examples":
            return value
        if isinstance(value, dict):
            keys = value if parent_key in ("properties", "default") else sorted(value)
            return {key: self.sort(value[key], key) for key in keys}
        if isinstance(value, list):
            return [self.sort(item, parent_key) for item in value]
        return value


def build_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of ``model``, documented by the descriptions and examples of its fields."""
    schema = model.model_json_schema(schema_generator=_ExamplesAsWritten)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
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


def invalid_examples(model: type[BaseModel]) -> list[str]:
    """``Model.field: example`` of every example its own field would refuse (should be empty).

    Args:
        model: the file's model; the models its fields hold are checked too.

    Returns:
        One ``Model.field: example`` (the example as JSON) per refused example.

    Why strict JSON: an example is shown as JSON and pasted as YAML, where ``"1.0e9"`` is a
    string; lax validation would read it as a number and let the wrong example through.
    """
    refused = []
    for owner in _models_within(model):
        for name, field in owner.model_fields.items():
            check = TypeAdapter(Annotated[(field.annotation, *field.metadata)]
                                if field.metadata else field.annotation)
            for example in field.examples or []:
                try:
                    check.validate_json(json.dumps(example), strict=True)
                except ValidationError:
                    refused.append(f"{owner.__name__}.{name}: {json.dumps(example)}")
    return refused


def _models_within(model: type[BaseModel]) -> list[type[BaseModel]]:
    """``model`` and every model its fields hold, at any depth, each once."""
    found: list[type[BaseModel]] = []
    pending: list[Any] = [model]
    while pending:
        kind = pending.pop()
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            if kind in found:
                continue
            found.append(kind)
            pending += [field.annotation for field in kind.model_fields.values()]
        pending += get_args(kind)
    return found


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
