"""``pip install .`` works: the package, its data, the default rules and the ``advisor`` command.

Why a real install: a package that imports from the checkout can hide a missing subpackage or
data file (``advisor.store``, ``error_messages.yaml``, the rules) until a notebook user installs
it. The build runs with pip's build isolation (setuptools from the package index); the runtime
dependencies are this test environment's, reached through a ``.pth`` file, so nothing large is
downloaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from advisor.source.loader import load_rules
from advisor.authoring.scenarios import load_scenarios, scenario_files
from helpers import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# What the build reads: a copy, so the checkout gets no build/ or *.egg-info.
SOURCES = ("pyproject.toml", "README.md", "advisor", "rules", "examples")


def _pinned() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    requirements = [Requirement(line) for line in lines if line and not line.startswith("#")]
    return {r.name.lower(): next(iter(r.specifier)).version for r in requirements}


def test_the_dependencies_are_requirements_txt_as_ranges():
    ranges = {Requirement(d).name.lower(): Requirement(d) for d in
              PYPROJECT["project"]["dependencies"]}
    pinned = _pinned()
    assert set(ranges) == set(pinned)
    for name, version in pinned.items():
        assert ranges[name].specifier.contains(version), (name, version)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv with the package installed from a copy of the checkout."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.bak"))
        else:
            shutil.copy2(ROOT / name, source / name)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                             str(source)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    # The dependencies: this environment's, after the venv's own (the package comes first).
    (Path(site.stdout.strip()) / "test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(cwd)})


def test_the_installed_package_recommends_from_its_own_rules(installed, tmp_path):
    code = ("import advisor, sys\n"
            "from advisor import default_rules_dir, load_rules, recommend\n"
            "rules = load_rules(default_rules_dir())\n"
            "rec = recommend({'task_type': 'math', 'latency_budget_s': 300, "
            "'budget_per_query_usd': 1, 'training_budget_usd': 0, "
            "'verifiability': 'verifiable_steps'}, rules)\n"
            "print(advisor.__file__); print(default_rules_dir())\n"
            "print(len(rec.estimates_frame()) == len(rec.estimates) > 0)\n"
            "import advisor.store, advisor.source.messages\n"
            # The report's templates and the vendored plotly.js travel with the package.
            "from advisor.analysis.full import analyse\n"
            "from advisor.render.html import to_html\n"
            "from advisor.render.vocabulary import Vocabulary\n"
            "html = to_html(analyse(rec.answers, rules), vocabulary=Vocabulary.of(rules))\n"
            "assert html.startswith('<!DOCTYPE html>') and 'Plotly' in html, html[:200]\n")
    result = _run(installed, str(installed / "bin" / "python"), "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package_file, rules_dir, frame_ok = result.stdout.splitlines()
    assert Path(package_file).is_relative_to(installed)  # not the checkout
    assert Path(rules_dir) == Path(package_file).parent / "default_rules"
    assert frame_ok == "True"


def test_the_advisor_command(installed, tmp_path):
    result = _run(installed, str(installed / "bin" / "advisor"), "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: ")
    assert "prices" in result.stdout and "recommend" in result.stdout
    # Away from a checkout, the command checks and tests the rules it was installed with.
    check = _run(installed, str(installed / "bin" / "advisor"), "check", "--strict",
                 cwd=tmp_path)
    assert (check.returncode, check.stderr) == (0, ""), check.stderr
    assert check.stdout.endswith("default_rules: rules are valid\n")
    scenarios = _run(installed, str(installed / "bin" / "advisor"), "test", cwd=tmp_path)
    assert scenarios.returncode == 0, scenarios.stdout + scenarios.stderr
    count = len(load_scenarios(scenario_files(ROOT / "rules"),
                               load_rules(ROOT / "rules"))[0])
    assert scenarios.stdout == f"{count} passed, 0 failed, {count} scenario(s)\n"
