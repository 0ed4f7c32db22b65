"""The hostile-input corpus: every way issue #10 found to hurt the advisor, as data.

Each :class:`Case` builds its input in a scratch directory, feeds it to the entry point a user
would (a rules directory through ``check``, an answers file through ``recommend``, an upload or a
share link through the library functions the app calls, an output path, a save from the rules
sandbox) and returns what the user is told, as lines. ``expected`` holds those lines exactly;
``{dir}`` stands for the scratch directory, ``{rules}`` for the rules directory in it, and
``{line}`` for the line a case computes from the file it edited (so the corpus does not break
when the default rules gain a line).

``tests/hostile_runner.py`` runs every case in a forked process under a memory limit and
measures its peak memory; ``tests/test_hostile.py`` checks the lines and the memory.
"""

from __future__ import annotations

import base64
import io
import json
import math
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import yaml

from advisor import analyse, load_rules
from advisor.source.answers_file import answers_from_bytes
from advisor.cli import main
from advisor.analysis.compare import LINK_MAX_CHARS, decode_scenarios
from advisor.errors import RulesError, UserInputError
from advisor.model.limits import MAX_RULES, MAX_RULES_FILES, MAX_TESTS
from advisor.authoring.lint import answer_values, check_directory
from advisor.authoring.rules_store import open_rules_file, save_rules_file
from advisor.store.snapshots import check_snapshot_id
from advisor.source.yamlsource import decode_text

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
EXAMPLE = ROOT / "examples" / "competition-math.yaml"
GOOD_ANSWERS = ("task_type: math\nlatency_budget_s: 30\nbudget_per_query_usd: 0.5\n"
                "training_budget_usd: 0\nverifiability: none\n")
NOBODY = 65534
CHANGED_ON_DISK = ("the file changed on disk since you opened it; not saved, so neither edit is "
                   "lost. Reload it and apply your edit again")


@dataclass(frozen=True)
class Case:
    """One hostile input: what it attacks, how to run it, and what the user must be told."""

    id: str
    entry: str
    run: Callable[[Path], tuple[list[str], dict[str, object]]]
    expected: tuple[str, ...]

    def expected_lines(self, scratch: Path, values: dict[str, object]) -> list[str]:
        """``expected`` with the placeholders filled (one the case did not give stays as is)."""
        fill = _Placeholders(dir=scratch, rules=scratch / "rules", **values)
        return [line.format_map(fill) for line in self.expected]


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# --- hostile texts -------------------------------------------------------------------------------

def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """The 518-byte bomb of the issue: each level repeats the one before ``width`` times."""
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(['"lol"'] * width) + "]"]
    for prev, name in zip(names, names[1:levels]):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


DEEP_LISTS = "[" * 10_000 + "]" * 10_000
DEEP_MAPPINGS = "a:\n" + "".join("  " * depth + "b:\n" for depth in range(1, 100))
SELF_ALIAS = "rules: &r [*r]\n"
WIDE = "[" + ", ".join(["0"] * 60_000) + "]\n"


def many_tests_rule(tests: int) -> str:
    """A rule whose ``all`` holds ``tests`` tests (the issue's 20,000 took recommend 23 s)."""
    test = "{field: queries_per_day, ge: 1}"
    return ("rules:\n  - id: many-tests\n    push: training\n    because: x\n    source: y\n"
            f"    when: {{all: [{', '.join([test] * tests)}]}}\n")


def threshold_rules(count: int, *, tests: int = 2, start: int = 1000) -> str:
    """``count`` rules, each ``tests`` comparisons with values no other rule uses."""
    fields = ("latency_budget_s", "budget_per_query_usd", "training_budget_usd", "queries_per_day")
    rules = []
    for index in range(count):
        values = range(start + index * tests, start + (index + 1) * tests)
        any_of = ", ".join(f"{{field: {fields[v % 4]}, gt: {v}}}" for v in values)
        rules.append(f"  - {{id: t-{index}, caveat: c, because: b, source: s, "
                     f"when: {{any: [{any_of}]}}}}\n")
    return "rules:\n" + "".join(rules)


def many_rules(count: int) -> str:
    return "rules:\n" + "".join(
        f"  - {{id: rule-{i}, when: {{field: high_stakes, eq: true}}, caveat: c, because: b, "
        f"source: s}}\n" for i in range(count))


# --- ways to make a file -------------------------------------------------------------------------

@dataclass(frozen=True)
class Symlink:
    target: str


@dataclass(frozen=True)
class Fifo:
    pass


@dataclass(frozen=True)
class Sparse:
    size: int


@dataclass(frozen=True)
class Unreadable:
    content: str


def make(path: Path, content: object) -> None:
    """Create ``path`` as text, bytes, a symlink, a FIFO, a sparse file or an unreadable file."""
    if isinstance(content, Symlink):
        path.symlink_to(content.target.format(dir=path.parent.parent))
    elif isinstance(content, Fifo):
        os.mkfifo(path)
    elif isinstance(content, Sparse):
        with open(path, "wb") as handle:
            handle.truncate(content.size)
    elif isinstance(content, Unreadable):
        path.write_text(content.content, encoding="utf-8")
        path.chmod(0)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(str(content), encoding="utf-8")


def drop_privileges(scratch: Path) -> None:
    """Run the rest of the case as nobody when root, so that file permissions apply at all."""
    if os.geteuid() != 0:
        return
    for path in [scratch, *scratch.rglob("*")]:
        if not path.is_symlink() and path.stat().st_mode & 0o777:
            path.chmod(0o755 if path.is_dir() else 0o644)
    os.setgid(NOBODY)
    os.setuid(NOBODY)


# --- entry points --------------------------------------------------------------------------------

def cli(*args: object, stdout: io.TextIOBase | None = None) -> list[str]:
    """``python -m advisor ARGS`` in this process: standard error's lines and the exit code."""
    err = io.StringIO()
    with redirect_stdout(stdout or io.StringIO()), redirect_stderr(err):
        code = main([str(a) for a in args])
    return [*err.getvalue().splitlines(), f"exit {code}"]


def rules_copy(scratch: Path) -> Path:
    target = scratch / "rules"
    shutil.copytree(RULES_DIR, target, ignore=shutil.ignore_patterns("tests"))
    return target


def edited_line(path: Path, old: str, new: str, *, at: str | None = None) -> int:
    """Replace ``old`` by ``new`` in ``path``; the line of ``at`` in ``new`` (its first line)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    offset = text.index(old) + (new.index(at) if at else 0)
    return text.replace(old, new)[:offset].count("\n") + 1


def check_with(files: dict[str, object], *, unprivileged: bool = False):
    """A case that adds ``files`` to a copy of the rules and runs ``check`` on it."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        rules = rules_copy(scratch)
        for name, content in files.items():
            make(rules / name, content)
        if unprivileged:
            drop_privileges(scratch)
        return cli("check", rules), {}
    return run


def check_edited(file: str, old: str, new: str, *, at: str | None = None):
    """A case that edits one default rules file and runs ``check``; ``{line}`` is the line of
    ``at`` in the edit (its first line when None)."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        rules = rules_copy(scratch)
        line = edited_line(rules / file, old, new, at=at)
        return cli("check", rules), {"line": line}
    return run


def too_many_files(scratch: Path) -> tuple[list[str], dict[str, object]]:
    """One *.yaml file more than a rules directory may hold."""
    rules = rules_copy(scratch)
    count = len(list(rules.glob("*.yaml")))
    for index in range(MAX_RULES_FILES + 1 - count):
        make(rules / f"extra-{index:02}.yaml", "description: x\n")
    return cli("check", rules), {"files": MAX_RULES_FILES + 1}


def too_many_rules(scratch: Path) -> tuple[list[str], dict[str, object]]:
    """Rules past the limit in a file that sorts after rules.yaml: the first one past is named."""
    rules = rules_copy(scratch)
    default = len(yaml.safe_load((rules / "rules.yaml").read_text(encoding="utf-8"))["rules"])
    make(rules / "zz-more.yaml", many_rules(MAX_RULES + 4 - default))
    return cli("check", rules), {"line": 2 + MAX_RULES - default}


def too_many_tests(scratch: Path) -> tuple[list[str], dict[str, object]]:
    """Tests past the directory's total in a file after rules.yaml: the rule that crosses it."""
    rules = rules_copy(scratch)
    total = (rules / "rules.yaml").read_text(encoding="utf-8").count("field:")
    make(rules / "zz-more.yaml", threshold_rules(MAX_TESTS // 4, tests=4))
    crossing = 0
    while total + 4 <= MAX_TESTS:  # four tests a rule: find the rule that crosses the limit
        total, crossing = total + 4, crossing + 1
    return cli("check", rules), {"line": 2 + crossing, "total": f"{total + 4:,}"}


def lint_summary(extra_rules: str):
    """``check`` on the default rules plus ``extra_rules``: exit code, and whether lint ran."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        rules = rules_copy(scratch)
        make(rules / "zz-more.yaml", extra_rules)
        lines = cli("check", rules)
        skipped = [line for line in lines if "lint skipped" in line]
        loaded = load_rules(rules)
        profiles = math.prod(map(len, answer_values(loaded).values()))
        return [*skipped, lines[-1], f"lint ran: {not skipped}"], {
            "profiles": f"{profiles:,}", "count": len(loaded.rules)}
    return run


def recommend_under(extra_rules: str):
    """``recommend`` on the example with the default rules plus ``extra_rules``."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        rules = rules_copy(scratch)
        make(rules / "zz-more.yaml", extra_rules)
        return cli("recommend", "--answers", EXAMPLE, "--rules", rules), {}
    return run


def too_many_candidates(scratch: Path) -> tuple[list[str], dict[str, object]]:
    """Chain-of-thought with 1,000 thinking budgets: strategies × values × tiers past the limit."""
    rules = rules_copy(scratch)
    line = edited_line(rules / "strategies.yaml", "      thinking_tokens: [512, 2048, 8192]\n",
                       "      thinking_tokens: [" + ", ".join(map(str, range(1, 1001))) + "]\n")
    strategies = yaml.safe_load((rules / "strategies.yaml").read_text())["strategies"]
    models = yaml.safe_load((rules / "models.yaml").read_text())["models"]
    options = yaml.safe_load((rules / "training.yaml").read_text())["training"]["options"]
    per_strategy = []
    for strategy in strategies:
        count = 1
        for values in (strategy.get("parameters") or {}).values():
            count *= len(values)
        per_strategy.append(count)
    # A reasoning tier serves each strategy at three thinking efforts; a tier with training
    # prices also serves every size of every run that names it (or names no tier).
    def variants(model: dict) -> int:
        if "fine_tune" not in model:
            return 1
        return 1 + sum(len(o["sizes"]) for o in options if o["kind"] != "calibration"
                       and model["id"] in o.get("tiers", [model["id"]]))

    tiers = sum(variants(model) * (3 if model.get("reasoning") else 1) for model in models)
    # The problem names the strategy's parameters: the line above the edited one.
    return cli("check", rules), {"line": line - 1, "candidates": f"{sum(per_strategy) * tiers:,}"}


def recommend_with(content: object, *, unprivileged: bool = False, name: str = "answers.yaml"):
    """A case that writes an answers file and runs ``recommend --answers`` on it."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        path = scratch / name
        make(path, content)
        if unprivileged:
            drop_privileges(scratch)
        return cli("recommend", "--answers", path), {}
    return run


def told(call: Callable[[], object]) -> list[str]:
    """What a user is told when ``call`` runs: its problems, or that the input was accepted."""
    try:
        call()
    except UserInputError as exc:
        return [str(p) for p in exc.problems]
    return ["accepted"]


def answers_upload(content: bytes):
    """The app's "Load an answers file": the bytes through answers_from_bytes."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        return told(lambda: answers_from_bytes(content, name="upload.yaml")), {}
    return run


def sandbox_upload(content: bytes):
    """The Rules page's sandbox: an uploaded rules.yaml, decoded, then checked in place."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        rules = rules_copy(scratch)
        text, problems = decode_text(content, "rules.yaml")
        if text is None:
            return [str(p) for p in problems], {}
        _, problems = check_directory(rules, overrides={"rules.yaml": text})
        return [str(p) for p in problems if p.severity == "error"], {}
    return run


def compare_link(payload: bytes):
    """A ``?compare=`` link carrying ``payload`` (JSON bytes), decoded as the app does."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        text = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        assert len(text) <= LINK_MAX_CHARS  # it fits the link, as in the issue
        return told(lambda: decode_scenarios(text)), {}
    return run


def analyse_mapping(changes: dict[str, object]):
    """``advisor.analyse()`` called from Python with a mapping."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        answers = {**yaml.safe_load(GOOD_ANSWERS), **changes}
        return told(lambda: analyse(answers, load_rules(RULES_DIR))), {}
    return run


def snapshot_id(text: str):
    """A ``?snapshot=`` link's id, checked as the app does before opening the database."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        return told(lambda: check_snapshot_id(text)), {}
    return run


def output_to(target: str, *, fmt: str = "json"):
    """``recommend -o TARGET``; ``{dir}/answers.yaml`` is the answers file, ``{rules}`` a copy."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        rules = rules_copy(scratch)
        answers = scratch / "answers.yaml"
        shutil.copy(EXAMPLE, answers)
        before = {p: p.read_bytes() for p in (answers, *rules.glob("*.yaml"))}
        lines = cli("recommend", "--answers", answers, "--rules", rules, "--format", fmt,
                    "-o", target.format(dir=scratch, rules=rules))
        intact = all(p.read_bytes() == content for p, content in before.items())
        return [*lines, f"inputs intact: {intact}"], {}
    return run


def report_under_a_file_size_limit(scratch: Path) -> tuple[list[str], dict[str, object]]:
    """An HTML report (about 5 MB) over an existing one, with files limited to 100 KB."""
    report = scratch / "report.html"
    report.write_text("the previous report\n", encoding="utf-8")
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, resource.RLIM_INFINITY))
    lines = cli("recommend", "--answers", EXAMPLE, "--format", "html", "-o", report)
    intact = report.read_text(encoding="utf-8") == "the previous report\n"
    return [*lines, f"previous report intact: {intact}",
            f"files left: {sorted(p.name for p in scratch.iterdir())}"], {}


def output_to_a_full_disk(scratch: Path) -> tuple[list[str], dict[str, object]]:
    """Standard output redirected to /dev/full."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        return cli("recommend", "--answers", EXAMPLE, stdout=full), {}


def console_in_cp1252(scratch: Path) -> tuple[list[str], dict[str, object]]:
    """A console in cp1252, which lacks characters the report uses: the output is UTF-8."""
    args = ("recommend", "--answers", EXAMPLE, "--format", "markdown")
    result = subprocess.run([sys.executable, "-m", "advisor", *map(str, args)], cwd=ROOT,
                            capture_output=True, timeout=120,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    utf8_console = io.StringIO()
    cli(*args, stdout=utf8_console)
    text = result.stdout.decode("utf-8")
    return [f"exit {result.returncode}", f"stderr: {result.stderr.decode()!r}",
            f"same text as on a UTF-8 console: {text == utf8_console.getvalue()}",
            f"holds characters cp1252 lacks: {not all(map(_cp1252, text))}"], {}


def _cp1252(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


# --- saving from the rules sandbox ---------------------------------------------------------------

def _save_in_a_process(rules: Path, value: str, start, results) -> None:
    opened = open_rules_file(rules, "settings.yaml")
    start.wait()  # both editors opened the same version; now both save
    try:
        save_rules_file(rules, "settings.yaml",
                        opened.text.replace("quality_tolerance: 0.01",
                                            f"quality_tolerance: {value}"),
                        opened_hash=opened.hash)
        results.put(("saved", value))
    except RulesError as exc:
        results.put(("refused", str(exc)))


def concurrent_saves(scratch: Path) -> tuple[list[str], dict[str, object]]:
    """Two processes open settings.yaml, then save different edits at the same moment."""
    rules = rules_copy(scratch)
    original = (rules / "settings.yaml").read_text(encoding="utf-8")
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(2), context.Queue()
    editors = [context.Process(target=_save_in_a_process, args=(rules, value, start, results))
               for value in ("0.03", "0.04")]
    for editor in editors:
        editor.start()
    outcomes = sorted(results.get(timeout=120) for _ in editors)
    for editor in editors:
        editor.join()
    (kind, message), (won, value) = outcomes
    on_disk = (rules / "settings.yaml").read_text(encoding="utf-8")
    backups = sorted(p.name for p in rules.glob("*.bak"))
    return [f"{kind}: {message}", won,
            f"disk holds the saved edit: {f'quality_tolerance: {value}' in on_disk}",
            f"backups: {backups}",
            f"backup holds the original: {(rules / backups[0]).read_text() == original}"], {}


def save_text(text: str, *, confirm: bool = False):
    """Save ``text`` over rules.yaml from an editor that opened it, as the sandbox does."""
    def run(scratch: Path) -> tuple[list[str], dict[str, object]]:
        rules = rules_copy(scratch)
        opened = open_rules_file(rules, "rules.yaml")
        try:
            save_rules_file(rules, "rules.yaml", text, opened_hash=opened.hash,
                            drop_every_rule=confirm)
            lines = ["saved"]
        except RulesError as exc:
            lines = [str(p) for p in exc.problems]
        on_disk = (rules / "rules.yaml").read_text(encoding="utf-8")
        backups = [p.read_text(encoding="utf-8") for p in sorted(rules.glob("*.bak"))]
        return [*lines, f"rules.yaml unchanged: {on_disk == opened.text}",
                f"backups hold the original: {backups == [opened.text] * len(backups)}"], {}
    return run


# --- the corpus ----------------------------------------------------------------------------------

BOMB_LINE = ("aliases repeat more than 10,000 values; each *alias stands for everything its "
             "&anchor holds, and this many look like an alias bomb")
DEEP = "nested more than 32 levels deep; rules and answers files need far fewer"
VALUES = "more than 50,000 values (aliases expanded); rules and answers files need far fewer"
SELF = "alias *r is inside its own anchor &r: a value cannot contain itself"
ANSWERS_CHECK = "{dir}/answers.yaml"
EXTRA = "{rules}/extra.yaml"
ONE_PROBLEM = "1 problem(s) in {rules}"


def _rules_error(*lines: str) -> tuple[str, ...]:
    return (*lines, f"{len(lines)} problem(s) in {{rules}}", "exit 1")


CASES: list[Case] = [
    # 1. Alias bombs, 2. deep nesting: in a rules file, an answers file and both uploads.
    Case("rules-alias-bomb", "rules directory", check_with({"extra.yaml": alias_bomb()}),
         _rules_error(f"{EXTRA}:5: {BOMB_LINE}")),
    Case("rules-self-alias", "rules directory", check_with({"extra.yaml": SELF_ALIAS}),
         _rules_error(f"{EXTRA}:1: {SELF}")),
    Case("rules-deep-lists", "rules directory", check_with({"extra.yaml": DEEP_LISTS}),
         _rules_error(f"{EXTRA}:1: {DEEP}")),
    Case("rules-deep-mappings", "rules directory", check_with({"extra.yaml": DEEP_MAPPINGS}),
         _rules_error(f"{EXTRA}:32: {DEEP}")),
    Case("rules-deep-through-an-alias", "rules directory", check_with(
        {"extra.yaml": "a: &a " + "[" * 20 + "]" * 20 + "\nb: " + "[" * 15 + "*a" + "]" * 15
         + "\n"}), _rules_error(f"{EXTRA}:2: {DEEP}")),
    Case("rules-too-many-values", "rules directory", check_with({"extra.yaml": WIDE}),
         _rules_error(f"{EXTRA}:1: {VALUES}")),
    Case("answers-alias-bomb", "answers file", recommend_with(alias_bomb()),
         (f"{ANSWERS_CHECK}:5: {BOMB_LINE}", "exit 1")),
    Case("answers-deep-lists", "answers file", recommend_with(DEEP_LISTS),
         (f"{ANSWERS_CHECK}:1: {DEEP}", "exit 1")),
    Case("answers-upload-alias-bomb", "upload", answers_upload(alias_bomb().encode()),
         (f"upload.yaml:5: {BOMB_LINE}",)),
    Case("answers-upload-deep-json", "upload", answers_upload(DEEP_LISTS.encode()),
         (f"upload.yaml:1: {DEEP}",)),
    Case("sandbox-upload-alias-bomb", "upload", sandbox_upload(alias_bomb().encode()),
         (f"{{rules}}/rules.yaml:5: {BOMB_LINE}",)),
    Case("sandbox-upload-deep-lists", "upload", sandbox_upload(DEEP_LISTS.encode()),
         (f"{{rules}}/rules.yaml:1: {DEEP}",)),
    Case("sandbox-upload-latin-1", "upload",
         sandbox_upload("description: café\n".encode("latin-1")),
         ("rules.yaml: file is not UTF-8 text (bad byte at offset 16)",)),
    Case("compare-link-deep-lists", "link", compare_link(b"[" * 1500 + b"]" * 1500),
         ("comparison link: the comparison link is damaged: it does not decode; ask for a new "
          "link",)),

    # 3. Rules that passed check and then crashed.
    Case("rules-quality-nan", "rules directory",
         check_edited("models.yaml", "{gsm8k: 0.845, math: 0.519,",
                      "{gsm8k: .nan, math: 0.519,"),
         _rules_error("{rules}/models.yaml:{line}: 'models[0].scores.gsm8k' must be a "
                      "finite number, got nan")),
    Case("rules-quality-negative", "rules directory",
         check_edited("models.yaml", "{gsm8k: 0.845, math: 0.519,",
                      "{gsm8k: -5, math: 0.519,"),
         _rules_error("{rules}/models.yaml:{line}: 'models[0].scores.gsm8k' must be "
                      "greater than 0, got -5")),
    Case("rules-condition-eq-nan", "rules directory",
         check_with({"extra.yaml": "rules:\n  - id: x\n    when: {field: queries_per_day, "
                                   "eq: .nan}\n    push: training\n    because: b\n"
                                   "    source: s\n"}),
         _rules_error(f"{EXTRA}:3: 'rules[0].when.eq' must be a finite number, got nan")),
    Case("rules-condition-lt-inf", "rules directory",
         check_with({"extra.yaml": "rules:\n  - id: x\n    when: {field: queries_per_day, "
                                   "lt: .inf}\n    push: training\n    because: b\n"
                                   "    source: s\n"}),
         _rules_error(f"{EXTRA}:3: 'rules[0].when.lt' must be a finite number, got inf")),
    Case("rules-condition-in-nan", "rules directory",
         check_with({"extra.yaml": "rules:\n  - id: x\n    when: {field: queries_per_day, "
                                   "in: [1, .nan]}\n    push: training\n    because: b\n"
                                   "    source: s\n"}),
         _rules_error(f"{EXTRA}:3: 'rules[0].when.in[1]' must be a finite number, got nan")),
    Case("rules-question-max-below-min", "rules directory",
         check_edited("questions.yaml", "    default: 10\n    min: 0.1\n    max: 3600\n",
                      "    default: 10\n    min: 0.1\n    max: 0.01\n", at="max"),
         _rules_error("{rules}/questions.yaml:{line}: 'questions[3].max': is 0.01, below min "
                      "(0.1); min <= default <= max must hold")),
    Case("rules-price-infinite", "rules directory",
         check_edited("models.yaml", "    input_per_1m: 0.1\n    output_per_1m: 0.1\n    output",
                      "    input_per_1m: +.inf\n    output_per_1m: 0.1\n    output"),
         _rules_error("{rules}/models.yaml:{line}: 'models[0].input_per_1m' must be a finite "
                      "number, got inf")),
    Case("rules-price-1e308", "rules directory",
         check_edited("models.yaml", "    input_per_1m: 0.1\n    output_per_1m: 0.1\n    output",
                      "    input_per_1m: 1e308\n    output_per_1m: 0.1\n    output"),
         _rules_error("{rules}/models.yaml:{line}: 'models[0].input_per_1m' must be at most 1e15 "
                      "in size, got 1e308")),
    Case("rules-speed-1e-300", "rules directory",
         check_edited("models.yaml", "    output_tokens_per_s: 300\n",
                      "    output_tokens_per_s: 1.0e-300\n"),
         _rules_error("{rules}/models.yaml:{line}: 'models[0].output_tokens_per_s' must be 0 or "
                      "at least 1e-12 in size, got 1e-300")),
    Case("rules-training-tokens-10e306", "rules directory",
         check_edited("training.yaml", "      tokens_per_example: 1000\n      epochs: 3\n"
                      "      label_usd_per_example: 0.5\n      fixed_usd: 1000",
                      "      tokens_per_example: 1" + "0" * 306 + "\n      epochs: 3\n"
                      "      label_usd_per_example: 0.5\n      fixed_usd: 1000"),
         _rules_error("{rules}/training.yaml:{line}: 'training.options[0].tokens_per_example' "
                      "must be at most 1e15 in size, got about 1e306")),
    Case("rules-impossible-date", "rules directory",
         check_edited("models.yaml", "    price_date: 2026-11-28\n    price_source: &litellm",
                      "    price_date: 2026-02-30\n    price_source: &litellm"),
         _rules_error("{rules}/models.yaml:{line}: cannot read '2026-02-30': day is out of range "
                      "for month")),
    Case("rules-5000-digit-number", "rules directory",
         check_with({"extra.yaml": "description: x\nsettings: " + "9" * 5000 + "\n"}),
         _rules_error(f"{EXTRA}:2: cannot read '{'9' * 37}...': Exceeds the limit (4300 digits) "
                      "for integer string conversion: value has 5000 digits")),

    # 4. Files read whole before any size check; only regular files followed.
    Case("rules-symlink-to-dev-zero", "rules directory",
         check_with({"extra.yaml": Symlink("/dev/zero")}),
         _rules_error(f"{EXTRA}: cannot read rules file: it is a character device, not a regular "
                      "file")),
    Case("rules-symlink-to-3gb-sparse-file", "rules directory",
         check_with({"huge.bin": Sparse(3_000_000_000),
                     "extra.yaml": Symlink("{dir}/rules/huge.bin")}),
         _rules_error(f"{EXTRA}: file is 3,000,000,000 bytes; the limit is 1,000,000 bytes")),
    Case("rules-fifo", "rules directory", check_with({"extra.yaml": Fifo()}),
         _rules_error(f"{EXTRA}: cannot read rules file: it is a named pipe, not a regular file")),
    Case("rules-dangling-symlink", "rules directory",
         check_with({"extra.yaml": Symlink("{dir}/nowhere.yaml")}),
         _rules_error(f"{EXTRA}: cannot read rules file: No such file or directory")),
    Case("rules-unreadable-file", "rules directory",
         check_with({"secret.txt": Unreadable("rules: []\n"),
                     "extra.yaml": Symlink("{dir}/rules/secret.txt")}, unprivileged=True),
         _rules_error(f"{EXTRA}: cannot read rules file: Permission denied")),
    Case("rules-too-many-files", "rules directory", too_many_files,
         ("{rules}: {files} rules files (*.yaml); the limit is 32", ONE_PROBLEM, "exit 1")),
    Case("answers-dev-zero", "answers file", recommend_with(Symlink("/dev/zero")),
         (f"{ANSWERS_CHECK}: cannot read answers file: it is a character device, not a regular "
          "file", "exit 1")),
    Case("answers-3gb-sparse-file", "answers file", recommend_with(Sparse(3_000_000_000)),
         (f"{ANSWERS_CHECK}: file is 3,000,000,000 bytes; the limit is 1,000,000 bytes",
          "exit 1")),
    Case("answers-fifo", "answers file", recommend_with(Fifo()),
         (f"{ANSWERS_CHECK}: cannot read answers file: it is a named pipe, not a regular file",
          "exit 1")),
    Case("answers-unreadable", "answers file",
         recommend_with(Unreadable(GOOD_ANSWERS), unprivileged=True),
         (f"{ANSWERS_CHECK}: cannot read answers file: Permission denied", "exit 1")),

    # 8. Huge numbers and bounded rules.
    Case("answers-queries-10e306", "answers file",
         recommend_with(GOOD_ANSWERS + "queries_per_day: 1" + "0" * 306 + "\n"),
         (f"{ANSWERS_CHECK}:6: 'queries_per_day' must be at most 1e15 in size, got about 1e306",
          "exit 1")),
    Case("answers-budget-1e308", "answers file",
         recommend_with(GOOD_ANSWERS.replace("budget_per_query_usd: 0.5",
                                             "budget_per_query_usd: 1.0e308")),
         (f"{ANSWERS_CHECK}:3: 'budget_per_query_usd' must be at most 1e15 in size, got 1e308",
          "exit 1")),
    Case("answers-latency-1e-300", "answers file",
         recommend_with(GOOD_ANSWERS.replace("latency_budget_s: 30",
                                             "latency_budget_s: 1.0e-300")),
         (f"{ANSWERS_CHECK}:2: 'latency_budget_s' must be 0 or at least 1e-12 in size, got "
          "1e-300", "exit 1")),
    Case("analyse-queries-10e306", "library", analyse_mapping({"queries_per_day": 10 ** 306}),
         ("<answers>: 'queries_per_day' must be at most 1e15 in size, got about 1e306",)),
    Case("compare-link-queries-10e306", "link", compare_link(json.dumps(
        [["a", {**yaml.safe_load(GOOD_ANSWERS), "queries_per_day": 10 ** 306}],
         ["b", yaml.safe_load(GOOD_ANSWERS)]]).encode()),
         ("comparison link, scenario 1: 'queries_per_day' must be at most 1e15 in size, got "
          "about 1e306",)),
    Case("snapshot-id-with-a-newline", "link", snapshot_id("abcdefgh\n"),
         ("snapshots: 'abcdefgh\n' is not a snapshot id: ids are 8 characters, letters a-z and "
          "digits 2-7. Check the link you were given.",)),
    Case("rule-with-20000-tests", "rules directory",
         check_with({"extra.yaml": many_tests_rule(20_000)}),
         _rules_error(f"{EXTRA}:6: {VALUES}")),
    Case("rule-with-65-conditions", "rules directory",
         check_with({"extra.yaml": many_tests_rule(64)}),
         _rules_error(f"{EXTRA}:6: 'rules[0].when': holds 65 conditions (tests, all, any and "
                      "not); the limit is 64 per rule")),
    Case("too-many-rules", "rules directory", too_many_rules,
         _rules_error("{rules}/zz-more.yaml:{line}: 504 rules in the directory; the limit is "
                      "500")),
    Case("too-many-tests-in-all", "rules directory", too_many_tests,
         _rules_error("{rules}/zz-more.yaml:{line}: the rules up to this one hold {total} tests "
                      "in all; the limit is 1,000 for the whole directory")),
    Case("recommend-with-900-more-tests", "rules directory",
         recommend_under(threshold_rules(225, tests=4)), ("exit 0",)),
    # About 460,000 profiles with the default rules: lint's memory near its bound.
    Case("lint-just-within-its-bound", "rules directory", lint_summary(threshold_rules(1)),
         ("exit 0", "lint ran: True")),
    Case("lint-beyond-its-bound", "rules directory",
         lint_summary(threshold_rules(225, tests=4)),
         ("{rules}/rules.yaml: warning: lint skipped: the rules tell {profiles} answer profiles "
          "apart, which with {count} rules is more than lint enumerates (500,000 profiles, "
          "20,000,000 profile × rule pairs); use fewer distinct thresholds", "exit 0",
          "lint ran: False")),
    Case("too-many-candidates", "rules directory", too_many_candidates,
         _rules_error("{rules}/strategies.yaml:{line}: {candidates} candidate configurations "
                      "(strategies × parameter values × served tiers, trained variants "
                      "included); the limit is 10,000")),

    # 6. Rule edits never lost.
    Case("concurrent-saves-from-two-processes", "save", concurrent_saves,
         (f"refused: {{rules}}/settings.yaml: {CHANGED_ON_DISK}", "saved",
          "disk holds the saved edit: True", "backups: ['settings.yaml.1.bak']",
          "backup holds the original: True")),
    Case("save-empty-text", "save", save_text(""),
         ("{rules}/rules.yaml: the edit removes all 26 rules of this file; not saved. Confirm "
          "that you mean to remove every rule to save it", "rules.yaml unchanged: True",
          "backups hold the original: True")),
    Case("save-empty-text-confirmed", "save", save_text("", confirm=True),
         ("saved", "rules.yaml unchanged: False", "backups hold the original: True")),

    # 7. CLI output.
    Case("output-to-a-directory", "output", output_to("{dir}"),
         ("{dir}: is a directory; the output is written to a regular file only; give a file name "
          "in it", "exit 1", "inputs intact: True")),
    Case("output-in-a-missing-directory", "output", output_to("{dir}/nodir/x"),
         ("{dir}/nodir/x: cannot write: directory '{dir}/nodir' does not exist", "exit 1",
          "inputs intact: True")),
    Case("output-to-dev-full", "output", output_to("/dev/full"),
         ("/dev/full: is a character device; the output is written to a regular file only",
          "exit 1", "inputs intact: True")),
    Case("output-onto-the-answers-file", "output", output_to("{dir}/answers.yaml"),
         ("{dir}/answers.yaml: is the answers file, an input of this command; not overwritten",
          "exit 1", "inputs intact: True")),
    Case("output-onto-a-rules-file", "output", output_to("{rules}/rules.yaml", fmt="markdown"),
         ("{rules}/rules.yaml: is a rules file, an input of this command; not overwritten",
          "exit 1", "inputs intact: True")),
    Case("output-into-the-rules-directory", "output", output_to("{rules}/report.yaml"),
         ("{rules}/report.yaml: is in {rules}, a directory this command reads; write the output "
          "elsewhere", "exit 1", "inputs intact: True")),
    Case("output-under-a-file-size-limit", "output", report_under_a_file_size_limit,
         ("{dir}/report.html: cannot write: File too large; nothing was written", "exit 1",
          "previous report intact: True", "files left: ['report.html']")),
    Case("standard-output-on-a-full-disk", "output", output_to_a_full_disk,
         ("<stdout>: cannot write: No space left on device", "exit 1")),
    Case("console-in-cp1252", "output", console_in_cp1252,
         ("exit 0", "stderr: ''", "same text as on a UTF-8 console: True",
          "holds characters cp1252 lacks: True")),
]
