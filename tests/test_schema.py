"""The committed JSON Schemas match the models, document every field, and files point at them."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, Field

from advisor.cli import main
from advisor.authoring.jsonschema import (RULES_HEADER, SCENARIOS_HEADER, build_schema,
                                          invalid_examples, schema_texts, undocumented)
from advisor.authoring.scenarios import ScenarioFile, scenario_files
from advisor.model.rules import RulesFile
from advisor.source.loader import rules_files
from authoring_support import RULES


@pytest.mark.parametrize("path, text", schema_texts(RULES).items(),
                         ids=lambda v: v.name if hasattr(v, "name") else "")
def test_committed_schema_matches_the_models(path, text):
    assert path.exists(), "run: python -m advisor schema"
    assert path.read_text(encoding="utf-8") == text, (
        f"{path} drifted from the pydantic models; run: python -m advisor schema")


@pytest.mark.parametrize("model", [RulesFile, ScenarioFile])
def test_every_field_has_a_description_and_examples(model):
    assert undocumented(build_schema(model)) == []


def test_a_field_without_description_or_examples_is_named():
    class Part(BaseModel):
        weight: float = Field(description="How hard it pushes.")

    class Whole(BaseModel):
        part: Part = Field(description="One part.", examples=[{"weight": 1}])
        name: str

    assert undocumented(build_schema(Whole)) == [
        "Whole.name (description)", "Whole.name (examples)", "Part.weight (examples)"]


@pytest.mark.parametrize("model", [RulesFile, ScenarioFile])
def test_every_example_is_a_value_its_field_accepts(model):
    assert invalid_examples(model) == []


def test_an_example_of_the_wrong_type_is_named():
    class Part(BaseModel):
        weight: float = Field(gt=0, examples=[1, "1.0e9", -2])

    class Whole(BaseModel):
        parts: list[Part] = Field(examples=[[{"weight": 2}], [{"weight": "2"}]])

    assert invalid_examples(Whole) == ['Whole.parts: [{"weight": "2"}]', 'Part.weight: "1.0e9"',
                                       "Part.weight: -2"]


def test_schema_refuses_unknown_keys_like_the_loader():
    schema = build_schema(RulesFile)
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Rule"]["additionalProperties"] is False
    assert "when" in schema["$defs"]["Rule"]["required"]


def test_every_rules_and_scenario_file_names_its_schema():
    for path in rules_files(RULES):
        assert path.read_text(encoding="utf-8").splitlines()[0] == RULES_HEADER, path
    assert scenario_files(RULES)
    for path in scenario_files(RULES):
        assert path.read_text(encoding="utf-8").splitlines()[0] == SCENARIOS_HEADER, path


def test_schema_command_writes_both_schemas(tmp_path, capsys):
    assert main(["schema", "--rules", str(tmp_path)]) == 0
    assert capsys.readouterr().out == (f"wrote {tmp_path}/rules.schema.json\n"
                                       f"wrote {tmp_path}/tests/scenarios.schema.json\n")
    assert (json.loads((tmp_path / "rules.schema.json").read_text())["title"]
            == "Advisor rules file")
    assert main(["schema", "--rules", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"schemas under {tmp_path} are up to date\n"
